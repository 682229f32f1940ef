/** Child side of bench/lib/service-process.ts: starts one fixture and serves its api over IPC. */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { FixtureHandle } from './service-process';

/** CPU profile of a window chosen by the parent (e.g. one load run), without start-up noise. */
let profiler: Session | undefined;
const builtins: Record<string, (...args: never[]) => unknown> = {
  /** CPU time of the whole process (every thread), microseconds: a figure the neighbours' load hardly moves. */
  cpuUsage: () => process.cpuUsage(),
  profileStart: async () => {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 500 });
    await profiler.post('Profiler.start');
  },
  profileStop: async (file: string) => {
    if (!profiler) throw new Error('profileStart was not called');
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = undefined;
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  },
};

let handle: FixtureHandle | undefined;

const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
const send = (message: unknown) => process.send?.(message);

process.on('message', (message: { type: string; fixture?: string; options?: unknown; id?: number; name?: string; args?: unknown[] }) => {
  if (message.type === 'start') {
    void (async () => {
      try {
        const fixture = (await import(message.fixture as string)) as { start(options: unknown): Promise<FixtureHandle> };
        handle = await fixture.start(message.options);
        send({ type: 'ready', url: handle.url, data: handle.data });
      } catch (error) {
        send({ type: 'failed', error: describe(error) });
        process.exit(1);
      }
    })();
  } else if (message.type === 'call') {
    void (async () => {
      try {
        const fn = (handle?.api?.[message.name as string] ?? builtins[message.name as string]) as ((...args: unknown[]) => unknown) | undefined;
        if (!fn) throw new Error(`no api function ${message.name}`);
        send({ type: 'result', id: message.id, result: (await fn(...(message.args ?? []))) ?? null });
      } catch (error) {
        send({ type: 'result', id: message.id, error: describe(error) });
      }
    })();
  } else if (message.type === 'stop') {
    void (async () => {
      try {
        await handle?.stop();
      } finally {
        // process.exit (not a natural drain) so --cpu-prof writes its profile right away.
        process.exit(0);
      }
    })();
  }
});
// The parent went away: do not linger as an orphan holding ports and database connections.
process.on('disconnect', () => process.exit(0));
