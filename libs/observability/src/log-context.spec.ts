import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { currentCorrelationId, runWithCorrelationId } from './log-context';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, logger: createLogger('spec', 'info', stream) };
}

describe('correlation id in the log context', () => {
  it('is on every line written inside runWithCorrelationId, across awaits, and on none outside', async () => {
    const { lines, logger } = capture();
    logger.info('before');
    await runWithCorrelationId('corr-1', async () => {
      logger.info('start');
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.info({ step: 2 }, 'after an await');
      expect(currentCorrelationId()).toBe('corr-1');
    });
    logger.info('after');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => [line.message, line.correlationId])).toEqual([
      ['before', undefined],
      ['start', 'corr-1'],
      ['after an await', 'corr-1'],
      ['after', undefined],
    ]);
  });

  it('keeps concurrent contexts apart', async () => {
    const { lines, logger } = capture();
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        runWithCorrelationId(id, async () => {
          await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 10 : 1));
          logger.info(id);
        }),
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    for (const line of lines) expect(line.correlationId).toBe(line.message);
  });
});
