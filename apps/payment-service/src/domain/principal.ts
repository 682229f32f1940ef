/** The caller as the access token names it (auth-guards' AccessTokenPrincipal, the fields used here). */
export interface MemberPrincipal {
  clientId: string;
  /** The OAuth username: NCHL's `userId` in every token string. */
  subject: string;
}
