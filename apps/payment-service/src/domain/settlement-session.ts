/**
 * The settlement session a debit counts against (ARCHITECTURE "debit cap": per member per bank per
 * settlement session; a business day by default, Asia/Kathmandu). With cut-offs (local HH:MM, e.g.
 * NCHL-IPS settlement windows) the day is split: `2026-11-25` before the first cut-off is
 * `2026-11-25/1`, after it `2026-11-25/2`, and so on. Without cut-offs the id is the local date.
 */
export interface SettlementCalendar {
  timeZone: string;
  cutoffs: readonly string[];
}

/** Building an Intl.DateTimeFormat costs far more than using one: one per time zone, made once. */
const formats = new Map<string, Intl.DateTimeFormat>();

function localFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format;
}

export function settlementSessionAt(instant: Date, calendar: SettlementCalendar): string {
  const parts = localFormat(calendar.timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${part('year')}-${part('month')}-${part('day')}`;
  if (calendar.cutoffs.length === 0) return day;
  const minuteOfDay = Number(part('hour')) * 60 + Number(part('minute'));
  const cutoffMinutes = [...calendar.cutoffs].map((c) => Number(c.slice(0, 2)) * 60 + Number(c.slice(3, 5))).sort((a, b) => a - b);
  const window = 1 + cutoffMinutes.filter((cutoff) => minuteOfDay >= cutoff).length;
  return `${day}/${window}`;
}

/**
 * The settlement session as the number NCHL's answers carry (`sessionId`, `sessionSrlNo`):
 * `yyyyMMdd` × 100 + the window (0 without cut-offs), e.g. `2026-11-25/2` → 2026112502.
 */
export function settlementSessionNumber(sessionId: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:\/(\d{1,2}))?$/.exec(sessionId);
  if (!match) throw new Error(`not a settlement session id: ${sessionId}`);
  return Number(`${match[1]}${match[2]}${match[3]}`) * 100 + Number(match[4] ?? 0);
}
