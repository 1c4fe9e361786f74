// Lint rules that carry the design: strict types, and the layer boundaries from DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodePattern = { group: ['vscode'], message: 'Only src/ui, src/connectors and src/extension.ts import vscode (DESIGN.md, layers).' };
const sandboxPattern = { group: ['**/sandbox', '**/sandbox/**'], message: 'The pure core (policy, risk, approvals) never imports sandbox code.' };
const noVscodeOrSandbox = { 'no-restricted-imports': ['error', { patterns: [vscodePattern, sandboxPattern] }] };
const noVscode = { 'no-restricted-imports': ['error', { patterns: [vscodePattern] }] };

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
  { files: ['src/audit/**', 'src/sandbox/**', 'src/broker*', 'src/broker/**', 'src/cli/**', 'src/cli.ts', 'src/assessor.ts'], rules: noVscode },
  { files: ['**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
);
