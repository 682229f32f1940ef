import { Inject, Injectable } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { BillerCreditor, BillerFormField, BillerRecord, BillerRepository } from './ports';

type Row = { code: string; name: string; nameNe: string; group: string; icon: string; form: unknown; creditor: unknown; enabled: boolean };

function toRecord(row: Row): BillerRecord {
  return { ...row, form: row.form as BillerFormField[], creditor: row.creditor as BillerCreditor };
}

/** The biller catalogue in `session.biller`. */
@Injectable()
export class PrismaBillerRepository implements BillerRepository {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient) {}

  async upsert(biller: BillerRecord): Promise<void> {
    const data = {
      name: biller.name,
      nameNe: biller.nameNe,
      group: biller.group,
      icon: biller.icon,
      form: biller.form as unknown as object,
      creditor: biller.creditor as unknown as object,
      enabled: biller.enabled,
    };
    await this.prisma.sessionBiller.upsert({ where: { code: biller.code }, create: { code: biller.code, ...data }, update: data });
  }

  async find(code: string): Promise<BillerRecord | undefined> {
    const row = await this.prisma.sessionBiller.findUnique({ where: { code } });
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<BillerRecord[]> {
    return (await this.prisma.sessionBiller.findMany({ orderBy: { code: 'asc' } })).map(toRecord);
  }
}
