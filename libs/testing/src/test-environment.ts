/**
 * Environment for starting a service inside a test: the database and Kafka broker of the jest
 * global setup, quiet logs, and whatever the test adds (the security settings each service
 * requires). The one definition every app's test harness uses.
 */
export function testEnvironment(service: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_SIZE: '5',
    // As deployed: the global setup's database is a real PostgreSQL.
    DATABASE_PREPARED_STATEMENTS: 'true',
    BROKER: 'kafka',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS,
    KAFKA_CLIENT_ID: `${service}-test`,
    ...extra,
  };
}
