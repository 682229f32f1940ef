import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@npi/config';
import { hcxConfigSchema } from './config';
import { standaloneEnvironment } from './standalone';

describe('standaloneEnvironment', () => {
  it('generates KEK, admin token, instance id and a PKCS#8 RS256 key once (0600), and a config that loads', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcx-standalone-'));
    const first = standaloneEnvironment(dataDir);
    const second = standaloneEnvironment(dataDir);
    expect(second).toEqual(first);
    expect(fs.readFileSync(first.HCX_SIGNING_KEY_FILE, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    for (const file of fs.readdirSync(path.join(dataDir, 'secrets', 'hcx-gateway'))) {
      expect((fs.statSync(path.join(dataDir, 'secrets', 'hcx-gateway', file)).mode & 0o777).toString(8)).toBe('600');
    }
    const config = loadConfig('hcx-gateway', hcxConfigSchema, { DATABASE_URL: 'postgresql://x/y', BROKER: 'inprocess', ...first });
    expect(config.HCX_ACTIVE_KEK_ID).toBe('kek-1');
    expect(Buffer.from(config.HCX_KEKS['kek-1'], 'base64')).toHaveLength(32);
  });
});
