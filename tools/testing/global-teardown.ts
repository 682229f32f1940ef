import { stopKafka } from './kafka-harness';

export default async function globalTeardown(): Promise<void> {
  // Both the integration and e2e projects register this; the harness only stops what it started.
  await stopKafka();
}
