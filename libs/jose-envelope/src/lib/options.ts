import { defaultPrivateKeyPool, type PrivateKeyPool } from '../private-key-pool';
import { inProcessOperations, type PrivateOperations } from './private-operations';

/**
 * `offload`: true (default) uses the process-wide worker pool, a `PrivateKeyPool` uses that pool,
 * false performs the RSA private operations on the calling thread.
 */
export type Offload = boolean | PrivateKeyPool;

export function privateOperations(offload: Offload | undefined): PrivateOperations {
  if (offload === false) return inProcessOperations;
  if (offload === undefined || offload === true) return defaultPrivateKeyPool();
  return offload;
}
