/** One place that writes results: JSON for scripts (`--json`), short text for people. */
import type { CliError } from './errors';

export interface Output {
  json: boolean;
  result(value: unknown, human?: (value: unknown) => string): void;
  /** Human progress and notes: stderr, so stdout stays clean for pipes. Silent with --json. */
  note(line: string): void;
  error(error: CliError): void;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Output {
  return {
    json,
    stdout,
    stderr,
    result(value, human) {
      if (json || !human) stdout.write(`${typeof value === 'string' && !json ? value : JSON.stringify(value, null, 2)}\n`);
      else stdout.write(`${human(value)}\n`);
    },
    note(line) {
      if (!json) stderr.write(`${line}\n`);
    },
    error(error) {
      if (json) {
        stderr.write(`${JSON.stringify({ error: { code: error.code, message: error.message, fix: error.fix, ...(error.details === undefined ? {} : { details: error.details }) } })}\n`);
        return;
      }
      const details = error.details === undefined ? '' : `\n  details: ${JSON.stringify(error.details)}`;
      stderr.write(`error ${error.code}: ${error.message}\n  fix: ${error.fix}${details}\n`);
    },
  };
}
