/**
 * The attack corpus (tests/attack-corpus/cases.json) end to end: `npm start` on the real
 * PostgreSQL and Kafka, and every case sends one forged, tampered, replayed or malformed credential
 * of one token type the way a partner would send it, then asserts the exact refusal (HTTP status
 * and error code). Token types: NPI access tokens (payment-service and auth-service admin), NPI
 * refresh tokens, NCHL signature tokens, Billers launch tokens, Billers page cookies, HCX API keys,
 * and HCX RS256 tokens checked by a participant system with the participant-side verifier.
 * `resigned-unchanged` cases are controls: re-signed with the real key they must be accepted, which
 * proves the claim cases (expired, wrong audience...) fail for the claim and not the signature.
 * ATTACK_CORPUS_RECORD=<file> writes what each case observed instead of asserting.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createHcxTokenVerifier } from '@npi/auth-guards';
import { b64u, decodePart, flipBit, rawJwe, rawJws } from '../attack-corpus/jose-raw';
import { dataFile, launchPlatform } from '../support/launched-platform';
import type { LaunchedPlatform } from '../support/launched-platform';
import { rawRequest } from '../support/raw-http';

jest.setTimeout(600_000);

interface CorpusCase {
  target: string;
  attack: string;
  status: number | null;
  code: string | null;
  /** A known gap: the refusal is what should happen, today the token is accepted (jest `failing`: turns red once fixed, then drop this field). */
  gap?: string;
}
interface Outcome {
  status: number;
  code: string;
}

const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'attack-corpus', 'cases.json'), 'utf8')) as { cases: CorpusCase[] };
const now = () => Math.floor(Date.now() / 1000);
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const attacker = { rsa: rsa(2048), small: rsa(1024), ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }) };

/** The error code of any of the platform's refusal bodies. */
function refusalCode(body: string): string {
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(body);
  } catch {
    return body.includes('data-error-code="') ? /data-error-code="([^"]+)"/.exec(body)![1] : body.slice(0, 40);
  }
  if (typeof json?.error?.code === 'string') {
    const guard = /^(ERR_[A-Z_]+):/.exec(json.error.message ?? '');
    return guard && guard[1] !== json.error.code ? `${json.error.code}/${guard[1]}` : json.error.code;
  }
  if (typeof json?.error_code === 'string') return json.error_code;
  if (typeof json?.responseCode === 'string') {
    const guard = /^(ERR_[A-Z_]+):/.exec(json.responseDescription ?? '');
    return guard ? `${json.responseCode}/${guard[1]}` : json.responseCode;
  }
  if (typeof json?.error === 'string') return json.error;
  return 'OK';
}

/** A JWS-carried credential: a fresh valid one, its real signer (when the test holds the key), and how it is sent. */
interface JwsTarget {
  /** Target-specific attacks (another credential of the same kind...). */
  extra?: Record<string, () => Promise<Outcome>>;
  valid(): Promise<string>;
  legit(header: object, payload: object | string): string;
  publicKeyPem: string;
  send(authorization: string | undefined): Promise<Outcome>;
  /** Claims that name the caller (tampered by payload-tampered). */
  tamper(payload: Record<string, unknown>): Record<string, unknown>;
}

function attackerSign(header: Record<string, unknown>, payload: object | string): string {
  const alg = String(header.alg);
  const key = alg.startsWith('ES') ? attacker.ec.privateKey : alg.startsWith('HS') ? 'attacker-chosen-secret-0123456789' : attacker.rsa.privateKey;
  return rawJws(header, payload, key, alg);
}

