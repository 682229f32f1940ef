/**
 * `hcx token`, `hcx send`, `hcx listen`: a participant of the HCX gateway (seed 002). Sending:
 * an API key from /token/generate, the recipient's encryption certificate from the registry, the
 * FHIR bundle encrypted for it (JWE RSA-OAEP-256/A256GCM, x-hcx-* headers protected), posted to
 * /v0.8/<entity>/<action>. Listening: the participant system's endpoint, which accepts only calls
 * carrying the gateway's RS256 token (checked against the gateway's JWKS) and decrypts payloads.
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { CompactEncrypt, compactDecrypt, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { importPrivateKey, importPublicKey } from '@npi/jose-envelope';
import { HcxClient } from '../clients/hcx-client';
import { readFileOption } from '../context';
import type { CliContext } from '../context';
import { CliError, usageError } from '../errors';
import { action } from './action';

type DemoParticipant = NonNullable<import('../context').DemoCredentials['hcx-gateway']>['participants'][number];

function demoParticipants(ctx: CliContext): DemoParticipant[] {
  return ctx.section('hcx-gateway', '--from/--participant with --client-secret').participants;
}

function participantCredentials(ctx: CliContext, code: string | undefined, secret: string | undefined, exclude?: string): { code: string; secret: string } {
  if (code && secret) return { code, secret };
  const demo = demoParticipants(ctx);
  const chosen = code ? demo.find((p) => p.client_id === code) : demo.find((p) => p.client_id !== exclude);
  if (!chosen) throw new CliError('ERR_PARTICIPANT_UNKNOWN', `no credentials for ${code ?? 'a sender'} in ${ctx.credentialsFile}`, 'pass --client-secret for that participant, or use a demo participant (demo-provider@hcx, demo-payor@hcx)');
  return { code: chosen.client_id, secret: secret ?? chosen.client_secret };
}

const API = /^[a-z]+\/(on_)?[a-z_]+$/;

export function registerHcx(program: Command): void {
  const hcx = program.command('hcx').description('HCX as a participant: API keys, sending encrypted requests, a listening participant endpoint (hcx-gateway)');

  hcx
    .command('token')
    .description('an API key (HS256, from /token/generate) for a participant')
    .option('--participant <code>', 'participant code (default: the demo provider)')
    .option('--client-secret <secret>', "the participant's client_secret (default: from the demo credentials)")
    .addHelpText('after', '\nExamples:\n  npx npi-partner hcx token\n  npx npi-partner hcx token --participant demo-payor@hcx --json | jq -r .access_token')
    .action(
      action(async (ctx, options: { participant?: string; clientSecret?: string }) => {
        const who = participantCredentials(ctx, options.participant, options.clientSecret);
        const key = await new HcxClient(ctx.baseUrl('hcx-gateway')).apiKey(who.code, who.secret);
        ctx.out.result({ participant: who.code, ...key }, () => key.access_token);
      }),
    );

  hcx
    .command('send')
    .description("encrypt a FHIR bundle for the recipient's registered certificate and send it through the gateway; prints the acknowledgement")
    .argument('<entity/action>', 'e.g. coverageeligibility/check, claim/submit, preauth/on_submit')
    .requiredOption('--to <participant>', 'recipient participant code')
    .requiredOption('--file <bundle.json>', 'the FHIR bundle (JSON) to send')
    .option('--from <participant>', 'sender participant code (default: a demo participant other than --to)')
    .option('--client-secret <secret>', "the sender's client_secret")
    .option('--correlation-id <id>', 'x-hcx-correlation_id (default: new; give the request\'s for an on_* callback)')
    .option('--workflow-id <id>', 'x-hcx-workflow_id')
    .option('--status <status>', 'x-hcx-status (callbacks: response.complete, response.partial, ...)')
    .addHelpText('after', '\nExamples:\n  npx npi-partner hcx send coverageeligibility/check --to demo-payor@hcx --file bundle.json\n  npx npi-partner hcx send coverageeligibility/on_check --to demo-provider@hcx --from demo-payor@hcx --file response.json --correlation-id <id> --status response.complete')
    .action(
      action(async (ctx, api: string, options: { to: string; file: string; from?: string; clientSecret?: string; correlationId?: string; workflowId?: string; status?: string }) => {
        if (!API.test(api)) throw usageError(`${api} is not <entity>/<action>`, 'e.g. coverageeligibility/check');
        let bundle: unknown;
        try {
          bundle = JSON.parse(readFileOption(options.file, 'bundle').toString('utf8'));
        } catch (error) {
          if (error instanceof CliError) throw error;
          throw new CliError('ERR_BUNDLE_INVALID', `${options.file} is not JSON: ${(error as Error).message}`, 'give the FHIR bundle as JSON');
        }
        const sender = participantCredentials(ctx, options.from, options.clientSecret, options.to);
        const client = new HcxClient(ctx.baseUrl('hcx-gateway'));
        const { access_token: apiKey } = await client.apiKey(sender.code, sender.secret);
        const recipient = await client.participant(apiKey, options.to);
        let recipientKey: KeyObject;
        try {
          recipientKey = importPublicKey(await client.encryptionCertificate(recipient));
        } catch (error) {
          if (error instanceof CliError) throw error;
          throw new CliError('ERR_ENCRYPTION_CERT_INVALID', `${options.to}'s encryption_cert is not usable: ${(error as Error).message}`, 'the recipient must register an RSA (>= 2048 bits) certificate');
        }
        const headers = {
          'x-hcx-sender_code': sender.code,
          'x-hcx-recipient_code': options.to,
          'x-hcx-api_call_id': randomUUID(),
          'x-hcx-correlation_id': options.correlationId ?? randomUUID(),
          'x-hcx-workflow_id': options.workflowId ?? randomUUID(),
          'x-hcx-timestamp': new Date().toISOString(),
          ...(options.status ? { 'x-hcx-status': options.status } : {}),
        };
        const payload = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(bundle))).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', ...headers }).encrypt(recipientKey);
        const ack = await client.send(apiKey, api, { payload });
        const result = { api, from: sender.code, to: options.to, headers, acknowledgement: ack };
        ctx.out.result(result, () => `sent ${api} ${sender.code} -> ${options.to}\nacknowledgement: ${JSON.stringify(ack)}`);
      }),
    );

  hcx
    .command('listen')
    .description("a participant system endpoint: verifies the gateway's RS256 token, decrypts payloads with the participant's key, prints each call")
    .requiredOption('--port <n>', 'port to listen on (the one in the participant\'s registered endpoint_url)', (v) => Number(v))
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--participant <code>', 'whose private key decrypts (default: the demo payor)')
    .option('--key <file>', "the participant's encryption private key (PEM)")
    .option('--hcx-instance-id <id>', "the gateway's instance id: iss and sub of its tokens (default: the standalone one)")
    .option('--jwks-url <url>', "the gateway's JWKS (default: <hcx-url>/.well-known/jwks.json)")
    .option('--count <n>', 'exit after this many accepted calls', (v) => Number(v))
    .addHelpText('after', '\nExamples:\n  npx npi-partner hcx listen --port 4102          # the demo payor\'s registered endpoint\n  npx npi-partner hcx listen --port 4101 --participant demo-provider@hcx --json')
    .action(
      action(async (ctx, options: { port: number; host: string; participant?: string; key?: string; hcxInstanceId?: string; jwksUrl?: string; count?: number }) => {
        if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw usageError('--port must be a port number', 'e.g. --port 4102');
        let keyFile = options.key;
        if (!keyFile) {
          const code = options.participant ?? demoParticipants(ctx).find((p) => p.role === 'payor')?.client_id;
          const demo = demoParticipants(ctx).find((p) => p.client_id === code);
          if (!demo) throw new CliError('ERR_PARTICIPANT_UNKNOWN', `no private key for ${code} in ${ctx.credentialsFile}`, 'pass --key <private key PEM>');
          keyFile = demo.private_key_file;
        }
        const privateKey = (() => {
          try {
            return importPrivateKey(readFileOption(keyFile, 'private key').toString('utf8'));
          } catch (error) {
            if (error instanceof CliError) throw error;
            throw new CliError('ERR_KEY_INVALID', `${keyFile}: ${(error as Error).message}`, 'give the PEM RSA private key whose certificate is the participant\'s encryption_cert');
          }
        })();
        const instanceId = options.hcxInstanceId ?? ctx.standaloneSecret('hcx-gateway', 'instance-id');
        if (!instanceId) throw new CliError('ERR_HCX_INSTANCE_UNKNOWN', 'the gateway instance id is not known', 'pass --hcx-instance-id <id> (the iss of the gateway\'s tokens; HCX_INSTANCE_ID of the gateway)');
        const jwks = createRemoteJWKSet(new URL(options.jwksUrl ?? new HcxClient(ctx.baseUrl('hcx-gateway')).jwksUrl));
        await listen(ctx, { ...options, privateKey, instanceId, jwks });
      }),
    );
}

async function listen(ctx: CliContext, options: { port: number; host: string; count?: number; privateKey: KeyObject; instanceId: string; jwks: ReturnType<typeof createRemoteJWKSet> }): Promise<void> {
  let accepted = 0;
  // The gateway keeps connections alive: close idle ones now, the rest once their answer is out.
  const shutdown = () => {
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  };
  const print = (value: unknown) => ctx.out.stdout.write(`${ctx.out.json ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
  const server = http.createServer((request, response) => {
    void (async () => {
      const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.method !== 'POST') return reply(405, { error: { code: 'ERR_METHOD_NOT_ALLOWED', message: 'POST only' } });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > 5 * 1024 * 1024) return reply(413, { error: { code: 'ERR_TOO_LARGE', message: 'body over 5 MB' } });
        chunks.push(chunk as Buffer);
      }
      const token = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      let claims: Record<string, unknown>;
      try {
        if (!token) throw new CliError('ERR_HCX_TOKEN_MISSING', 'no bearer token', '');
        // seed 002: RS256 only, issued by this HCX instance for itself; exp, iat and jti required.
        claims = (await jwtVerify(token, options.jwks, { algorithms: ['RS256'], issuer: options.instanceId, subject: options.instanceId, requiredClaims: ['jti', 'iat', 'exp'], clockTolerance: 30 })).payload;
      } catch (error) {
        const code = error instanceof CliError ? error.code : error instanceof joseErrors.JWTExpired ? 'ERR_HCX_TOKEN_EXPIRED' : 'ERR_HCX_TOKEN_INVALID';
        print({ path: request.url, refused: code, reason: (error as Error).message });
        return reply(401, { error: { code, message: 'the call does not carry a valid HCX token' } });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply(400, { error: { code: 'ERR_INVALID_PAYLOAD', message: 'body is not JSON' } });
      }
      const received: Record<string, unknown> = { path: request.url, hcxToken: { iss: claims.iss, jti: claims.jti, exp: claims.exp } };
      if (typeof body.payload === 'string') {
        try {
          const opened = await compactDecrypt(body.payload, options.privateKey, { keyManagementAlgorithms: ['RSA-OAEP-256', 'RSA-OAEP'], contentEncryptionAlgorithms: ['A256GCM'] });
          const { alg: _alg, enc: _enc, ...headers } = opened.protectedHeader;
          received.headers = headers;
          received.payload = JSON.parse(new TextDecoder().decode(opened.plaintext));
        } catch (error) {
          print({ ...received, refused: 'ERR_DECRYPTION_FAILED', reason: (error as Error).message });
          return reply(400, { error: { code: 'ERR_DECRYPTION_FAILED', message: 'the payload does not decrypt with this participant\'s key' } });
        }
      } else {
        received.body = body; // a plain JSON callback (error responses, acknowledgements)
      }
      print(received);
      reply(202, { timestamp: Date.now() });
      accepted++;
      if (options.count && accepted >= options.count) shutdown();
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(error.code === 'EADDRINUSE' ? 'ERR_PORT_IN_USE' : 'ERR_LISTEN_FAILED', `cannot listen on ${options.host}:${options.port}: ${error.message}`, 'choose another --port, or stop what uses it')),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  ctx.out.stderr.write(`listening on http://${options.host}:${port} (Ctrl-C stops)\n`);
  const stop = () => shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise<void>((resolve) => server.once('close', resolve));
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}
