/**
 * NCHL's wire formats for values (read from the samples of NCHL's API specification): amounts are
 * JSON numbers, timestamps are Java's `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in UTC (`+0000`), dates are
 * `yyyy-MM-dd` business dates, account numbers in detail answers are masked.
 */

/** `"1500.00"` → 1500: NCHL's samples carry amounts as JSON numbers (BigDecimal 14,2 fits a double exactly enough to print back). */
export function amountNumber(amount: string | null | undefined): number | null {
  if (amount === null || amount === undefined) return null;
  return Number(amount);
}

/** `2020-01-22T06:05:30.181+0000` (Jackson's default for java.util.Date). */
export function nchlTimestamp(at: Date): string {
  return at.toISOString().replace('Z', '+0000');
}

function localParts(at: Date, timeZone: string): Record<string, string> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short', hourCycle: 'h23',
  }).formatToParts(at);
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

/** The business date `yyyy-MM-dd` of an instant in the settlement time zone. */
export function nchlDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `2023-09-15 02:18:13` in the settlement time zone (the debit-cap sample's timestamp). */
export function nchlLocalDateTime(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Java's zone abbreviations for the zones a deployment here uses; others print in UTC. */
const ZONE_ABBREVIATIONS: Record<string, string> = { 'Asia/Kathmandu': 'NPT', UTC: 'UTC', 'Etc/UTC': 'UTC' };

/** `Sun Sep 17 09:56:06 NPT 2023`: java.util.Date#toString (the bank-account sample's timestamp). */
export function javaDateString(at: Date, timeZone: string): string {
  const zone = ZONE_ABBREVIATIONS[timeZone] ? timeZone : 'UTC';
  const p = localParts(at, zone);
  return `${p.weekday} ${MONTHS[Number(p.month) - 1]} ${p.day} ${p.hour}:${p.minute}:${p.second} ${ZONE_ABBREVIATIONS[zone]} ${p.year}`;
}

/** `2810012345671564` → `28**********1564`: first two and last four digits, as NCHL's samples show. */
export function maskAccount(accountId: string): string {
  if (accountId.length <= 6) return `${'*'.repeat(Math.max(accountId.length - 2, 0))}${accountId.slice(-2)}`;
  return `${accountId.slice(0, 2)}${'*'.repeat(accountId.length - 6)}${accountId.slice(-4)}`;
}

/** `200000000.00` → `200,000,000.00` (the auto-release sample's amount strings). */
export function groupedAmount(amount: string): string {
  const [whole, fraction = '00'] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}

/**
 * The creditor fields of NCHL's transaction object (reports and the Billers confirm answer), in
 * NCHL's key order. NPI does not store the creditor's id, address or contacts: null.
 */
export function nchlCreditor(t: { creditorAgent: string; creditorBranch: string; creditorName: string | null; creditorAccount: string }) {
  return {
    creditorAgent: t.creditorAgent,
    creditorBranch: t.creditorBranch,
    creditorName: t.creditorName,
    creditorAccount: t.creditorAccount,
    creditorIdType: null,
    creditorIdValue: null,
    creditorAddress: null,
    creditorPhone: null,
    creditorMobile: null,
    creditorEmail: null,
  };
}
