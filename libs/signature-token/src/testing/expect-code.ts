import { SignatureTokenError, type SignatureTokenErrorCode } from '../errors';

/** Runs `action` and returns the error it throws, failing if it is not one of this lib's errors. */
export function errorOf(action: () => unknown): SignatureTokenError {
  try {
    action();
  } catch (error) {
    if (error instanceof SignatureTokenError) return error;
    throw error;
  }
  throw new Error('expected a SignatureTokenError, nothing was thrown');
}

export function codeOf(action: () => unknown): SignatureTokenErrorCode {
  return errorOf(action).code;
}
