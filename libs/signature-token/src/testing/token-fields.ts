/**
 * The input field behind each field of each token string, in token-string order, for specs that
 * walk every field (missing, comma, tampering). `userId` stands for the builder's second argument.
 */
const BATCH = ['batchId', 'debtorAgent', 'debtorBranch', 'debtorAccount', 'batchAmount', 'batchCrncy'];
const TRANSACTION = ['instructionId', 'creditorAgent', 'creditorBranch', 'creditorAccount', 'amount'];
const AMOUNT_FIELDS = new Set(['batchAmount', 'amount']);

export function realTimeFieldPaths(): string[] {
  return [
    ...BATCH.map((name) => `cipsBatchDetail.${name}`),
    ...TRANSACTION.map((name) => `cipsTransactionDetailList[0].${name}`),
    'userId',
  ];
}

export function nonRealTimeFieldPaths(transactions: number): string[] {
  const paths = [...BATCH.map((name) => `nchlIpsBatchDetail.${name}`), 'nchlIpsBatchDetail.categoryPurpose'];
  for (let index = 0; index < transactions; index++) {
    paths.push(...TRANSACTION.map((name) => `nchlIpsTransactionDetailList[${index}].${name}`));
  }
  paths.push('userId');
  return paths;
}

export function billersConfirmFieldPaths(): string[] {
  return [
    ...BATCH.map((name) => `cipsBatchDetail.${name}`),
    ...['id', 'instructionId', 'endToEndId', 'appId', 'refId', 'amount'].map((name) => `cipsTransactionDetail.${name}`),
    'userId',
  ];
}

export function responseFieldPaths(transactions: number): string[] {
  const paths = ['cipsBatchResponse.batchId', 'cipsBatchResponse.responseCode', 'cipsBatchResponse.debitStatus'];
  for (let index = 0; index < transactions; index++) {
    paths.push(...['instructionId', 'responseCode', 'creditStatus'].map((name) => `cipsTxnResponseList[${index}].${name}`));
  }
  return paths;
}

export function isAmountPath(path: string): boolean {
  return AMOUNT_FIELDS.has(path.slice(path.lastIndexOf('.') + 1));
}

function segments(path: string): (string | number)[] {
  return path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** A deep copy of `body` with the value at `path` replaced (`undefined` deletes it). */
export function withField<T>(body: T, path: string, value: unknown): T {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  const parts = segments(path);
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as T;
}

export function fieldAt(body: unknown, path: string): unknown {
  let node = body as Record<string | number, unknown> | undefined;
  for (const part of segments(path)) node = node?.[part] as Record<string | number, unknown> | undefined;
  return node;
}
