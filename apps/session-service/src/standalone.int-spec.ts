/**
 * Standalone hooks: secrets generated once (0600) and stable across starts; the demo seed is
 * idempotent and its participant can launch NPI Billers with the demo script's jose-built URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { loadConfig } from '@npi/config';
import { startService } from '@npi/service-runtime';
import type { RunningService } from '@npi/service-runtime';
import { demoHostApp } from '../scripts/demo-host-app';
import { sessionConfigSchema } from './config';
import { sessionServiceDefinition } from './service';
import { DEMO_HOST_ORIGIN, seedDemo, standaloneEnvironment } from './standalone';

describe('session-service standalone hooks', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-standalone-'));
  const demoDir = path.join(dataDir, 'demo');
  let service: RunningService;

  afterAll(async () => {
    await service?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('generates the Billers keys and secrets once, private to the owner', () => {
    const first = standaloneEnvironment(dataDir);
    const second = standaloneEnvironment(dataDir);
    expect(second).toEqual(first);
    expect(first.SESSION_ADMIN_TOKEN.length).toBeGreaterThanOrEqual(32);
    expect(first.SESSION_COOKIE_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(first.BILLERS_SIGNING_KEY_FILE, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    for (const file of fs.readdirSync(path.join(dataDir, 'secrets', 'session-service'))) {
      expect(fs.statSync(path.join(dataDir, 'secrets', 'session-service', file)).mode & 0o777).toBe(0o600);
    }
  });

  it('seeds the demo participant idempotently; the demo host app launches a session with it', async () => {
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      DATABASE_URL: process.env.DATABASE_URL,
      BROKER: 'inprocess',
      SESSION_PUBLIC_URL: 'http://127.0.0.1:3002',
      ...standaloneEnvironment(dataDir),
    };
    service = (await startService(sessionServiceDefinition, loadConfig('session-service', sessionConfigSchema, env), { port: 0 })) as unknown as RunningService;
    fs.mkdirSync(demoDir, { recursive: true });
    const section = await seedDemo(service, { demoDir, shared: {} });
    expect(await seedDemo(service, { demoDir, shared: {} })).toEqual(section);
    expect(section).toMatchObject({ participantCode: 'demobank', allowedHostOrigin: DEMO_HOST_ORIGIN, channels: ['web', 'mob'] });
    fs.writeFileSync(path.join(demoDir, 'credentials.json'), JSON.stringify({ 'session-service': section }));

    const host = demoHostApp(demoDir, service.url);
    const url = new URL(await host.buildLaunchUrl('biller_group', { biller_group: 'Electricity' }));
    const page = await request(service.url).get(`${url.pathname}${url.search}`).expect(200);
    expect(page.headers['content-security-policy']).toContain(`frame-ancestors ${DEMO_HOST_ORIGIN}`);
    expect(page.text).toContain('"code":"NEA"');
  }, 60_000);
});
