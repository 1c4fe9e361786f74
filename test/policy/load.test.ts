import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicyFile, parsePolicy, PolicyError } from '../../src/policy/load';
import { policyJsonSchema } from '../../src/policy/schema';

function problemsOf(text: string): PolicyError['problems'] {
  try {
    parsePolicy(text, 'policy.json');
  } catch (err) {
    assert.ok(err instanceof PolicyError, String(err));
    return err.problems;
  }
  assert.fail('expected the policy to be rejected');
}

test('a valid policy parses, with defaults filled in', () => {
  const p = parsePolicy('{ "version": 1, "rules": [{ "match": "pytest **", "decision": "auto" }] }', 'p.json');
  assert.equal(p.rules[0]?.context, 'any');
  assert.deepEqual(p.network.allow, []);
});

test('comments and trailing commas are accepted (JSONC)', () => {
  const p = parsePolicy('{\n // team policy\n "version": 1,\n "network": { "deny": ["evil.example",], },\n}', 'p.json');
  assert.deepEqual(p.network.deny, ['evil.example']);
});

test('a misspelt key is an error that points at its line and key, never ignored', () => {
  const [problem] = problemsOf('{\n  "version": 1,\n  "netwrok": { "allow": ["x.example"] }\n}');
  assert.equal(problem?.line, 3);
  assert.match(problem?.message ?? '', /unknown key "netwrok"/);
});

test('a wrong enum value names the path and the allowed values', () => {
  const [problem] = problemsOf('{\n  "version": 1,\n  "rules": [\n    { "match": "ls", "decision": "allow" }\n  ]\n}');
  assert.equal(problem?.path, 'rules[0].decision');
  assert.equal(problem?.line, 4);
  assert.match(problem?.message ?? '', /"auto", "batch", "ask", "deny".*got "allow"/);
});

test('a missing required key is reported', () => {
  const [problem] = problemsOf('{ "rules": [] }');
  assert.equal(problem?.path, 'version');
});

test('thresholds out of order are rejected', () => {
  const problems = problemsOf('{ "version": 1, "thresholds": { "sandbox": { "auto": 60, "batch": 40, "ask": 70 } } }');
  assert.match(problems[0]?.message ?? '', /auto <= batch <= ask/);
});

test('JSON syntax errors give line and column', () => {
  const [problem] = problemsOf('{\n  "version": 1,\n  "rules": [\n}');
  assert.equal(problem?.line, 4);
  assert.match(problem?.message ?? '', /JSON syntax/);
});

test('the error message names the file and tells what to do', () => {
  try {
    parsePolicy('{"version": 2}', '/ws/.airlock/policy.json');
    assert.fail('rejected');
  } catch (err) {
    assert.match((err as Error).message, /\/ws\/\.airlock\/policy\.json:1:\d+: version/);
    assert.match((err as Error).message, /Fix the file/);
  }
});

test('invalid UTF-8 in a policy file is an error, not a silent repair', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-policy-'));
  const file = join(dir, 'policy.json');
  writeFileSync(file, Buffer.from([0x7b, 0x22, 0x76, 0xff, 0x22, 0x7d]));
  assert.throws(() => loadPolicyFile(file), /not valid UTF-8/);
});

test('an unreadable policy file is an error', () => {
  assert.throws(() => loadPolicyFile('/nonexistent/airlock/policy.json'), /cannot read the file \(ENOENT\)/);
});

test('the JSON Schema is generated from the zod schema', () => {
  const schema = policyJsonSchema() as { properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
  assert.ok(schema.properties.rules && schema.properties.network && schema.properties.thresholds);
  assert.deepEqual(schema.required, ['version']);
  assert.equal(schema.additionalProperties, false);
});
