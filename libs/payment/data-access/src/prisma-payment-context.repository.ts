import { preparedStatement } from '@npi/database';
import type { PrismaClient } from '@npi/database';
import type { PaymentContextRepository } from './ports';
import type { DebitCap, Member, MemberCertificate, PaymentContext, PaymentContextQuery, StoredAnswer } from './types';

/**
 * One statement for the five reads a transaction request makes before its decision. Each subquery
 * is the WHERE clause of the repository method it stands for (MemberRepository.findByUserId and
 * activeCertificates, BatchRepository.findAnswer, WhitelistRepository.findActive, DebitCapRepository.find).
 */
const PAYMENT_CONTEXT_SQL = preparedStatement(`
WITH m AS (
  SELECT id::text AS id, code, name, kind::text AS kind, bank_id AS "bankId", oauth_client_id AS "oauthClientId", user_id AS "userId", status::text AS status
  FROM "payment"."member" WHERE user_id = $1)
SELECT
  (SELECT row_to_json(m) FROM m) AS member,
  COALESCE((
    SELECT json_agg(json_build_object('id', c.id, 'memberId', c.member_id, 'certificatePem', c.certificate_pem, 'fingerprint', c.fingerprint,
             'notBefore', c.not_before, 'notAfter', c.not_after) ORDER BY c.created_at DESC)
    FROM "payment"."member_certificate" c JOIN m ON c.member_id = m.id::uuid
    WHERE c.revoked_at IS NULL AND c.not_before <= $5::timestamptz AND c.not_after >= $5::timestamptz), '[]'::json) AS certificates,
  (SELECT json_build_object('requestHash', b.request_hash, 'httpStatus', b.http_status, 'responseBody', b.response_body)
     FROM "payment"."batch" b JOIN m ON b.member_id = m.id::uuid WHERE b.batch_id = $2) AS previous,
  EXISTS (
    SELECT 1 FROM "payment"."whitelist_entry" w JOIN m ON w.member_id = m.id::uuid
    WHERE w.bank_id = $3 AND w.account_id = $4 AND w.status = 'ACCEPTED' AND w.effective_from <= $5::timestamptz
      AND (w.effective_to IS NULL OR w.effective_to > $5::timestamptz)) AS whitelisted,
  (SELECT json_build_object('id', d.id, 'memberId', d.member_id, 'bankId', d.bank_id, 'capAmount', d.cap_amount::text,
            'perTransactionLimit', d.per_transaction_limit::text)
     FROM "payment"."debit_cap" d JOIN m ON d.member_id = m.id::uuid WHERE d.bank_id = $3) AS cap`);

interface ContextRow {
  member: Member | null;
  certificates: (Omit<MemberCertificate, 'notBefore' | 'notAfter'> & { notBefore: string; notAfter: string })[];
  previous: StoredAnswer | null;
  whitelisted: boolean;
  cap: DebitCap | null;
}

export class PrismaPaymentContextRepository implements PaymentContextRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async read(query: PaymentContextQuery): Promise<PaymentContext> {
    const [row] = await this.prisma.$queryRawUnsafe<ContextRow[]>(PAYMENT_CONTEXT_SQL, query.userId, query.batchId, query.debtorAgent, query.debtorAccount, query.at);
    return {
      member: row.member,
      certificates: row.certificates.map((c) => ({ ...c, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter) })),
      previousAnswer: row.previous,
      whitelisted: row.whitelisted,
      cap: row.cap,
    };
  }
}
