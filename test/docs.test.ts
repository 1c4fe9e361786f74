import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderRulesDoc } from '../scripts/rulesDoc';

test('docs/rules.md matches the rule catalog (run npm run docs after changing rules)', () => {
  assert.equal(readFileSync('docs/rules.md', 'utf8'), renderRulesDoc());
});
