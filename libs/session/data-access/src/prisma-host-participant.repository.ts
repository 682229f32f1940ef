import { Inject, Injectable } from '@nestjs/common';
import { PRISMA_CLIENT } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { ParticipantRecord, HostParticipantRepository } from './ports';

type Row = {
  code: string;
  name: string;
  status: ParticipantRecord['status'];
  allowedAlgorithms: unknown;
  hostOrigins: unknown;
  channels: unknown;
  enabledBillers: unknown;
  keys: { kid: string; use: 'SIG' | 'ENC'; publicKeyPem: string; createdAt: Date }[];
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function toRecord(row: Row): ParticipantRecord {
  return {
    code: row.code,
    name: row.name,
    status: row.status,
    allowedAlgorithms: strings(row.allowedAlgorithms),
    hostOrigins: strings(row.hostOrigins),
    channels: strings(row.channels),
    enabledBillers: strings(row.enabledBillers),
    keys: row.keys.map((k) => ({ kid: k.kid, use: k.use, publicKeyPem: k.publicKeyPem, createdAt: k.createdAt })),
  };
}

/** The participant registry in `session.participant` / `session.participant_key`. */
@Injectable()
export class PrismaHostParticipantRepository implements HostParticipantRepository {
  constructor(@Inject(PRISMA_CLIENT) private readonly prisma: PrismaClient) {}

  async upsert(participant: ParticipantRecord, now: Date): Promise<void> {
    const data = {
      name: participant.name,
      status: participant.status,
      allowedAlgorithms: participant.allowedAlgorithms,
      hostOrigins: participant.hostOrigins,
      channels: participant.channels,
      enabledBillers: participant.enabledBillers,
      updatedAt: now,
    };
    await this.prisma.$transaction(async (tx) => {
      await tx.sessionParticipant.upsert({ where: { code: participant.code }, create: { code: participant.code, ...data, createdAt: now }, update: data });
      // Keys are replaced as a set: what the registry holds is exactly what the admin registered.
      await tx.sessionParticipantKey.deleteMany({ where: { participantCode: participant.code } });
      await tx.sessionParticipantKey.createMany({
        data: participant.keys.map((key) => ({ participantCode: participant.code, kid: key.kid, use: key.use, publicKeyPem: key.publicKeyPem, createdAt: key.createdAt })),
      });
    });
  }

  async find(code: string): Promise<ParticipantRecord | undefined> {
    const row = await this.prisma.sessionParticipant.findUnique({ where: { code }, include: { keys: { orderBy: { createdAt: 'asc' } } } });
    return row ? toRecord(row as Row) : undefined;
  }

  async list(): Promise<ParticipantRecord[]> {
    const rows = await this.prisma.sessionParticipant.findMany({ include: { keys: { orderBy: { createdAt: 'asc' } } }, orderBy: { code: 'asc' } });
    return rows.map((row) => toRecord(row as Row));
  }
}
