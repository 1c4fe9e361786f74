import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiffParseError, parseUnifiedDiff } from '../../../src/risk/diff/parseDiff';
import { defaultAssessor } from '../../helpers/assessor';

test('git headers: new, deleted, renamed, mode changes, binary, no-newline marker', () => {
  const text = [
    'diff --git a/new.txt b/new.txt',
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    '+++ b/new.txt',
    '@@ -0,0 +1,2 @@',
    '+one',
    '+two',
    '\\ No newline at end of file',
    'diff --git a/gone.txt b/gone.txt',
    'deleted file mode 100644',
    '--- a/gone.txt',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-bye',
    'diff --git a/a.txt b/b.txt',
    'similarity index 90%',
    'rename from a.txt',
    'rename to b.txt',
    'diff --git a/run.sh b/run.sh',
    'old mode 100644',
    'new mode 100755',
    'diff --git a/img.png b/img.png',
    'Binary files a/img.png and b/img.png differ',
  ].join('\n');
  const files = parseUnifiedDiff(text);
  assert.deepEqual(files.map((f) => [f.path, f.status]), [['new.txt', 'added'], ['gone.txt', 'deleted'], ['b.txt', 'renamed'], ['run.sh', 'modified'], ['img.png', 'modified']]);
  assert.deepEqual(files[0]?.hunks[0]?.lines.map((l) => [l.kind, l.text, l.newLine]), [['add', 'one', 1], ['add', 'two', 2]]);
  assert.equal(files[2]?.oldPath, 'a.txt');
  assert.equal(files[3]?.newMode, '100755');
  assert.equal(files[4]?.binary, true);
});

test('git show output: the commit preamble is skipped', () => {
  const text = 'commit abc\nAuthor: A <a@b>\nDate: today\n\n    Fix it\n\ndiff --git a/x.js b/x.js\nindex 1..2 100644\n--- a/x.js\n+++ b/x.js\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n';
  const [f] = parseUnifiedDiff(text);
  assert.equal(f?.path, 'x.js');
  assert.deepEqual(f?.hunks[0]?.lines.map((l) => [l.kind, l.oldLine, l.newLine]), [['ctx', 1, 1], ['del', 2, undefined], ['add', undefined, 2]]);
});

test('plain diff -u output without git headers', () => {
  const [f] = parseUnifiedDiff('--- a/x.txt\t2024-01-01\n+++ b/x.txt\t2024-01-02\n@@ -1 +1 @@\n-old\n+new\n');
  assert.equal(f?.path, 'x.txt');
  assert.equal(f?.hunks[0]?.lines.length, 2);
});

test('quoted paths with non-ASCII names', () => {
  const [f] = parseUnifiedDiff('diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"\n--- "a/caf\\303\\251.txt"\n+++ "b/caf\\303\\251.txt"\n@@ -1 +1 @@\n-a\n+b\n');
  assert.equal(f?.path, 'café.txt');
});

test('a hunk that claims more lines than it has is an error naming the line', () => {
  assert.throws(() => parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n'), (e: unknown) => e instanceof DiffParseError && /ends early/.test(e.message));
});

test('garbage inside a hunk is an error naming the line', () => {
  assert.throws(() => parseUnifiedDiff('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n?b\n'), (e: unknown) => e instanceof DiffParseError && e.line === 5);
});

test('text that is not a diff is an error, never a silent "low"', async () => {
  assert.throws(() => parseUnifiedDiff('hello world\n'), /not a unified diff/);
  const r = (await defaultAssessor()).assessDiff('hello world\n');
  assert.equal(r.decision, 'ask');
  assert.equal(r.reasons[0]?.rule, 'diff-parse-error');
});

test('an empty diff changes nothing', async () => {
  const r = (await defaultAssessor()).assessDiff('');
  assert.equal(r.decision, 'auto');
  assert.deepEqual(r.files, []);
});

test('secrets are reported redacted', async () => {
  const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
  const r = (await defaultAssessor()).assessDiff(`--- a/x.js\n+++ b/x.js\n@@ -0,0 +1 @@\n+const t = "${secret}";\n`);
  const reason = r.reasons.find((x) => x.rule === 'secret-added');
  assert.ok(reason);
  assert.ok(!reason.message.includes(secret), reason.message);
  assert.match(reason.message, /ghp_…\(42 characters\)/);
  assert.equal(reason.line, 1);
  assert.equal(reason.file, 'x.js');
});
