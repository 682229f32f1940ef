import { ipInCidrs, parseCidr } from './cidr';
import type { Cidr } from './cidr';

/** What `auth.client.updated.v1` carries that the allowlist needs (structural). */
export interface ClientAllowlistUpdate {
  clientId: string;
  revision: number;
  status: 'ACTIVE' | 'DISABLED';
  allowedCidrs: readonly string[];
}

interface Entry {
  revision: number;
  active: boolean;
  cidrs: Cidr[];
}

/**
 * Each client's allowed source CIDRs (seed 001 section 7.1), fed by `auth.client.updated.v1`.
 * Idempotent by revision: an older or repeated event changes nothing. Unknown and disabled
 * clients are allowed from nowhere (fail closed).
 */
export class ClientAllowlistCache {
  private readonly clients = new Map<string, Entry>();

  apply(update: ClientAllowlistUpdate): boolean {
    const existing = this.clients.get(update.clientId);
    if (existing && existing.revision >= update.revision) return false;
    const cidrs: Cidr[] = [];
    for (const text of update.allowedCidrs) {
      try {
        cidrs.push(parseCidr(text));
      } catch {
        // A malformed entry allows nothing; the rest still apply.
      }
    }
    this.clients.set(update.clientId, { revision: update.revision, active: update.status === 'ACTIVE', cidrs });
    return true;
  }

  isAllowed(clientId: string, ip: string | undefined): boolean {
    const entry = this.clients.get(clientId);
    if (!entry || !entry.active || ip === undefined) return false;
    return ipInCidrs(ip, entry.cidrs);
  }

  has(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  revisionOf(clientId: string): number | undefined {
    return this.clients.get(clientId)?.revision;
  }
}