/** The JWS attacks shared by every bearer-JWS token type. */
async function jwsAttack(attack: string, target: JwsTarget): Promise<Outcome> {
  const token = await target.valid();
  const [h64, p64, s64] = token.split('.');
  const header = decodePart(h64);
  const payload = decodePart(p64);
  const bearer = (value: string) => target.send(`Bearer ${value}`);
  const iat = now();
  const extra = target.extra?.[attack];
  if (extra) return extra();
  switch (attack) {
    case 'resigned-unchanged': return bearer(target.legit(header, payload));
    case 'alg-none': return bearer(rawJws({ ...header, alg: 'none' }, payload, null));
    case 'alg-none-uppercase': return bearer(rawJws({ ...header, alg: 'NONE' }, payload, null));
    case 'alg-hs256-with-public-key': return bearer(rawJws({ ...header, alg: 'HS256' }, payload, target.publicKeyPem, 'HS256'));
    case 'alg-rs256-on-hmac-key': return bearer(rawJws({ ...header, alg: 'RS256' }, payload, attacker.rsa.privateKey, 'RS256'));
    case 'signature-stripped': return bearer(`${h64}.${p64}.`);
    case 'signature-truncated': return bearer(`${h64}.${p64}.${s64.slice(0, -6)}`);
    case 'signature-bitflip': return bearer(`${h64}.${p64}.${flipBit(s64)}`);
    case 'payload-tampered': return bearer(`${h64}.${b64u(target.tamper(payload))}.${s64}`);
    case 'header-only': return bearer(h64);
    case 'two-segments': return bearer(`${h64}.${p64}`);
    case 'kid-path-traversal': return bearer(attackerSign({ ...header, kid: '../../../../../../dev/null' }, payload));
    case 'kid-sql-injection': return bearer(attackerSign({ ...header, kid: "x' OR '1'='1" }, payload));
    case 'kid-unknown-attacker-key': return bearer(attackerSign({ ...header, kid: `attacker-${randomUUID()}` }, payload));
    case 'attacker-key-same-kid': return bearer(attackerSign(header, payload));
    case 'jku-injection': return bearer(attackerSign({ ...header, jku: 'http://127.0.0.1:9/jwks.json' }, payload));
    case 'x5u-injection': return bearer(attackerSign({ ...header, x5u: 'http://127.0.0.1:9/cert.pem' }, payload));
    case 'jwk-embedded': {
      const key = String(header.alg).startsWith('ES') ? attacker.ec.publicKey : attacker.rsa.publicKey;
      return bearer(attackerSign({ ...header, jwk: key.export({ format: 'jwk' }) }, payload));
    }
    case 'small-rsa-key': return bearer(rawJws({ ...header, alg: 'RS256' }, payload, attacker.small.privateKey, 'RS256'));
    case 'crit-unknown': return bearer(target.legit({ ...header, crit: ['urn:example:unknown'], 'urn:example:unknown': true }, payload));
    case 'zip-header': return bearer(target.legit({ ...header, zip: 'DEF' }, payload));
    case 'wrong-typ': return bearer(target.legit({ ...header, typ: 'JWT' }, payload));
    case 'expired': return bearer(target.legit(header, { ...payload, iat: iat - 7200, exp: iat - 3600 }));
    case 'not-yet-valid': return bearer(target.legit(header, { ...payload, nbf: iat + 3600 }));
    case 'iat-future': return bearer(target.legit(header, { ...payload, iat: iat + 3600, exp: iat + 7200 }));
    case 'lifetime-too-long': return bearer(target.legit(header, { ...payload, iat, exp: iat + 86_400 }));
    case 'wrong-audience': return bearer(target.legit(header, { ...payload, aud: 'https://other-resource.example' }));
    case 'wrong-issuer': return bearer(target.legit(header, { ...payload, iss: 'https://attacker.example' }));
    case 'missing-exp': {
      const { exp: _exp, ...rest } = payload;  
      return bearer(target.legit(header, rest));
    }
    case 'duplicate-claims': {
      // A parser that keeps the first member would see the attacker's claims; ours must not accept the token at all.
      const forged = JSON.stringify(target.tamper(payload));
      return bearer(target.legit(header, `${forged.slice(0, -1)},${JSON.stringify(payload).slice(1)}`));
    }
    case 'garbage': return bearer('not-a-token');
    case 'oversized-header': return bearer(`${token}${'A'.repeat(20_000)}`);
    case 'empty-bearer': return target.send('Bearer ');
    case 'basic-scheme': return target.send(`Basic ${Buffer.from(`x:${token}`).toString('base64')}`);
    case 'lowercase-bearer-garbage': return target.send('bearer x.y.z');
    default: throw new Error(`unknown JWS attack ${attack}`);
  }
}

