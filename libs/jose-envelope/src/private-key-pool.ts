import { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { JWE_KEY_ALGORITHMS, JWS_ALGORITHMS, type JweKeyAlgorithm, type JwsAlgorithm } from './lib/algorithms';
import type { PrivateOperations } from './lib/private-operations';
import { WORKER_SOURCE } from './lib/worker-source';
import { KeyInvalid, PrivateKeyPoolFailed } from './errors';

export interface PrivateKeyPoolOptions {
  /** Number of worker threads; default `os.availableParallelism()` (one per core). */
  size?: number;
}

interface Pending {
  settle(result: Uint8Array | null): void;
  fail(error: Error): void;
}

interface Slot {
  worker: Worker;
  inflight: number;
  /** Requests waiting for the end of the current synchronous run, sent as one message. */
  outbox: object[];
  /** Ids of the keys this worker already holds. */
  keys: Set<number>;
  pending: Map<number, Pending>;
}

// One id per KeyObject for the lifetime of the process, shared by all pools.
const keyIds = new WeakMap<KeyObject, number>();
let nextKeyId = 1;

function keyIdOf(key: KeyObject): number {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = nextKeyId++;
    keyIds.set(key, id);
  }
  return id;
}

/** A copy that owns its ArrayBuffer: cloning a view of Buffer's 8 KiB pool would copy all of it. */
function exact(data: Uint8Array): Uint8Array {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : new Uint8Array(data);
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Worker threads that perform RSA private-key operations (PS256/RS256 signing, RSA-OAEP CEK unwrap)
 * so a busy service keeps its event loop free: each operation costs about 1 ms of CPU on a 2048-bit
 * key, which on the main thread would add that much latency to every other request.
 *
 * - Started lazily on first use; `close()` terminates the workers, and a later use starts new ones.
 * - Idle workers are unref'd, so the pool never keeps a process alive; a worker is ref'd only while
 *   it has operations in flight (so `await seal(...)` in a script still completes).
 * - Each private key is sent to a worker once (KeyObjects are cloned by `postMessage`, no PEM export)
 *   and cached there; when the KeyObject is garbage-collected here the workers drop their copy.
 * - Operations go to the worker with the fewest in flight. Requests issued in one synchronous run
 *   travel as one message, and a saturated worker returns results in small groups (see
 *   lib/worker-source.ts): fewer postMessage round trips per operation.
 */
export class PrivateKeyPool implements PrivateOperations {
  readonly size: number;
  private slots: Slot[] = [];
  private nextRequestId = 1;
  private readonly sentKeys = new WeakSet<KeyObject>();
  private readonly collected = new FinalizationRegistry<number>((keyId) => this.dropKey(keyId));

  constructor(options: PrivateKeyPoolOptions = {}) {
    const size = options.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new RangeError('PrivateKeyPool size must be a positive integer');
    this.size = size;
  }

  sign(key: KeyObject, alg: JwsAlgorithm, signingInput: Uint8Array): Promise<Buffer> {
    const { hash, padding, saltLength } = JWS_ALGORITHMS[alg];
    return new Promise<Buffer>((resolve, reject) => {
      this.dispatch(key, (i, k) => ({ t: 'sign', i, k, h: hash, p: padding, s: saltLength, d: exact(signingInput) }), {
        settle: (result) => (result ? resolve(toBuffer(result)) : reject(new KeyInvalid('signing key: RSA signing failed'))),
        fail: reject,
      });
    });
  }

  unwrap(key: KeyObject, alg: JweKeyAlgorithm, encryptedKey: Uint8Array): Promise<Buffer | undefined> {
    return new Promise<Buffer | undefined>((resolve, reject) => {
      this.dispatch(key, (i, k) => ({ t: 'unwrap', i, k, h: JWE_KEY_ALGORITHMS[alg].oaepHash, d: exact(encryptedKey) }), {
        settle: (result) => resolve(result ? toBuffer(result) : undefined),
        fail: reject,
      });
    });
  }

  /** Terminates the workers; operations in flight fail with `ERR_PRIVATE_KEY_POOL_FAILED`. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    await Promise.all(
      slots.map(async (slot) => {
        this.failPending(slot, 'private-key pool closed');
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(key: KeyObject, message: (requestId: number, keyId: number) => object, pending: Pending): void {
    this.start();
    let slot = this.slots[0];
    for (let index = 1; index < this.slots.length; index += 1) {
      if (this.slots[index].inflight < slot.inflight) slot = this.slots[index];
    }
    const keyId = keyIdOf(key);
    if (!slot.keys.has(keyId)) {
      this.send(slot, { t: 'key', k: keyId, key });
      slot.keys.add(keyId);
      if (!this.sentKeys.has(key)) {
        this.sentKeys.add(key);
        this.collected.register(key, keyId);
      }
    }
    const requestId = this.nextRequestId++;
    slot.pending.set(requestId, pending);
    if (slot.inflight++ === 0) slot.worker.ref();
    this.send(slot, message(requestId, keyId));
  }

  // Requests made in the same synchronous run (64 callers resuming after one batch of results) go
  // out as one postMessage at the next microtask checkpoint.
  private send(slot: Slot, request: object): void {
    if (slot.outbox.push(request) === 1) {
      queueMicrotask(() => {
        const requests = slot.outbox;
        slot.outbox = [];
        if (this.slots.includes(slot)) slot.worker.postMessage(requests);
      });
    }
  }

  private start(): void {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'jose-envelope-private-key' });
    const slot: Slot = { worker, inflight: 0, outbox: [], keys: new Set(), pending: new Map() };
    worker.on('message', (replies: Array<number | Uint8Array | null>) => {
      for (let index = 0; index < replies.length; index += 2) {
        const requestId = replies[index] as number;
        const pending = slot.pending.get(requestId);
        if (!pending) continue;
        slot.pending.delete(requestId);
        if (--slot.inflight === 0) worker.unref();
        pending.settle(replies[index + 1] as Uint8Array | null);
      }
    });
    // A worker that dies (uncaught error, out of memory) fails its operations and is replaced on
    // the next dispatch; the error itself is not forwarded, it could mention key material.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      this.failPending(slot, 'private-key worker exited');
      this.slots = this.slots.filter((candidate) => candidate !== slot);
    });
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    return slot;
  }

  private failPending(slot: Slot, reason: string): void {
    const pending = [...slot.pending.values()];
    slot.pending.clear();
    if (slot.inflight > 0) slot.worker.unref();
    slot.inflight = 0;
    for (const operation of pending) operation.fail(new PrivateKeyPoolFailed(reason));
  }

  private dropKey(keyId: number): void {
    for (const slot of this.slots) {
      if (slot.keys.delete(keyId)) this.send(slot, { t: 'drop', k: keyId });
    }
  }
}

let defaultPool: PrivateKeyPool | undefined;

/** The pool `seal`/`open` use when `offload` is true (the default): one per process, lazily started. */
export function defaultPrivateKeyPool(): PrivateKeyPool {
  defaultPool ??= new PrivateKeyPool();
  return defaultPool;
}

/** Terminates the default pool's workers (tests, graceful shutdown). A later operation restarts it. */
export async function closeDefaultPrivateKeyPool(): Promise<void> {
  await defaultPool?.close();
}
