import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/cli.js');

async function run(args: string[]) {
  const { execa } = await import('execa');
  return execa('node', [CLI, ...args], { reject: false, env: { NO_COLOR: '1' } });
}

test('npm run demo -- --audit-log FILE writes the session log, verified at the end', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'airlock-demo-')), 'session.jsonl');
  // Decisions only: the figures below are about the recorded actions, not what executing them changes.
  const r = await run(['demo', '--no-exec', '--audit-log', file]);
  assert.equal(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /prompts: \d+ \(\d+ asks \+ \d+ batch reviews\) vs 38 when asking for everything/);
  assert.match(r.stdout, /chain verified/);
  const verify = await run(['audit', 'verify', file]);
  assert.equal(verify.exitCode, 0);
  assert.match(verify.stdout, /records, chain intact/);
  const stats = await run(['audit', 'stats', file]);
  assert.equal(stats.exitCode, 0);
  assert.match(stats.stdout, /prompts: 1 asks \+ 1 batch reviews = 5\.26 per 100 actions/);
  assert.match(stats.stdout, /approval rate: 100%/);
  const show = await run(['audit', 'show', file, '--limit', '5']);
  assert.equal(show.exitCode, 0);
  assert.equal(show.stdout.trim().split('\n').length, 5);
});

test('airlock audit verify exits non-zero on tampering and names the record', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'airlock-demo-')), 'session.jsonl');
  await run(['demo', '--no-exec', '--audit-log', file]);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const e = JSON.parse(lines[2] ?? '{}');
  e.data = { ...e.data, decidedBy: 'someone else' };
  lines[2] = JSON.stringify(e);
  writeFileSync(file, lines.join('\n') + '\n');
  const r = await run(['audit', 'verify', file]);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /broken at line 3 \(record 3\)/);
});

test('airlock audit verify on a missing log fails clearly', async () => {
  const r = await run(['audit', 'verify', '/nonexistent/airlock.jsonl']);
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /no audit log at/);
});
