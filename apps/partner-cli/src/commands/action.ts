/**
 * Wraps a command handler: builds the context from the global options, maps every failure to a
 * CliError (code, message, fix) on stderr and a non-zero exit code, never a stack trace.
 */
import type { Command } from 'commander';
import { CliContext } from '../context';
import type { GlobalOptions } from '../context';
import { asCliError } from '../errors';
import { createOutput } from '../output';

type Handler = (ctx: CliContext, ...args: any[]) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function action(handler: Handler): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    const ctx = new CliContext(globals, createOutput(Boolean(globals.json)));
    try {
      await handler(ctx, ...args.slice(0, -1));
    } catch (error) {
      const cliError = asCliError(error);
      ctx.out.error(cliError);
      if (process.env.NPI_PARTNER_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = cliError.exitCode;
    }
  };
}
