import { ALL_TOPICS, topicConfigOf } from '../../libs/kafka-contracts/src/topics';

/** `topic` or `topic@name=value,...` for `kafka.sh create-topics`: compacted topics carry their policy. */
export function topicSpec(topic: string): string {
  const config = Object.entries(topicConfigOf(topic)).map(([name, value]) => `${name}=${value}`);
  return config.length === 0 ? topic : `${topic}@${config.join(',')}`;
}

/** Every platform topic (dead-letter topics included) as kafka.sh create-topics arguments. */
export const ALL_TOPIC_SPECS: readonly string[] = ALL_TOPICS.map(topicSpec);
