import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lmToolsManifest } from '../../scripts/lmToolsManifest';

test('package.json declares the language model tools exactly as the tool definitions do (run npm run docs)', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { languageModelTools: unknown } };
  assert.deepEqual(pkg.contributes.languageModelTools, lmToolsManifest());
});
