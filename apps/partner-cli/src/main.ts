/** Entry point of `npx npi-partner` (bin/npi-partner.js). */
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`error ERR_UNEXPECTED: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
