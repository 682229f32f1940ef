/**
 * `npm run bench [suite-name...]`: runs every bench/suites/*.bench.ts (or the named ones), computes
 * each measurement's ratio to its baseline, and writes bench/results/<suite>.json and .md.
 * Distributed-mode suites run on a Kafka broker of the bench's own, removed at the end (lib/kafka.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { updateReadme } from './chart';
import { useBenchKafka } from './lib/kafka';
import type { BenchSuite, BenchSuiteResult } from './lib/report';

const kafka = useBenchKafka();

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const suitesDir = path.join(__dirname, 'suites');
  const resultsDir = path.join(__dirname, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const files = fs.readdirSync(suitesDir).filter((file) => file.endsWith('.bench.ts')).sort();
  for (const file of files) {
    const suite = (await import(path.join(suitesDir, file))).default as BenchSuite;
    if (wanted.length > 0 && !wanted.includes(suite.name)) continue;
    process.stdout.write(`\n# ${suite.name}: ${suite.description}\n`);
    const result = withRatios(await suite.run());
    fs.writeFileSync(path.join(resultsDir, `${suite.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    const markdown = toMarkdown(result);
    fs.writeFileSync(path.join(resultsDir, `${suite.name}.md`), markdown);
    process.stdout.write(markdown);
  }
  updateReadme(path.resolve(__dirname, '..'));
}

function withRatios(result: BenchSuiteResult): BenchSuiteResult {
  const byName = new Map(result.measurements.map((m) => [m.name, m]));
  for (const measurement of result.measurements) {
    if (!measurement.baseline) continue;
    const baseline = byName.get(measurement.baseline);
    if (baseline && baseline.value > 0) measurement.ratio = measurement.value / baseline.value;
  }
  return { ...result, measurements: result.measurements };
}

function toMarkdown(result: BenchSuiteResult): string {
  const lines = [
    `## ${result.suite}`,
    '',
    result.description,
    '',
    '| measurement | value | unit | baseline | ratio | goal | extra |',
    '| --- | ---: | --- | --- | ---: | ---: | --- |',
  ];
  for (const m of result.measurements) {
    const goal = m.goal === undefined ? '' : `${m.goal} (${(m.ratio ?? 0) >= m.goal ? 'met' : 'not met'})`;
    const extra = m.extra ? Object.entries(m.extra).map(([k, v]) => `${k}=${v}`).join(', ') : '';
    lines.push(
      `| ${m.name} | ${m.value.toFixed(1)} | ${m.unit} | ${m.baseline ?? ''} | ${m.ratio === undefined ? '' : m.ratio.toFixed(3)} | ${goal} | ${extra} |`,
    );
  }
  for (const note of result.notes ?? []) lines.push('', `- ${note}`);
  return `${lines.join('\n')}\n`;
}

// Interrupted (Ctrl-C reaches the fixture children too): the broker and its events go all the same.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => void kafka.remove().finally(() => process.exit(code)));
}

void main()
  .then(
    () => 0,
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await kafka.remove().catch((error: unknown) => process.stderr.write(`the bench's Kafka broker was not removed: ${String(error)}\n`));
    process.exit(code);
  });
