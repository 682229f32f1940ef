/** The `npi-partner` command tree (commander). */
import { Command } from 'commander';
import { registerBillers } from './commands/billers';
import { registerHcx } from './commands/hcx';
import { registerKeys } from './commands/keys';
import { registerNpi } from './commands/npi';
import { registerOauth } from './commands/oauth';

export function createProgram(): Command {
  const program = new Command('npi-partner')
    .description('Try the NPI security platform as a partner: NPI members (OAuth, signed batches), NPI Billers host apps, HCX participants.\nEvery command defaults to the demo partners `npm start` writes to .data/demo/credentials.json.')
    .option('--credentials <file>', 'demo credentials file (env NPI_PARTNER_CREDENTIALS)', undefined)
    .option('--auth-url <url>', 'auth-service base URL (env NPI_AUTH_URL; default from the credentials file)')
    .option('--payment-url <url>', 'payment-service base URL (env NPI_PAYMENT_URL)')
    .option('--session-url <url>', 'session-service base URL (env NPI_SESSION_URL)')
    .option('--hcx-url <url>', 'hcx-gateway base URL (env NPI_HCX_URL)')
    .option('--json', 'machine-readable output on stdout; errors as {"error":{code,message,fix}} on stderr')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples (after \`npm start\`):
  npx npi-partner npi post-batch docs/guides/examples/payment.csv    # a real-time NPI payment, signed, answer verified
  npx npi-partner billers launch-url                                 # a Billers page URL for the demo host app
  npx npi-partner hcx listen --port 4102 &                           # the demo payor's endpoint
  npx npi-partner hcx send coverageeligibility/check --to demo-payor@hcx --file docs/guides/examples/coverage-eligibility-bundle.json

Exit codes: 0 done, 1 failed (the code and the fix are printed), 2 wrong usage.`,
    );
  // Before the commands are added, so every subcommand inherits it: usage errors exit 2.
  program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  registerKeys(program);
  registerOauth(program);
  registerNpi(program);
  registerBillers(program);
  registerHcx(program);
  return program;
}
