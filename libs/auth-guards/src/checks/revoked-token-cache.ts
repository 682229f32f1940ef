import type { AccessTokenPrincipal } from './access-token';

/** What `auth.token.revoked.v1` carries (kept structural so this file needs no contract import). */
export interface TokenRevocation {
  jtis: readonly string[];
  clientId?: string;
  subject?: string;
  revokedBefore?: string;
  expiresAt: string;
}

const ANY = '*';

/**
 * Access tokens that must no longer be honoured although their signature and `exp` are fine.
 * Fed by `auth.token.revoked.v1` (docs/architecture.md "Kafka"): individual `jti`s, and cut-offs "every
 * token of this client and/or subject issued at or before T" (refresh-token reuse, user disabled).
 * Entries are forgotten once every token they cover has expired anyway, so memory stays bounded by
 * the tokens alive in the last access-token lifetime.
 */
export class RevokedTokenCache {
  private readonly jtis = new Map<string, number>();
  private readonly cutoffs = new Map<string, { before: number; forgetAfter: number }>();

  apply(revocation: TokenRevocation): void {
    const forgetAfter = Date.parse(revocation.expiresAt);
    for (const jti of revocation.jtis) this.jtis.set(jti, Math.max(forgetAfter, this.jtis.get(jti) ?? 0));
    if (revocation.revokedBefore && (revocation.clientId || revocation.subject)) {
      const key = cutoffKey(revocation.clientId ?? ANY, revocation.subject ?? ANY);
      const before = Date.parse(revocation.revokedBefore);
      const existing = this.cutoffs.get(key);
      this.cutoffs.set(key, {
        before: Math.max(before, existing?.before ?? 0),
        forgetAfter: Math.max(forgetAfter, existing?.forgetAfter ?? 0),
      });
    }
  }

  isRevoked(token: Pick<AccessTokenPrincipal, 'jti' | 'clientId' | 'subject' | 'issuedAt'>): boolean {
    if (this.jtis.has(token.jti)) return true;
    const issued = token.issuedAt.getTime();
    for (const key of [cutoffKey(token.clientId, token.subject), cutoffKey(token.clientId, ANY), cutoffKey(ANY, token.subject)]) {
      const cutoff = this.cutoffs.get(key);
      if (cutoff && issued <= cutoff.before) return true;
    }
    return false;
  }

  /** Drops entries whose tokens have all expired; call now and then (the guard module does). */
  prune(now: Date): void {
    const t = now.getTime();
    for (const [jti, forgetAfter] of this.jtis) if (forgetAfter < t) this.jtis.delete(jti);
    for (const [key, cutoff] of this.cutoffs) if (cutoff.forgetAfter < t) this.cutoffs.delete(key);
  }

  get size(): number {
    return this.jtis.size + this.cutoffs.size;
  }
}

function cutoffKey(clientId: string, subject: string): string {
  return `${clientId}\u0000${subject}`;
}
