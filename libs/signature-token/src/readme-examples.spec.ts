/** The README's amount table and worked examples are the library's behaviour, not prose. */
import fs from 'node:fs';
import path from 'node:path';
import { canonicalAmount } from './amount';
import { TokenStringError } from './errors';
import { buildBillersConfirmTokenString } from './token-strings/billers-confirm';
import { buildNonRealTimeTokenString } from './token-strings/non-real-time';
import { buildRealTimeTokenString } from './token-strings/real-time';
import { buildResponseTokenString } from './token-strings/response';
import { createVerifier } from './verify';
import { loadSigner } from './sign';
import { generateMemberCredentials } from './testing/generate-credentials';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

interface Example {
  kind: string;
  userId: string | undefined;
  body: unknown;
  tokenString: string;
}

const EXAMPLE = /<!-- example: (\S+)(?: userId=(\S+))? -->\s*```json\n([\s\S]*?)```[\s\S]*?```text\n([^\n]*)\n```/g;
const examples: Example[] = [...readme.matchAll(EXAMPLE)].map(([, kind, userId, json, tokenString]) => ({
  kind,
  userId,
  body: JSON.parse(json) as unknown,
  tokenString,
}));

const builders: Record<string, (body: never, userId: string) => string> = {
  'real-time': buildRealTimeTokenString,
  'non-real-time': buildNonRealTimeTokenString,
  'billers-confirm': buildBillersConfirmTokenString,
  response: (body) => buildResponseTokenString(body),
};

describe('README worked examples', () => {
  it('has one example per message type', () => {
    expect(examples.map((example) => example.kind).sort()).toEqual(Object.keys(builders).sort());
  });

  it.each(examples.map((example) => [example.kind, example] as const))('%s: the JSON body gives exactly the string shown', (kind, example) => {
    expect(builders[kind](example.body as never, example.userId as string)).toBe(example.tokenString);
  });

  it('the example strings sign and verify', () => {
    const credentials = generateMemberCredentials({ commonName: 'README', passphrase: 'readme', days: 1 });
    const signer = loadSigner(credentials.pfx, 'readme');
    const verifier = createVerifier();
    for (const { tokenString } of examples) {
      const token = signer.sign(tokenString);
      expect(token).toHaveLength(344);
      expect(() => verifier.verify(tokenString, token, signer.certificatePem)).not.toThrow();
    }
  });
});

describe('README amount table', () => {
  const table = /<!-- amounts[^>]*-->\n([\s\S]*?)<!-- \/amounts -->/.exec(readme)?.[1] ?? '';
  const rows = [...table.matchAll(/^\| `(.+)` \| `(.+)` \|$/gm)].map(([, input, output]) => [input, output] as const);

  it('has rows for canonical forms and for refusals', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.some(([, output]) => output.startsWith('ERR_'))).toBe(true);
  });

  it.each(rows)('%s -> %s', (input, output) => {
    const value = JSON.parse(input) as unknown;
    if (output.startsWith('ERR_')) {
      let code: string | undefined;
      try {
        canonicalAmount(value);
      } catch (error) {
        if (error instanceof TokenStringError) code = error.code;
      }
      expect(code).toBe(output);
    } else {
      expect(canonicalAmount(value)).toBe(output);
    }
  });
});
