// Test workers read the database and broker settings that the global setup prepared.
import fs from 'node:fs';
import path from 'node:path';

const file = path.join(__dirname, '..', '..', 'tmp', 'test-env.json');
if (fs.existsSync(file)) {
  const env = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
}
