import { ALL_CONTRACTS, contractOf } from './registry';
import { CONTRACT_TOPICS, deadLetterTopicOf } from './topics';

describe('contract registry', () => {
  it('has exactly one contract for every topic in Topics', () => {
    expect(ALL_CONTRACTS.map((c) => c.topic).sort()).toEqual([...CONTRACT_TOPICS].sort());
    for (const topic of CONTRACT_TOPICS) expect(contractOf(topic)?.topic).toBe(topic);
  });

  it('knows no contract for a dead-letter topic or an unknown name', () => {
    expect(contractOf(deadLetterTopicOf(CONTRACT_TOPICS[0]))).toBeUndefined();
    expect(contractOf('nobody.nothing.happened.v1')).toBeUndefined();
  });
});
