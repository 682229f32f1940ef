/** seedDemo: two Active demo participants, secrets shown once and reused from the demo files, keys written, idempotent. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { RunningService } from '@npi/service-runtime';
import { seedDemo } from '../../src/standalone';
import { startGateway } from '../support/hcx-fixtures';

describe('hcx-gateway seedDemo', () => {
  let gateway: RunningService;
  beforeAll(async () => {
    gateway = (await startGateway()) as unknown as RunningService;
  }, 60_000);
  afterAll(async () => gateway?.stop(), 30_000);

  it('creates a provider and a payor whose client secrets give API keys, and is idempotent', async () => {
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcx-demo-'));
    const first = (await seedDemo(gateway, { demoDir, shared: {} })) as { participants: { client_id: string; client_secret: string; private_key_file: string; certificate_file: string }[] };
    const second = (await seedDemo(gateway, { demoDir, shared: {} })) as typeof first;
    expect(second.participants.map((p) => p.client_secret)).toEqual(first.participants.map((p) => p.client_secret));
    expect(first.participants.map((p) => p.client_id)).toEqual(['demo-provider@hcx', 'demo-payor@hcx']);
    for (const participant of first.participants) {
      expect(fs.readFileSync(participant.private_key_file, 'utf8')).toContain('PRIVATE KEY');
      expect(fs.readFileSync(participant.certificate_file, 'utf8')).toContain('CERTIFICATE');
      const token = await request(gateway.url).post('/token/generate').send({ client_id: participant.client_id, client_secret: participant.client_secret }).expect(200);
      await request(gateway.url).get('/participants').set('authorization', `Bearer ${token.body.access_token}`).expect(200);
    }
  });
});
