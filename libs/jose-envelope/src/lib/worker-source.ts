/**
 * Source of a private-key worker, run with `new Worker(source, { eval: true })` so it works the same
 * from TypeScript sources (jest, swc register) and from a build, with no file to locate.
 *
 * Protocol. Parent -> worker: an array of requests, in order:
 *   { t: 'key', k: id, key: KeyObject }      cache a private key (KeyObjects clone across threads)
 *   { t: 'drop', k: id }                     forget it (the parent's KeyObject was collected)
 *   { t: 'sign', i, k, h, p, s, d }          RSA sign d with hash h, padding p, salt length s
 *   { t: 'unwrap', i, k, h, d }              RSA-OAEP decrypt d with OAEP hash h
 * Worker -> parent: a flat array [i, r, i, r, ...], r a Uint8Array, or null when the operation
 * failed. A failure carries no detail on purpose: OAEP errors must not become an oracle (RFC 7516
 * section 11.5).
 *
 * Batching: after each operation the worker takes any request already queued (receiveMessageOnPort)
 * and sends results in groups of up to MAX_REPLY_BATCH, so a saturated worker pays one postMessage
 * per few operations instead of one each. An idle worker answers each operation immediately.
 */
export const MAX_REPLY_BATCH = 4;

export const WORKER_SOURCE = `
'use strict';
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const OAEP = crypto.constants.RSA_PKCS1_OAEP_PADDING;
const MAX_REPLY_BATCH = ${MAX_REPLY_BATCH};
const keys = new Map();

function run(m) {
  switch (m.t) {
    case 'key': keys.set(m.k, m.key); return undefined;
    case 'drop': keys.delete(m.k); return undefined;
    case 'sign':
      try { return crypto.sign(m.h, m.d, { key: keys.get(m.k), padding: m.p, saltLength: m.s }); } catch (e) { return null; }
    case 'unwrap':
      try { return crypto.privateDecrypt({ key: keys.get(m.k), padding: OAEP, oaepHash: m.h }, m.d); } catch (e) { return null; }
    default: return undefined;
  }
}

parentPort.on('message', (requests) => {
  let replies = [];
  let batch = requests;
  while (batch !== undefined) {
    for (let index = 0; index < batch.length; index += 1) {
      const request = batch[index];
      const result = run(request);
      if (result === undefined) continue;
      replies.push(request.i, result);
      if (replies.length >= 2 * MAX_REPLY_BATCH) {
        parentPort.postMessage(replies);
        replies = [];
      }
    }
    const next = receiveMessageOnPort(parentPort);
    batch = next === undefined ? undefined : next.message;
  }
  if (replies.length > 0) parentPort.postMessage(replies);
});
`;
