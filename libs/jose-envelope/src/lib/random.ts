import { randomFillSync } from 'node:crypto';

// CSPRNG bytes drawn from a 4 KiB pool refilled with one randomFillSync call: a per-seal CEK and IV
// cost one slice copy instead of two calls into OpenSSL. Every byte is handed out once and copied
// out, so nothing is ever reused or shared between callers.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let offset = POOL_SIZE;

export function randomBytesFromPool(size: number): Buffer {
  if (size > POOL_SIZE) return randomFillSync(Buffer.alloc(size));
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
