// Test workers inherit the database and broker settings that the global setup put in process.env;
// the file is a fallback for runners that start workers before the setup's env is visible.
import fs from 'node:fs';

const file = process.env.__NPI_TEST_ENV_FILE;
if (file && fs.existsSync(file)) {
  const env = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
}
