/**
 * Where a request's CPU goes, by process: the server under test, PostgreSQL, the Kafka broker, the
 * load client, and everything else on the machine. A rate alone says a path is slow; this says
 * which process pays for it, which is what decides the next change.
 *
 * Read from /proc (Linux): utime + stime of every process, summed by role. Slices run one
 * contender at a time, so the bench's child processes busy during a slice are that contender's
 * server (the others idle, apart from their timers). PostgreSQL counts the backends connected to
 * a bench database (`npi_bench_*`) and the server's shared background processes (WAL writer,
 * checkpointer); Kafka counts the bench's broker (`setBenchBroker`), or every broker when none is
 * set. Other databases' backends and other brokers (a test run next door) go to "other": the
 * machine's busy time minus all of the above, which tells how noisy a slice was.
 */
import fs from 'node:fs';

export type CpuRole = 'server' | 'server_event_loop' | 'postgres' | 'kafka' | 'client' | 'other';
/** `server_event_loop` is the part of `server` spent on the servers' main threads (the rest: libuv pool, GC and compiler threads). */
export const CPU_ROLES: readonly CpuRole[] = ['server', 'server_event_loop', 'postgres', 'kafka', 'client', 'other'];

/** CPU seconds by role since an arbitrary origin. */
export type CpuSnapshot = Record<CpuRole, number>;

/** Linux's USER_HZ: the unit of /proc's CPU times (100 on every architecture Node runs on). */
const TICKS_PER_SECOND = 100;

interface ProcessCpu {
  pid: number;
  ppid: number;
  comm: string;
  seconds: number;
}

const BENCH_DATABASE_PREFIX = 'npi_bench_';
let benchBrokerMarker: string | undefined;

/** Counts only the Kafka broker whose command line holds `marker` (its data directory) as "kafka". */
export function setBenchBroker(marker: string | undefined): void {
  benchBrokerMarker = marker;
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** A backend shows `postgres: <cluster>: <user> <database> <address>`; a background process has no address. */
function isBenchPostgres(pid: number): boolean {
  const line = commandLine(pid);
  return line.includes(BENCH_DATABASE_PREFIX) || !/\(\d+\)|\[local\]/.test(line);
}

function isBenchBroker(pid: number): boolean {
  const line = commandLine(pid);
  return line.includes('kafka.Kafka') && (benchBrokerMarker === undefined || line.includes(benchBrokerMarker));
}

function readProcess(pid: number, statPath = `/proc/${pid}/stat`): ProcessCpu | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(statPath, 'utf8');
  } catch {
    return undefined; // ended between the listing and the read
  }
  // comm is in parentheses and may hold spaces or parentheses itself: split after the last ')'.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  // After comm: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), 1-based in proc(5).
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { pid, ppid, comm, seconds: ticks / TICKS_PER_SECOND };
}

function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by each role, seen from this (the load client's) process. */
export function cpuSnapshot(clientPid: number = process.pid): CpuSnapshot {
  const processes = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessCpu => p !== undefined);
  const children = new Map<number, ProcessCpu[]>();
  for (const p of processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const descendants = new Set<number>();
  const stack = [...(children.get(clientPid) ?? [])];
  while (stack.length > 0) {
    const p = stack.pop() as ProcessCpu;
    if (descendants.has(p.pid)) continue;
    descendants.add(p.pid);
    stack.push(...(children.get(p.pid) ?? []));
  }
  const snapshot: CpuSnapshot = { server: 0, server_event_loop: 0, postgres: 0, kafka: 0, client: 0, other: 0 };
  let counted = 0;
  for (const p of processes) {
    const role: CpuRole | undefined =
      p.pid === clientPid
        ? 'client'
        : p.comm === 'postgres'
          ? isBenchPostgres(p.pid) ? 'postgres' : undefined
          : p.comm === 'java'
            ? isBenchBroker(p.pid) ? 'kafka' : undefined
            : descendants.has(p.pid) ? 'server' : undefined;
    if (!role) continue;
    snapshot[role] += p.seconds;
    counted += p.seconds;
    // A process's main thread has the process's id as its thread id.
    if (role === 'server') snapshot.server_event_loop += readProcess(p.pid, `/proc/${p.pid}/task/${p.pid}/stat`)?.seconds ?? 0;
  }
  // Processes that ended during a slice take their time with them; "other" absorbs that error too.
  snapshot.other = machineBusySeconds() - counted;
  return snapshot;
}

export function cpuSince(before: CpuSnapshot, after: CpuSnapshot = cpuSnapshot()): CpuSnapshot {
  const delta = {} as CpuSnapshot;
  for (const role of CPU_ROLES) delta[role] = Math.max(0, after[role] - before[role]);
  return delta;
}

export function addCpu(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  const sum = {} as CpuSnapshot;
  for (const role of CPU_ROLES) sum[role] = a[role] + b[role];
  return sum;
}

/**
 * `cpu_ms_per_req_<role>` figures for a report row: milliseconds of CPU per answered request, by
 * role, and their total without "other".
 */
export function cpuPerRequest(cpu: CpuSnapshot | undefined, requests: number): Record<string, number> {
  if (!cpu || requests <= 0) return {};
  const ms = (seconds: number) => Number(((seconds * 1000) / requests).toFixed(3));
  const figures: Record<string, number> = {};
  for (const role of CPU_ROLES) figures[`cpu_ms_per_req_${role}`] = ms(cpu[role]);
  figures.cpu_ms_per_req_total = ms(cpu.server + cpu.postgres + cpu.kafka + cpu.client);
  return figures;
}
