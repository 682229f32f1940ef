/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise (CI logs,
 * pipes), nothing with --json or --no-progress.
 */
export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string, total: number, enabled: boolean): Progress {
  if (!enabled || total <= 0) return { tick: () => undefined, finish: () => undefined };
  const width = 30;
  let lastDecile = -1;
  const render = (done: number) => {
    const ratio = Math.min(1, done / total);
    if (stream.isTTY) {
      const filled = Math.round(ratio * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
      return;
    }
    const decile = Math.floor(ratio * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${label} ${done}/${total} (${decile * 10}%)\n`);
    }
  };
  render(0);
  return {
    tick: render,
    finish() {
      render(total);
      if (stream.isTTY) stream.write('\n');
    },
  };
}
