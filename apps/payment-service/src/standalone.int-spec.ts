/** The standalone hooks: secrets generated once and reused; the demo member seeded idempotently and usable. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEBIT_CAP_REPOSITORY, MEMBER_REPOSITORY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { DebitCapRepository, MemberRepository, WhitelistRepository } from '@npi/payment/data-access';
import { loadSigner } from '@npi/signature-token';
import { startLocalIssuer, startPaymentService } from '../test/support/payment-harness';
import { seedDemo, standaloneEnvironment } from './standalone';

describe('payment-service standalone hooks', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payment-standalone-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('generates NPI\'s signing PFX, passphrase and admin token once (0600) and reads them back', () => {
    const first = standaloneEnvironment(dataDir);
    const second = standaloneEnvironment(dataDir);
    expect(second).toEqual(first);
    expect(first.PAYMENT_ADMIN_TOKEN.length).toBeGreaterThanOrEqual(32);
    expect(loadSigner(Buffer.from(first.NPI_SIGNING_PFX_BASE64, 'base64'), first.NPI_SIGNING_PFX_PASSPHRASE).modulusLength).toBe(2048);
    const mode = fs.statSync(path.join(dataDir, 'secrets', 'payment-service', 'npi-signing.pfx')).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('seeds the demo member linked to auth-service\'s demo client, idempotently', async () => {
    const issuer = await startLocalIssuer();
    const { service } = await startPaymentService(issuer);
    try {
      const code = `DEMO${Date.now() % 100000}`;
      const context = { demoDir: path.join(dataDir, 'demo'), shared: { 'auth-service': { clientId: `demo-${code}`, username: `${code}.user`, memberCode: code } } };
      const first = await seedDemo(service as never, context);
      const second = await seedDemo(service as never, context);
      expect(second).toEqual(first);
      const member = await service.app.get<MemberRepository>(MEMBER_REPOSITORY).findByCode(code);
      expect(member).toMatchObject({ userId: `${code}.user`, oauthClientId: `demo-${code}` });
      expect(await service.app.get<MemberRepository>(MEMBER_REPOSITORY).activeCertificates(member!.id, new Date())).toHaveLength(1);
      expect(await service.app.get<WhitelistRepository>(WHITELIST_REPOSITORY).list(member!.id)).toHaveLength(1);
      expect((await service.app.get<DebitCapRepository>(DEBIT_CAP_REPOSITORY).find(member!.id, '2501'))?.capAmount).toBe('1000000.00');
      // The PFX written for the member opens with the passphrase the section shows.
      const signer = loadSigner(fs.readFileSync(first.pfxFile as string), first.pfxPassphrase as string);
      expect(signer.certificatePem.replace(/\r\n/g, '\n')).toBe(fs.readFileSync(first.certificateFile as string, 'utf8').replace(/\r\n/g, '\n'));
    } finally {
      await service.stop();
      await issuer.close();
    }
  }, 60_000);
});
