import type { Member } from '@npi/payment/data-access';

/** The caller as the access token names it (auth-guards' AccessTokenPrincipal, the fields used here). */
export interface MemberPrincipal {
  clientId: string;
  /** The OAuth username: NCHL's `userId` in every token string. */
  subject: string;
}

/** The member an access token acts for: active, and reached through its linked OAuth client when it has one. */
export function actsFor(member: Member | null, principal: MemberPrincipal): member is Member {
  return member !== null && member.status === 'ACTIVE' && (member.oauthClientId === null || member.oauthClientId === principal.clientId);
}
