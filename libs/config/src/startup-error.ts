import fs from 'node:fs';

/** sysexits(3): what a supervisor (Kubernetes, systemd) learns from the exit code. */
export const EXIT_CONFIG = 78;
export const EXIT_UNAVAILABLE = 69;

export type StartupFailureKind = 'config' | 'unavailable';

/**
 * A start that cannot succeed, blamed on one setting: a key file that is missing or unreadable, a
 * wrong passphrase (`config`, exit 78), or a dependency that does not answer (`unavailable`, exit
 * 69). The message names the setting and never its value (values may be secrets).
 */
export class StartupError extends Error {
  readonly code = 'ERR_STARTUP' as const;
  constructor(
    readonly setting: string,
    readonly reason: string,
    readonly kind: StartupFailureKind = 'config',
  ) {
    super(`${setting}: ${reason}`);
    this.name = 'StartupError';
  }

  get exitCode(): number {
    return this.kind === 'config' ? EXIT_CONFIG : EXIT_UNAVAILABLE;
  }
}

export function isStartupError(error: unknown): error is StartupError {
  return error instanceof StartupError || (error instanceof Error && (error as { code?: unknown }).code === 'ERR_STARTUP');
}

/** Reads a file named by a setting; a missing or unreadable file is that setting's fault. */
export function readSettingFile(setting: string, file: string): string;
export function readSettingFile(setting: string, file: string, encoding: null): Buffer;
export function readSettingFile(setting: string, file: string, encoding: BufferEncoding | null = 'utf8'): string | Buffer {
  try {
    return encoding === null ? fs.readFileSync(file) : fs.readFileSync(file, encoding);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
    throw new StartupError(setting, `cannot read ${file} (${why})`);
  }
}

/**
 * Runs a startup step that interprets a setting (parse a key, open a PFX); any failure becomes a
 * StartupError naming the setting, with the step's own message only when it is one of ours.
 */
export function interpretSetting<T>(setting: string, what: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isStartupError(error)) throw error;
    throw new StartupError(setting, what);
  }
}
