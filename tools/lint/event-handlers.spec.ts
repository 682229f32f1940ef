/**
 * No app subscribes to the broker by hand: every consumer in apps/ is an `@EventPattern` handler
 * (libs/messaging's broker transport subscribes it). Tests that watch a topic from outside a
 * service use `recordEvents` from @npi/messaging.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** `subscribeToEvent(` anywhere, or a broker's `.subscribe({ ... groupId ... })`. */
const HAND_WIRED = [/\bsubscribeToEvent\s*\(/g, /\.subscribe\s*\(\s*\{[\s\S]{0,400}?\bgroupId\b/g];

export function handWiredSubscriptions(files: readonly { file: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { file, text } of files) {
    for (const pattern of HAND_WIRED) {
      for (const match of text.matchAll(pattern)) found.push(`${file}:${text.slice(0, match.index).split('\n').length}`);
    }
  }
  return found;
}

function appSources(): { file: string; text: string }[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--', 'apps'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  return listed.filter((file) => /\.(ts|js|mjs|cjs)$/.test(file)).map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));
}

describe('Kafka consumers in apps/', () => {
  it('are @EventPattern handlers: no file under apps/ subscribes to the broker by hand', () => {
    const sources = appSources();
    expect(sources.length).toBeGreaterThan(100);
    expect(handWiredSubscriptions(sources)).toEqual([]);
  });

  it('would notice a hand-wired subscription (either form), and not an rxjs subscribe', () => {
    const sample = [
      { file: 'apps/x/src/a.ts', text: "const s = await subscribeToEvent(this.broker, {\n  groupId: 'x', contract: C, handler });" },
      { file: 'apps/x/src/b.ts', text: "line one\nawait deps.broker.subscribe({\n  groupId: `x.${id}`,\n  topics: ['t'],\n  handler,\n});" },
      { file: 'apps/x/src/c.ts', text: 'source$.subscribe({ next: (value) => seen.push(value) });' },
    ];
    expect(handWiredSubscriptions(sample)).toEqual(['apps/x/src/a.ts:1', 'apps/x/src/b.ts:2']);
  });
});
