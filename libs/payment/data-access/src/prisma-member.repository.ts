import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { PrismaClient } from '@npi/database';
import type { MemberRepository } from './ports';
import type { Member, MemberCertificate, NewMember } from './types';

/** Members and their signing certificates (seed 001 section 7.4: verified with the member's certificate). */
export class PrismaMemberRepository implements MemberRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the member, or returns the existing one with that code (seeding is idempotent). */
  async upsertMember(input: NewMember): Promise<Member> {
    const row = await this.prisma.paymentMember.upsert({
      where: { code: input.code },
      create: {
        id: randomUUID(),
        code: input.code,
        name: input.name,
        kind: input.kind,
        bankId: input.bankId ?? null,
        oauthClientId: input.oauthClientId ?? null,
        userId: input.userId,
      },
      update: { name: input.name, kind: input.kind, bankId: input.bankId ?? null, oauthClientId: input.oauthClientId ?? null, userId: input.userId },
    });
    return row;
  }

  async findByUserId(userId: string): Promise<Member | null> {
    return this.prisma.paymentMember.findUnique({ where: { userId } });
  }

  async findByCode(code: string): Promise<Member | null> {
    return this.prisma.paymentMember.findUnique({ where: { code } });
  }

  async setStatus(memberId: string, status: Member['status']): Promise<void> {
    await this.prisma.paymentMember.update({ where: { id: memberId }, data: { status } });
  }

  /** Registers a certificate (PEM) for the member; registering the same certificate twice is a no-op. */
  async addCertificate(memberId: string, certificatePem: string): Promise<MemberCertificate> {
    const certificate = new X509Certificate(certificatePem);
    const fingerprint = createHash('sha256').update(certificate.raw).digest('hex');
    return this.prisma.paymentMemberCertificate.upsert({
      where: { fingerprint },
      create: {
        id: randomUUID(),
        memberId,
        certificatePem: certificate.toString(),
        fingerprint,
        notBefore: new Date(certificate.validFrom),
        notAfter: new Date(certificate.validTo),
      },
      update: {},
    });
  }

  /** Certificates not revoked and valid at `at` (several during a rotation). */
  async activeCertificates(memberId: string, at: Date): Promise<MemberCertificate[]> {
    return this.prisma.paymentMemberCertificate.findMany({
      where: { memberId, revokedAt: null, notBefore: { lte: at }, notAfter: { gte: at } },
      orderBy: { createdAt: 'desc' },
    });
  }
}
