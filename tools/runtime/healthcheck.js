// Container HEALTHCHECK without curl (node:24-bookworm-slim has none):
//   node tools/runtime/healthcheck.js [/health/ready]
// Exits 0 when the service answers 200 on 127.0.0.1:$PORT within the timeout, 1 otherwise.
'use strict';

const http = require('node:http');

const path = process.argv[2] || '/health/ready';
const port = Number(process.env.PORT);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);

if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('healthcheck: PORT is not set to a valid port\n');
  process.exit(1);
}

const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
request.on('error', (error) => {
  process.stderr.write(`healthcheck: ${path}: ${error.message}\n`);
  process.exit(1);
});
