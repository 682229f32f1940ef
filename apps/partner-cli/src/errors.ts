/**
 * Every failure the CLI reports carries a stable code, what went wrong and how to fix it. Services'
 * own error codes (NCHL responseCode, OAuth `error`, HCX `error.code`) are passed through in `code`.
 */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
    readonly details?: unknown,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, fix: string) => new CliError('ERR_USAGE', message, fix, undefined, 2);

export function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && code.startsWith('ERR_')) {
    return new CliError(code, message, 'check the input named in the message; `npi-partner <command> --help` shows the options');
  }
  return new CliError('ERR_UNEXPECTED', message, 'rerun with NPI_PARTNER_DEBUG=1 for the stack trace and report it');
}
