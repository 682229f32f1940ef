/**
 * Source of a private-key worker, run with `new Worker(source, { eval: true })` so it works the same
 * from TypeScript sources (jest, swc register) and from a build, with no file to locate.
 *
 * Protocol (parent -> worker):
 *   { t: 'key', k: id, key: KeyObject }      cache a private key (KeyObjects clone across threads)
 *   { t: 'drop', k: id }                     forget it (the parent's KeyObject was collected)
 *   { t: 'sign', i, k, h, p, s, d }          RSA sign d with hash h, padding p, salt length s
 *   { t: 'unwrap', i, k, h, d }              RSA-OAEP decrypt d with OAEP hash h
 * (worker -> parent): { i, r } with r a Uint8Array, or r null when the operation failed.
 * A failure carries no detail on purpose: OAEP errors must not become an oracle (RFC 7516 s. 11.5).
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const OAEP = crypto.constants.RSA_PKCS1_OAEP_PADDING;
const keys = new Map();
parentPort.on('message', (m) => {
  switch (m.t) {
    case 'key': keys.set(m.k, m.key); return;
    case 'drop': keys.delete(m.k); return;
    case 'sign': {
      let r = null;
      try { r = crypto.sign(m.h, m.d, { key: keys.get(m.k), padding: m.p, saltLength: m.s }); } catch (e) { r = null; }
      parentPort.postMessage({ i: m.i, r });
      return;
    }
    case 'unwrap': {
      let r = null;
      try { r = crypto.privateDecrypt({ key: keys.get(m.k), padding: OAEP, oaepHash: m.h }, m.d); } catch (e) { r = null; }
      parentPort.postMessage({ i: m.i, r });
      return;
    }
  }
});
`;
