import { Inject, Injectable } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { ChargeSlabRecord, ChargeSlabRepository } from './ports';

/** `session.charge_slab`: one row per app; a change older than the stored one changes nothing. */
@Injectable()
export class PrismaChargeSlabRepository implements ChargeSlabRepository {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient) {}

  async replace(appId: string, slabs: readonly ChargeSlabRecord[], changedAt: Date, transaction?: unknown): Promise<void> {
    const client = (transaction as PrismaClient | undefined) ?? this.prisma;
    await client.$executeRawUnsafe(
      `INSERT INTO "session"."charge_slab" (app_id, slabs, changed_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (app_id) DO UPDATE SET slabs = EXCLUDED.slabs, changed_at = EXCLUDED.changed_at
       WHERE "charge_slab".changed_at <= EXCLUDED.changed_at`,
      appId,
      JSON.stringify(slabs),
      changedAt,
    );
  }

  async slabsOf(appId: string): Promise<ChargeSlabRecord[]> {
    const row = await this.prisma.sessionChargeSlab.findUnique({ where: { appId } });
    return (row?.slabs as ChargeSlabRecord[] | undefined) ?? [];
  }
}
