import { OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('commits only the finished prefix of each partition', () => {
    const tracker = new OffsetTracker();
    const a0 = tracker.register('t', 0, '10');
    const a1 = tracker.register('t', 0, '11');
    const a2 = tracker.register('t', 0, '12');
    const b0 = tracker.register('t', 1, '5');
    a1();
    a2();
    expect(tracker.takeCommittable()).toEqual([]);
    a0();
    b0();
    expect(tracker.takeCommittable()).toEqual([
      { topic: 't', partition: 0, offset: '13' },
      { topic: 't', partition: 1, offset: '6' },
    ]);
    expect(tracker.takeCommittable()).toEqual([]);
  });

  it('forgets a stale tail when a partition is read again from an earlier offset', () => {
    const tracker = new OffsetTracker();
    const first = tracker.register('t', 0, '0');
    tracker.register('t', 0, '1');
    first();
    const again = tracker.register('t', 0, '1');
    again();
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
  });
});
