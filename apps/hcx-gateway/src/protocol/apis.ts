/**
 * The HCX protocol APIs this gateway routes, with who may send them to whom. Request APIs go from a
 * provider to a payor (or TPA acting for one); their on_* callbacks come back the other way.
 * Payment notices and communication requests start at the payor. /hcx/status is open to any role.
 */
export interface ProtocolApi {
  path: string;
  /** The callback the dispatcher uses for a gateway-generated error (undefined for on_* APIs). */
  errorCallbackPath?: string;
  isCallback: boolean;
  senderRoles: readonly string[] | 'any';
  recipientRoles: readonly string[] | 'any';
}

const PAYORS = ['payor', 'agency.tpa'] as const;
const PROVIDERS = ['provider'] as const;

function pair(base: string, action: string, requester: readonly string[] | 'any', responder: readonly string[] | 'any'): ProtocolApi[] {
  const request = `/${base}/${action}`;
  const callback = `/${base}/on_${action}`;
  return [
    { path: request, errorCallbackPath: callback, isCallback: false, senderRoles: requester, recipientRoles: responder },
    { path: callback, isCallback: true, senderRoles: responder, recipientRoles: requester },
  ];
}

export const PROTOCOL_APIS: readonly ProtocolApi[] = [
  ...pair('coverageeligibility', 'check', PROVIDERS, PAYORS),
  ...pair('predetermination', 'submit', PROVIDERS, PAYORS),
  ...pair('preauth', 'submit', PROVIDERS, PAYORS),
  ...pair('claim', 'submit', PROVIDERS, PAYORS),
  ...pair('paymentnotice', 'request', PAYORS, PROVIDERS),
  ...pair('communication', 'request', PAYORS, PROVIDERS),
  ...pair('hcx', 'status', 'any', 'any'),
];

export const PROTOCOL_VERSION = 'v0.8';

export function protocolApiOf(path: string): ProtocolApi | undefined {
  return PROTOCOL_APIS.find((api) => api.path === path);
}
