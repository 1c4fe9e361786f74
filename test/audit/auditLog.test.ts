import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuditLog } from '../../src/audit/auditLog';
import { verifyAuditLog } from '../../src/audit/verify';

function freshLog(): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-audit-'));
  return { dir, file: join(dir, 'audit.jsonl') };
}

async function logWith(n: number): Promise<string> {
  const { file } = freshLog();
  const log = AuditLog.open(file);
  for (let i = 0; i < n; i++) await log.append({ type: 'action', actionId: `a${i}`, data: { i, command: `echo ${i}` } });
  return file;
}

function rewriteLine(file: string, index: number, edit: (e: Record<string, unknown>) => Record<string, unknown> | undefined): void {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const e = JSON.parse(lines[index] ?? '{}') as Record<string, unknown>;
  const next = edit(e);
  if (next === undefined) lines.splice(index, 1);
  else lines[index] = JSON.stringify(next);
  writeFileSync(file, lines.join('\n') + '\n');
}

test('an untouched log verifies', async () => {
  const file = await logWith(20);
  const r = verifyAuditLog(file);
  assert.ok(r.ok);
  assert.equal(r.records, 20);
});

test('editing a record is detected and named', async () => {
  const file = await logWith(10);
  rewriteLine(file, 4, (e) => ({ ...e, data: { i: 4, command: 'rm -rf /' } }));
  const r = verifyAuditLog(file);
  assert.equal(r.ok, false);
  assert.equal(r.broken?.line, 5);
  assert.match(r.broken?.reason ?? '', /does not match its hash/);
});

test('editing a record and recomputing its hash breaks the next link', async () => {
  const file = await logWith(10);
  const { entryHash } = await import('../../src/audit/record');
  rewriteLine(file, 4, (e) => {
    const { hash: _h, ...rest } = e;
    const changed = { ...rest, data: { i: 4, command: 'evil' } };
    return { ...changed, hash: entryHash(changed as never) };
  });
  const r = verifyAuditLog(file);
  assert.equal(r.ok, false);
  assert.equal(r.broken?.line, 6);
});

test('deleting a record in the middle is detected', async () => {
  const file = await logWith(10);
  rewriteLine(file, 3, () => undefined);
  const r = verifyAuditLog(file);
  assert.equal(r.ok, false);
  assert.equal(r.broken?.line, 4);
});

test('cutting records off the end is detected through the chain head', async () => {
  const file = await logWith(10);
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  writeFileSync(file, lines.slice(0, 7).join('\n') + '\n');
  const r = verifyAuditLog(file);
  assert.equal(r.ok, false);
  assert.match(r.broken?.reason ?? '', /cut off the end/);
});

test('a torn last line is set aside on open; earlier records and later appends stay valid', async () => {
  const file = await logWith(5);
  appendFileSync(file, '{"seq":6,"ts":"2026-01-01T00:00:00.000Z","prev":"abc","type":"act');
  assert.ok(verifyAuditLog(file).warnings.some((w) => w.includes('incomplete')));
  const log = AuditLog.open(file);
  assert.equal(log.recovered.length, 1);
  await log.append({ type: 'note', data: { after: 'crash' } });
  const r = verifyAuditLog(file);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.records, 6);
  assert.ok(readFileSync(file + '.partial', 'utf8').startsWith('{"seq":6'));
});

test('killing a writer process mid-record loses at most that record', async () => {
  const { file } = freshLog();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/audit/writer.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res) => child.stdout.once('data', () => res()));
  await new Promise((res) => setTimeout(res, 400));
  child.kill('SIGKILL');
  await new Promise((res) => child.once('exit', res));
  const before = verifyAuditLog(file);
  assert.ok(before.ok, JSON.stringify(before));
  assert.ok(before.records > 0, 'the writer wrote something before it was killed');
  const log = AuditLog.open(file);
  await log.append({ type: 'note', data: { resumed: true } });
  const after = verifyAuditLog(file);
  assert.ok(after.ok, JSON.stringify(after));
  assert.equal(after.records, before.records + 1);
});

test('the log is refused inside the workspace the sandbox can write', () => {
  const { dir } = freshLog();
  assert.throws(() => AuditLog.open(join(dir, 'ws', '.airlock', 'audit.jsonl'), join(dir, 'ws')), /will not keep its audit log inside the workspace/);
});

test('concurrent appends are serialised into one chain', async () => {
  const { file } = freshLog();
  const log = AuditLog.open(file);
  await Promise.all(Array.from({ length: 200 }, (_, i) => log.append({ type: 'note', data: { i } })));
  const r = verifyAuditLog(file);
  assert.ok(r.ok);
  assert.equal(r.records, 200);
});
