/** Entry point of `npx npi-partner` (bin/npi-partner.js); not `main.ts`, which marks a deployable service. */
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`error ERR_UNEXPECTED: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
