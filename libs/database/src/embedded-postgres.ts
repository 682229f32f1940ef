import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { LocalOutboxWakeups } from './outbox/outbox-wakeups';
import { SERVICE_SCHEMAS, outboxChannel } from './outbox/service-schema';

export interface EmbeddedPostgres {
  url: string;
  /** The outbox triggers' NOTIFYs, seen in process (PGlite is one session, so LISTEN cannot reach a relay's own connection). */
  outboxWakeups: LocalOutboxWakeups;
  stop(): Promise<void>;
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const NOTIFICATION_RESPONSE = 0x41; // 'A'

/** Reports the channel of each NotificationResponse in a chunk of backend messages. */
export function scanNotifications(data: Uint8Array, onChannel: (channel: string) => void): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 0; at + 5 <= data.length; ) {
    const length = view.getInt32(at + 1);
    if (length < 4) return; // not at a message boundary: give up on this chunk (the poll covers it)
    if (data[at] === NOTIFICATION_RESPONSE && at + 1 + length <= data.length) {
      const start = at + 9; // type, length, sender pid
      const end = data.indexOf(0, start);
      if (end > start) onChannel(Buffer.from(data.subarray(start, end)).toString('utf8'));
    }
    at += 1 + length;
  }
}

/**
 * PGlite is a single session; pglite-socket multiplexes connections onto it but keeps a
 * connection's turn only inside a transaction. node-postgres (and so Prisma) uses the extended
 * protocol (Parse/Bind/Execute/Sync, unnamed statements), so two pooled connections interleaving
 * their messages lose each other's unnamed statement ("unnamed prepared statement does not exist").
 * This queue keeps a connection's turn until its exchange ends (Sync or a simple Query) and no
 * transaction is open, which is what a real server's separate sessions give for free.
 */
class ExchangeAffinityQueue {
  private readonly queue: QueuedMessage[] = [];
  private processing = false;
  private owner: number | null = null;

  constructor(
    private readonly db: PGlite,
    private readonly onNotification: (channel: string) => void = () => undefined,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let index = this.queue.length - 1; index >= 0; index -= 1) {
      if (this.queue[index].handlerId !== handlerId) continue;
      this.queue[index].reject(new Error('Handler disconnected'));
      this.queue.splice(index, 1);
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    void this.process();
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === this.owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                scanNotifications(data, this.onNotification);
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = null;
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        const exchangeEnded = type === SYNC || type === QUERY || type === TERMINATE || type === 0; // 0: startup packet
        this.owner = exchangeEnded && !this.db.isInTransaction() ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

/**
 * PostgreSQL's memory settings for the embedded database. PGlite's WASM memory grows to hold what
 * PostgreSQL touches and never shrinks, so the defaults made for a server (128 MB of shared buffers,
 * 64 MB for maintenance such as the migrations' index builds) stay resident for the life of the
 * standalone process. A development and demonstration database holds a few MB: 16 MB of each took
 * the open database from about 350 to about 210 MB of RSS, with no measurable change in throughput.
 */
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=16MB'];

/**
 * Standalone mode's database: PGlite (PostgreSQL compiled to WASM) persisted in `dataDir`, served
 * over the PostgreSQL wire protocol on 127.0.0.1, so services use the same @prisma/adapter-pg
 * path as in production.
 */
export async function startEmbeddedPostgres({ dataDir, port, maxConnections = 32 }: { dataDir: string; port: number; maxConnections?: number }): Promise<EmbeddedPostgres> {
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await createDatabaseInChildProcess(dataDir);
  const db = await PGlite.create(dataDir, { startParams: EMBEDDED_START_PARAMS });
  // The single session listens, so the outbox triggers' NOTIFYs show up in the commit's output.
  await db.exec(SERVICE_SCHEMAS.map((schema) => `LISTEN ${outboxChannel(schema)};`).join(' '));
  const outboxWakeups = new LocalOutboxWakeups();
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections });
  (server as unknown as { queryQueue: ExchangeAffinityQueue }).queryQueue = new ExchangeAffinityQueue(db, (channel) => outboxWakeups.notify(channel));
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    outboxWakeups,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Creates the database of a fresh data directory in a child process that then exits. PGlite
 * creates one by running initdb (a second WASM module) and loading its output, which leaves about
 * 400 MB of RSS in the process that ran it for as long as it lives. A worker thread gave back its
 * heap but not all of its pages (about 170 MB stayed with the process); a process gives back all.
 * The caller then opens the directory as on every later start.
 */
async function createDatabaseInChildProcess(dataDir: string): Promise<void> {
  const script = `require(process.argv[1]).PGlite.create(process.argv[2], { startParams: JSON.parse(process.argv[3]) }).then((db) => db.close())`;
  const child = spawn(process.execPath, ['-e', script, require.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(EMBEDDED_START_PARAMS)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`creating the embedded database in ${dataDir}: exited with ${code ?? signal}: ${stderr.trim().split('\n').pop() ?? ''}`)),
    );
  });
}
