import { ALL_TOPICS, CONTRACT_TOPICS, deadLetterTopicOf } from './topics';

describe('topics', () => {
  it('names every contract topic <domain>.<entity>.<action>.v<N>', () => {
    for (const topic of CONTRACT_TOPICS) expect(topic).toMatch(/^[a-z]+\.[a-z]+\.[a-z]+\.v[1-9][0-9]*$/);
  });
  it('has a dead-letter topic for each contract topic', () => {
    for (const topic of CONTRACT_TOPICS) expect(ALL_TOPICS).toContain(deadLetterTopicOf(topic));
    expect(new Set(ALL_TOPICS).size).toBe(ALL_TOPICS.length);
  });
});
