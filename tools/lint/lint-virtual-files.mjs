// Lints source text as if it were a file at the given path (which need not exist) and prints the
// module-boundary messages as JSON. Used by module-boundaries.spec.ts (jest cannot load ESLint's
// ESM config in its VM). Input on stdin: [{ "file": "...", "code": "..." }].
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '..', '..');
const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => resolve(text));
}));
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === '@nx/enforce-module-boundaries',
});
const output = [];
for (const { file, code } of input) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  output.push(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
}
process.stdout.write(JSON.stringify(output));
