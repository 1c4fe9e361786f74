// Lint rules that carry the design: strict types, and the layer boundaries from DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodePattern = { group: ['vscode'], message: 'Only src/ui, src/connectors and src/extension.ts import vscode (DESIGN.md, layers).' };
const sandboxPattern = { group: ['**/sandbox', '**/sandbox/**'], message: 'The pure core (policy, risk, approvals) never imports sandbox code.' };
const noVscodeOrSandbox = { 'no-restricted-imports': ['error', { patterns: [vscodePattern, sandboxPattern] }] };
const noVscode = { 'no-restricted-imports': ['error', { patterns: [vscodePattern] }] };
// The sandbox depends on node and policy types only: what it must know of risk or the broker is injected.
const sandboxOwnPattern = { group: ['**/risk/**', '**/broker/**', '**/broker', '**/approvals/**', '**/assessor', '**/cli/**', '**/audit/**'], message: 'src/sandbox depends on node and policy types only (DESIGN.md, layers); inject what it needs.' };
const sandboxRules = { 'no-restricted-imports': ['error', { patterns: [vscodePattern, sandboxOwnPattern] }] };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'scratch/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-control-regex': 'off',
      'no-misleading-character-class': 'off',
    },
  },
  { files: ['src/policy/**', 'src/risk/**', 'src/approvals/**'], rules: noVscodeOrSandbox },
  { files: ['src/sandbox/**'], rules: sandboxRules },
  { files: ['src/audit/**', 'src/broker*', 'src/broker/**', 'src/cli/**', 'src/cli.ts', 'src/assessor.ts'], rules: noVscode },
  { files: ['**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
);
