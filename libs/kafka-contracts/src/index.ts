export { ALL_TOPICS, CONTRACT_TOPICS, Topics, deadLetterTopicOf } from './topics';
export type { TopicName } from './topics';