describe('attack corpus (npm start, real PostgreSQL and Kafka)', () => {
  let platform: LaunchedPlatform;
  let participantSystem: http.Server;
  let participantUrl: string;
  const jwsTargets: Record<string, JwsTarget> = {};
  let special: Record<string, (attack: string) => Promise<Outcome>> = {};
  const observed: (CorpusCase & { observed: Outcome })[] = [];

  const bearerGet = (base: string, pathname: string) => async (authorization: string | undefined): Promise<Outcome> => {
    const answer = await rawRequest(base, 'GET', pathname, { accept: 'application/json', ...(authorization === undefined ? {} : { authorization }) });
    return { status: answer.status, code: answer.status === 431 ? 'HEADER_TOO_LARGE' : refusalCode(answer.body) };
  };
  async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(url, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  beforeAll(async () => {
    platform = await launchPlatform({ logLevel: 'warn' });
    const { urls, credentials } = platform;
    const auth = urls['auth-service'];

    // --- NPI access tokens: issued by auth-service; the test holds its signing key (standalone secrets).
    const authKey = createPrivateKey(dataFile(platform, 'secrets', 'auth-service', 'access-token-signing-key.pem'));
    const authPublicPem = createPublicKey(authKey).export({ type: 'spki', format: 'pem' }) as string;
    const member = credentials['auth-service'];
    const admin = JSON.parse(dataFile(platform, 'secrets', 'auth-service', 'bootstrap-admin.json'));
    const grant = async (client: { id: string; secret: string }, username: string, password: string) => {
      const answer = await post(`${auth}/oauth/token`, { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.id, client.secret) }, form({ grant_type: 'password', username, password }));
      if (answer.status !== 200) throw new Error(`grant ${answer.status} ${answer.text}`);
      return JSON.parse(answer.text) as { access_token: string; refresh_token: string };
    };
    const memberClient = { id: member.clientId, secret: member.clientSecret };
    const adminClient = { id: admin.clientId, secret: admin.clientSecret };
    const memberToken = (await grant(memberClient, member.username, member.password)).access_token;
    const adminToken = (await grant(adminClient, admin.username, admin.password)).access_token;
    const authLegit = (header: object, payload: object | string) => rawJws(header, payload, authKey, String((header as { alg: string }).alg));
    const tamperAccess = (payload: Record<string, unknown>) => ({ ...payload, sub: 'attacker', client_id: 'attacker-client', scope: 'admin' });
    jwsTargets['npi-access@payment'] = { valid: async () => memberToken, legit: authLegit, publicKeyPem: authPublicPem, tamper: tamperAccess, send: bearerGet(urls['payment-service'], '/api/debit-cap/details') };
    jwsTargets['npi-access@auth-admin'] = {
      valid: async () => adminToken,
      legit: authLegit,
      publicKeyPem: authPublicPem,
      tamper: tamperAccess,
      send: bearerGet(auth, '/admin/clients'),
      extra: { 'member-token-on-admin': () => bearerGet(auth, '/admin/clients')(`Bearer ${memberToken}`) },
    };

    // --- HCX API keys: HS256 with the participant's client_secret (the test holds the demo secrets).
    const [provider, payor] = credentials['hcx-gateway'].participants;
    const apiKey = async (participant: { client_id: string; client_secret: string }) => {
      const answer = await post(`${urls['hcx-gateway']}/token/generate`, { 'content-type': 'application/json' }, JSON.stringify({ client_id: participant.client_id, client_secret: participant.client_secret }));
      if (answer.status !== 200) throw new Error(`token/generate ${answer.status} ${answer.text}`);
      return (JSON.parse(answer.text) as { access_token: string }).access_token;
    };
    const providerKey = await apiKey(provider);
    jwsTargets['hcx-api-key@hcx'] = {
      valid: async () => providerKey,
      legit: (header, payload) => rawJws(header, payload, Buffer.from(provider.client_secret, 'utf8'), 'HS256'),
      publicKeyPem: '',
      tamper: (payload) => ({ ...payload, sub: payor.client_id, participant_code: payor.client_id }),
      send: bearerGet(urls['hcx-gateway'], `/participants/${encodeURIComponent(provider.client_id)}`),
      extra: {
        // The provider's claims signed with another participant's secret.
        'other-participant-secret': async () => {
          const [h64, p64] = providerKey.split('.');
          return bearerGet(urls['hcx-gateway'], `/participants/${encodeURIComponent(provider.client_id)}`)(`Bearer ${rawJws(decodePart(h64), decodePart(p64), Buffer.from(payor.client_secret, 'utf8'), 'HS256')}`);
        },
      },
    };

    // --- HCX RS256 tokens at a participant system that uses the participant-side verifier over the real JWKS.
    const hcxKey = createPrivateKey(dataFile(platform, 'secrets', 'hcx-gateway', 'signing-key.pem'));
    const hcxInstance = dataFile(platform, 'secrets', 'hcx-gateway', 'instance-id');
    const jwks = (await (await fetch(`${urls['hcx-gateway']}/.well-known/jwks.json`)).json()) as { keys: { kid: string; n: string }[] };
    const hcxKid = jwks.keys.find((key) => key.n === (createPublicKey(hcxKey).export({ format: 'jwk' }) as { n: string }).n)!.kid;
    // The participant system knows its own code: tokens must be addressed to it (aud).
    const participantCode = 'demo-payor@hcx';
    const verify = createHcxTokenVerifier({ hcxInstanceId: hcxInstance, participantCode, jwksUrl: `${urls['hcx-gateway']}/.well-known/jwks.json` });
    participantSystem = http.createServer((request, response) => {
      verify(request.headers.authorization).then(
        () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
        (error: { code?: string }) => response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: error.code ?? 'UNEXPECTED' } })),
      );
    });
    await new Promise<void>((resolve) => participantSystem.listen(0, '127.0.0.1', resolve));
    participantUrl = `http://127.0.0.1:${(participantSystem.address() as { port: number }).port}`;
    const hcxLegit = (header: object, payload: object | string) => rawJws(header, payload, hcxKey, 'RS256');
    jwsTargets['hcx-participant-token@participant-system'] = {
      valid: async () => hcxLegit({ alg: 'RS256', typ: 'JWT', kid: hcxKid }, { jti: randomUUID(), iss: hcxInstance, sub: hcxInstance, aud: participantCode, iat: now(), exp: now() + 300 }),
      legit: hcxLegit,
      publicKeyPem: createPublicKey(hcxKey).export({ type: 'spki', format: 'pem' }) as string,
      tamper: (payload) => ({ ...payload, sub: 'attacker', iss: 'attacker' }),
      send: bearerGet(participantUrl, '/coverageeligibility/check'),
    };

    // --- Billers launch tokens (JWE of a JWS) and page cookies.
    const billers = credentials['session-service'];
    const participantSigning = createPrivateKey(fs.readFileSync(billers.participantKeys.signingKeyFile, 'utf8'));
    const billersEncryption = createPublicKey(fs.readFileSync(billers.billersKeys.encryptionPublicKeyFile, 'utf8'));
    const otherRecipient = rsa(2048);
    const session = urls['session-service'];
    const launch = async (query: Record<string, string>): Promise<{ outcome: Outcome; cookie: string }> => {
      const answer = await rawRequest(session, 'GET', `/billers?${new URLSearchParams(query)}`, { accept: 'application/json' });
      const cookie = String(answer.headers['set-cookie'] ?? '').split(';')[0];
      return { outcome: { status: answer.status, code: answer.status === 200 ? 'OK' : refusalCode(answer.body) }, cookie };
    };
    const launchQuery = (sessionId: string, token: string, overrides: Record<string, string> = {}) => ({ landing_page: 'biller-all', participant_code: billers.participantCode, channel: 'web', session_id: sessionId, token, ...overrides });
    const jwsHeader = { alg: 'PS256', kid: billers.participantKeys.signingKid, typ: 'JWT' };
    const jweHeader = { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: billers.billersKeys.encryptionKid };
    const claimsOf = (sessionId: string) => ({ participant_code: billers.participantCode, session_id: sessionId, channel: 'web', iat: now() });
    const launchAttack = async (attack: string): Promise<Outcome> => {
      const sid = `${billers.participantCode}_${randomUUID()}`;
      const claims = claimsOf(sid);
      const inner = (header: Record<string, unknown> = jwsHeader, payload: object | string = claims, key: KeyObject | string | null = participantSigning, alg?: string) => rawJws(header, payload, key, alg);
      const outer = (jws: string, header: Record<string, unknown> = jweHeader, recipient: KeyObject = billersEncryption) => rawJwe(header, jws, recipient);
      const go = async (token: string, overrides: Record<string, string> = {}) => (await launch(launchQuery(sid, token, overrides))).outcome;
      const valid = outer(inner());
      const parts = valid.split('.');
      switch (attack) {
        case 'resigned-unchanged': return go(valid);
        case 'jws-alg-none': return go(outer(inner({ ...jwsHeader, alg: 'none' }, claims, null)));
        case 'jws-alg-hs256-with-public-key': return go(outer(inner({ ...jwsHeader, alg: 'HS256' }, claims, createPublicKey(participantSigning).export({ type: 'spki', format: 'pem' }) as string, 'HS256')));
        case 'jws-signature-stripped': return go(outer(inner(jwsHeader, claims, null, 'PS256')));
        case 'jws-signature-bitflip': { const [a, b, c] = inner().split('.'); return go(outer(`${a}.${b}.${flipBit(c)}`)); }
        case 'jws-kid-unknown': return go(outer(rawJws({ ...jwsHeader, kid: 'attacker-sig' }, claims, attacker.rsa.privateKey, 'PS256')));
        case 'jws-jku-injection': return go(outer(rawJws({ ...jwsHeader, jku: 'http://127.0.0.1:9/jwks.json' }, claims, attacker.rsa.privateKey, 'PS256')));
        case 'jws-jwk-embedded': return go(outer(rawJws({ ...jwsHeader, jwk: attacker.rsa.publicKey.export({ format: 'jwk' }) }, claims, attacker.rsa.privateKey, 'PS256')));
        case 'jws-crit': return go(outer(inner({ ...jwsHeader, crit: ['urn:example:unknown'], 'urn:example:unknown': true })));
        case 'jws-zip': return go(outer(inner({ ...jwsHeader, zip: 'DEF' })));
        case 'jwe-jku-injection': return go(outer(inner(), { ...jweHeader, jku: 'http://127.0.0.1:9/jwks.json' }));
        case 'jwe-crit': return go(outer(inner(), { ...jweHeader, crit: ['exp'], exp: now() + 60 }));
        case 'jwe-zip': return go(outer(inner(), { ...jweHeader, zip: 'DEF' }));
        case 'jwe-kid-unknown': return go(outer(inner(), { ...jweHeader, kid: 'attacker-enc' }));
        case 'jwe-kid-path-traversal': return go(outer(inner(), { ...jweHeader, kid: '../../../../etc/passwd' }));
        case 'jwe-alg-rsa1_5': return go(outer(inner(), { ...jweHeader, alg: 'RSA1_5' }));
        case 'jwe-dir': return go(`${b64u({ alg: 'dir', enc: 'A256GCM', cty: 'JWT', kid: jweHeader.kid })}..${parts[2]}.${parts[3]}.${parts[4]}`);
        case 'jwe-tag-truncated': return go([...parts.slice(0, 4), parts[4].slice(0, 11)].join('.'));
        case 'jwe-tag-bitflip': return go([...parts.slice(0, 4), flipBit(parts[4])].join('.'));
        case 'jwe-ciphertext-bitflip': return go([...parts.slice(0, 3), flipBit(parts[3]), parts[4]].join('.'));
        case 'jwe-wrong-recipient': return go(outer(inner(), jweHeader, otherRecipient.publicKey));
        case 'jwe-cty-missing': { const { cty: _cty, ...header } = jweHeader; return go(outer(inner(), header)); }  
        case 'expired': return go(outer(inner(jwsHeader, { ...claims, iat: now() - 7200, exp: now() - 3600 })));
        case 'not-yet-valid': return go(outer(inner(jwsHeader, { ...claims, nbf: now() + 3600 })));
        case 'small-signing-key': return go(outer(rawJws(jwsHeader, claims, attacker.small.privateKey, 'PS256')));
        case 'attacker-signing-key': return go(outer(rawJws(jwsHeader, claims, attacker.rsa.privateKey, 'PS256')));
        case 'duplicate-claims': {
          const other = `${billers.participantCode}_${randomUUID()}`;
          return go(outer(inner(jwsHeader, `{"session_id":"${other}",${JSON.stringify(claims).slice(1)}`)));
        }
        case 'claims-missing-session': { const { session_id: _s, ...rest } = claims; return go(outer(inner(jwsHeader, rest))); }  
        case 'participant-mismatch': return go(outer(inner(jwsHeader, { ...claims, participant_code: 'otherbank' })));
        case 'session-mismatch': return go(outer(inner(jwsHeader, { ...claims, session_id: `${billers.participantCode}_${randomUUID()}` })));
        case 'channel-mismatch': return go(outer(inner(jwsHeader, { ...claims, channel: 'mob' })), { channel: 'web' });
        case 'replay': { await go(valid); return go(valid); }
        case 'oversized-token': return go(`${valid}${'A'.repeat(9000)}`);
        case 'garbage': return go('not.a.token.at.all');
        case 'two-segments': return go(`${parts[0]}.${parts[1]}`);
        default: throw new Error(`unknown launch attack ${attack}`);
      }
    };

    const pageCall = async (sessionId: string, cookie: string | undefined, origin = session): Promise<Outcome> => {
      const answer = await post(`${session}/billers/api/session`, { 'content-type': 'application/json', accept: 'application/json', origin, 'x-billers-host-origin': billers.allowedHostOrigin, ...(cookie === undefined ? {} : { cookie }) }, JSON.stringify({ session_id: sessionId }));
      return { status: answer.status, code: answer.status === 200 ? 'OK' : refusalCode(answer.text) };
    };
    const freshPage = async () => {
      const sid = `${billers.participantCode}_${randomUUID()}`;
      const { cookie, outcome } = await launch(launchQuery(sid, rawJwe(jweHeader, rawJws(jwsHeader, claimsOf(sid), participantSigning), billersEncryption)));
      if (outcome.status !== 200) throw new Error(`launch for the page failed: ${JSON.stringify(outcome)}`);
      return { sid, name: cookie.slice(0, cookie.indexOf('=')), value: cookie.slice(cookie.indexOf('=') + 1) };
    };
    const cookieAttack = async (attack: string): Promise<Outcome> => {
      const page = await freshPage();
      const withValue = (value: string) => pageCall(page.sid, `${page.name}=${value}`);
      switch (attack) {
        case 'cookie-missing': return pageCall(page.sid, undefined);
        case 'cookie-bitflip': { const segments = page.value.split('.'); segments[3] = flipBit(segments[3]); return withValue(segments.join('.')); }
        case 'cookie-truncated': return withValue(page.value.slice(0, -10));
        case 'cookie-garbage': return withValue('garbage');
        case 'cookie-empty': return withValue('');
        case 'cookie-oversized': return withValue(`${page.value}${'A'.repeat(5000)}`);
        case 'cookie-of-other-session': { const other = await freshPage(); return pageCall(page.sid, `${page.name}=${other.value}`); }
        case 'valid-cookie-other-origin': return pageCall(page.sid, `${page.name}=${page.value}`, 'https://attacker.example');
        default: throw new Error(`unknown cookie attack ${attack}`);
      }
    };

    // --- NPI refresh tokens at the token endpoint.
    const refresh = async (client: { id: string; secret: string }, token: string): Promise<Outcome> => {
      const answer = await post(`${auth}/oauth/token`, { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client.id, client.secret) }, form({ grant_type: 'refresh_token', refresh_token: token }));
      return { status: answer.status, code: answer.status === 200 ? 'OK' : refusalCode(answer.text) };
    };
    const refreshAttack = async (attack: string): Promise<Outcome> => {
      const { refresh_token: token } = await grant(adminClient, admin.username, admin.password);
      switch (attack) {
        case 'refresh-garbage': return refresh(adminClient, 'garbage');
        case 'refresh-truncated': return refresh(adminClient, token.slice(0, -8));
        case 'refresh-bitflip': return refresh(adminClient, `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`);
        case 'refresh-empty': return refresh(adminClient, '');
        case 'refresh-oversized': return refresh(adminClient, token + 'A'.repeat(10_000));
        case 'refresh-of-other-client': return refresh(memberClient, token);
        case 'refresh-replayed-after-rotation': { await refresh(adminClient, token); return refresh(adminClient, token); }
        case 'refresh-revoked': {
          await post(`${auth}/oauth/revoke`, { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(adminClient.id, adminClient.secret) }, form({ token, token_type_hint: 'refresh_token' }));
          return refresh(adminClient, token);
        }
        default: throw new Error(`unknown refresh attack ${attack}`);
      }
    };

    // --- NCHL signature tokens on a real-time batch of the demo member.
    const payment = credentials['payment-service'];
    const memberKey = createPrivateKey(execFileSync('openssl', ['pkcs12', '-in', payment.pfxFile, '-nocerts', '-nodes', '-passin', `pass:${payment.pfxPassphrase}`], { encoding: 'utf8' }));
    const batchAttack = async (attack: string): Promise<Outcome> => {
      const batchId = `AC${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      const tokenString = (amount: string) => `${batchId},2501,1,${payment.debtorAccount},${amount},NPR,${batchId}-1,4501,23,001011160000374,${amount},${payment.userId}`;
      const signWith = (key: KeyObject, input: string, options: { hash?: string; pss?: boolean } = {}) =>
        sign(options.hash ?? 'sha256', Buffer.from(input), { key, padding: options.pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING }).toString('base64');
      const valid = signWith(memberKey, tokenString('100.00'));
      const tokens: Record<string, string> = {
        'signature-stripped': '',
        'signature-truncated': valid.slice(0, -12),
        'signature-bitflip': Buffer.from(flipBit(Buffer.from(valid, 'base64').toString('base64url')), 'base64url').toString('base64'),
        'signature-other-key': signWith(attacker.rsa.privateKey, tokenString('100.00')),
        'signature-over-other-amount': signWith(memberKey, tokenString('1.00')),
        'signature-not-base64': '!!!not base64!!!',
        'signature-oversized': 'A'.repeat(20_000),
        'signature-sha1': signWith(memberKey, tokenString('100.00'), { hash: 'sha1' }),
        'signature-pss-padding': signWith(memberKey, tokenString('100.00'), { pss: true }),
        'signature-small-key': signWith(attacker.small.privateKey, tokenString('100.00')),
      };
      if (!(attack in tokens)) throw new Error(`unknown signature attack ${attack}`);
      const body = {
        cipsBatchDetail: { batchId, batchAmount: 100, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2501', debtorBranch: '1', debtorName: 'Demo Wallet', debtorAccount: payment.debtorAccount },
        cipsTransactionDetailList: [{ instructionId: `${batchId}-1`, endToEndId: 'Attack corpus', amount: 100, purpose: 'PAYM', creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram Bahadur', creditorAccount: '001011160000374' }],
        token: tokens[attack],
      };
      const answer = await post(`${urls['payment-service']}/api/postcipsbatch`, { 'content-type': 'application/json', authorization: `Bearer ${memberToken}` }, JSON.stringify(body));
      return { status: answer.status, code: refusalCode(answer.text) };
    };

    special = { 'billers-launch@session': launchAttack, 'page-cookie@session': cookieAttack, 'npi-refresh@auth': refreshAttack, 'npi-signature@payment': batchAttack };
    // payment-service learns the demo client's source CIDRs over Kafka: wait until the member token is accepted.
    const deadline = Date.now() + 60_000;
    while ((await jwsTargets['npi-access@payment'].send(`Bearer ${memberToken}`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('payment-service never accepted the demo member token');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 300_000);

  afterAll(async () => {
    const record = process.env.ATTACK_CORPUS_RECORD;
    if (record) fs.writeFileSync(record, `${JSON.stringify(observed, null, 1)}\n`);
    const refusals = observed.filter((entry) => entry.attack !== 'resigned-unchanged');
    process.stdout.write(`attack corpus: ${corpus.cases.length} cases (${refusals.length} attacks run, ${refusals.filter((entry) => entry.observed.status >= 400 && entry.observed.status < 500).length} refused with a 4xx)\n`);
    await new Promise((resolve) => participantSystem?.close(resolve));
    await platform?.stop();
  }, 60_000);

  it('holds at least 150 attack cases across every token type', () => {
    expect(corpus.cases.filter((entry) => entry.attack !== 'resigned-unchanged').length).toBeGreaterThanOrEqual(150);
    expect(new Set(corpus.cases.map((entry) => entry.target.split('@')[0]))).toEqual(
      new Set(['npi-access', 'npi-refresh', 'npi-signature', 'billers-launch', 'page-cookie', 'hcx-api-key', 'hcx-participant-token']),
    );
  });

  const run = async (entry: CorpusCase) => {
    const outcome = special[entry.target] ? await special[entry.target](entry.attack) : await jwsAttack(entry.attack, jwsTargets[entry.target]);
    observed.push({ ...entry, observed: outcome });
    if (process.env.ATTACK_CORPUS_RECORD) return;
    expect(outcome).toEqual({ status: entry.status, code: entry.code });
  };
  const named = (entries: CorpusCase[]) => entries.map((entry) => [`${entry.target} ${entry.attack}`, entry] as const);
  it.each(named(corpus.cases.filter((entry) => !entry.gap)))('%s', async (_name, entry) => run(entry));
  const gaps = named(corpus.cases.filter((entry) => entry.gap));
  if (gaps.length > 0) (process.env.ATTACK_CORPUS_RECORD ? it.each(gaps) : it.failing.each(gaps))('known gap: %s', async (_name, entry) => run(entry));

  // After the corpus: every refusal above is visible to the on-call engineer on /metrics, by kind
  // and stable code, next to the outbox backlog and consumer lag.
  it('counts issued and refused credentials and failed signatures on each service\'s /metrics', async () => {
    const sample = async (service: keyof LaunchedPlatform['urls'], name: string, labels: Record<string, string>): Promise<number> => {
      const text = await (await fetch(`${platform.urls[service]}/metrics`)).text();
      const matching = text.split('\n').filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)));
      return matching.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    };
    expect(await sample('auth-service', 'tokens_issued_total', { kind: 'oauth.password' })).toBeGreaterThan(0);
    expect(await sample('auth-service', 'tokens_refused_total', { kind: 'oauth.refresh_token' })).toBeGreaterThan(0);
    expect(await sample('payment-service', 'tokens_refused_total', { kind: 'npi.access_token' })).toBeGreaterThan(0);
    expect(await sample('payment-service', 'signature_verification_failures_total', { kind: 'nchl.token_string', reason: 'E003' })).toBeGreaterThan(0);
    expect(await sample('session-service', 'tokens_refused_total', { kind: 'billers.launch_token' })).toBeGreaterThan(0);
    expect(await sample('session-service', 'signature_verification_failures_total', { kind: 'billers.launch_token', reason: 'ERR_JWS_SIGNATURE_INVALID' })).toBeGreaterThan(0);
    expect(await sample('hcx-gateway', 'tokens_issued_total', { kind: 'hcx.api_key' })).toBeGreaterThan(0);
    expect(await sample('hcx-gateway', 'tokens_refused_total', { kind: 'hcx.api_key', reason: 'ERR_ACCESS_DENIED' })).toBeGreaterThan(0);
    const hcxMetrics = await (await fetch(`${platform.urls['hcx-gateway']}/metrics`)).text();
    expect(hcxMetrics).toMatch(/^outbox_backlog_rows\{[^}]*schema="hcx"[^}]*\} \d+$/m);
    expect(hcxMetrics).toContain('# TYPE consumer_lag_messages gauge');
    expect(hcxMetrics).toContain('# TYPE messages_dead_lettered_total counter');
  });
});
