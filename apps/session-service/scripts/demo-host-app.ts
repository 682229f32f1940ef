/**
 * A demo host app (bank or wallet) for NPI Billers, using only `jose` and the demo participant's
 * own keys, as a partner's integration team would:
 *
 *   npm start                                     # standalone mode seeds the demo participant
 *   node -r ./tools/ts-register.js apps/session-service/scripts/demo-host-app.ts \
 *     --demo-dir .data/demo --billers http://127.0.0.1:3002 [--print-url]
 *
 * Without --print-url it serves http://127.0.0.1:8080 (the demo participant's registered origin):
 * each load builds a fresh launch URL and frames it; the page's `submit_form_payload` is sent to
 * this script's backend, which decrypts and verifies the npiObject and shows it.
 */
import { randomUUID, createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CompactEncrypt, SignJWT, compactDecrypt, jwtVerify } from 'jose';

interface DemoSection {
  participantCode: string;
  participantKeys: { signingKid: string; encryptionKid: string; signingKeyFile: string; encryptionKeyFile: string };
  billersKeys: { encryptionKid: string; encryptionPublicKeyFile: string; signingKid: string; signingPublicKeyFile: string };
}

function argument(name: string, fallback?: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? process.argv[index + 1] : fallback;
  if (!value) throw new Error(`--${name} is required`);
  return value;
}

/** The demo participant's side, from the files standalone mode wrote to `demoDir`. */
export function demoHostApp(demoDir: string, billersBase: string) {
  const section = (JSON.parse(fs.readFileSync(path.join(demoDir, 'credentials.json'), 'utf8')) as Record<string, DemoSection>)['session-service'];
  const signingKey = createPrivateKey(fs.readFileSync(section.participantKeys.signingKeyFile, 'utf8'));
  const encryptionKey = createPrivateKey(fs.readFileSync(section.participantKeys.encryptionKeyFile, 'utf8'));
  const billersEncryption = createPublicKey(fs.readFileSync(section.billersKeys.encryptionPublicKeyFile, 'utf8'));
  const billersSigning = createPublicKey(fs.readFileSync(section.billersKeys.signingPublicKeyFile, 'utf8'));

  /** Integration section 4.4: sign (PS256) then encrypt (RSA-OAEP-256, A256GCM) {participant_code, session_id, channel}. */
  async function buildLaunchUrl(landingPage = 'biller-all', extra: Record<string, string> = {}): Promise<string> {
    const sessionId = `${section.participantCode}_${randomUUID()}`;
    const claims = { participant_code: section.participantCode, session_id: sessionId, channel: 'web' };
    const jws = await new SignJWT(claims).setProtectedHeader({ alg: 'PS256', kid: section.participantKeys.signingKid, typ: 'JWT' }).sign(signingKey);
    const token = await new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: section.billersKeys.encryptionKid })
      .encrypt(billersEncryption);
    const query = new URLSearchParams({ landing_page: landingPage, participant_code: section.participantCode, channel: 'web', session_id: sessionId, token, web_type: 'iframe', ...extra });
    return `${billersBase.replace(/\/$/, '')}/billers?${query.toString()}`;
  }

  /** The host backend's side of submit_form_payload: decrypt with its key, verify NPI Billers' PS256 signature. */
  async function openNpiObject(jwe: string): Promise<unknown> {
    const { plaintext } = await compactDecrypt(jwe, encryptionKey, { keyManagementAlgorithms: ['RSA-OAEP-256'], contentEncryptionAlgorithms: ['A256GCM'] });
    const { payload } = await jwtVerify(new TextDecoder().decode(plaintext), billersSigning, { algorithms: ['PS256'] });
    return payload;
  }

  return { buildLaunchUrl, openNpiObject };
}

function hostPage(src: string, billersBase: string): string {
  const billersOrigin = new URL(billersBase).origin;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Demo Bank</title></head><body style="font-family:sans-serif">
<h1>Demo Bank — pay bills</h1>
<iframe src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="520" height="620" style="border:1px solid #ccc"></iframe>
<pre id="out"></pre>
<script>
window.addEventListener('message', function (event) {
  if (event.origin !== ${JSON.stringify(billersOrigin)}) return;
  var out = document.getElementById('out');
  out.textContent += 'message: ' + JSON.stringify(event.data).slice(0, 200) + '\\n';
  if (event.data && event.data.type === 'submit_form_payload') {
    fetch('/npi-object', { method: 'POST', body: event.data.data }).then(function (r) { return r.text(); }).then(function (t) { out.textContent += 'npiObject (decrypted and verified by the host backend):\\n' + t + '\\n'; });
  }
});
</script></body></html>`;
}

async function main(): Promise<void> {
  const billersBase = argument('billers', 'http://127.0.0.1:3002');
  const { buildLaunchUrl, openNpiObject } = demoHostApp(path.resolve(argument('demo-dir', '.data/demo')), billersBase);
  if (process.argv.includes('--print-url')) {
    process.stdout.write(`${await buildLaunchUrl()}\n`);
    return;
  }
  const server = http.createServer((request, response) => {
    void (async () => {
      try {
        if (request.method === 'POST' && request.url === '/npi-object') {
          const chunks: Buffer[] = [];
          for await (const chunk of request) chunks.push(chunk as Buffer);
          const payload = await openNpiObject(Buffer.concat(chunks).toString('utf8'));
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload, null, 2));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(await buildLaunchUrl(), billersBase));
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String((error as Error).message));
      }
    })();
  });
  server.listen(8080, '127.0.0.1', () => process.stdout.write('demo host app on http://127.0.0.1:8080 (Ctrl-C stops it)\n'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
