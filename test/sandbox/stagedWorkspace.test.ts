import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StagedWorkspace } from '../../src/sandbox/stagedWorkspace';
import { parseUnifiedDiff } from '../../src/risk/diff/parseDiff';

let root: string;
let ws: string;
let staged: StagedWorkspace;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'airlock-staged-'));
  ws = join(root, 'ws');
  mkdirSync(join(ws, 'src', 'deep'), { recursive: true });
  mkdirSync(join(ws, '.git', 'objects'), { recursive: true });
  writeFileSync(join(ws, 'README.md'), 'hello\n');
  writeFileSync(join(ws, 'src', 'a.js'), 'export const a = 1;\n');
  writeFileSync(join(ws, 'src', 'deep', 'b.js'), 'b\n');
  writeFileSync(join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  staged = new StagedWorkspace(ws, join(root, 'copy'), join(root, 'state'));
  staged.prepare();
});

afterEach(() => {
  staged.dispose();
  rmSync(root, { recursive: true, force: true });
});

const inCopy = (p: string) => join(root, 'copy', p);

test('the copy starts identical and reports no changes', async () => {
  assert.equal(readFileSync(inCopy('src/a.js'), 'utf8'), 'export const a = 1;\n');
  const set = await staged.collect();
  assert.equal(set.changes.length, 0);
  assert.equal(set.diff, '');
});

test('edits, new files in new folders, deletions, renames and mode changes become one parseable diff', async () => {
  writeFileSync(inCopy('src/a.js'), 'export const a = 2;\n');
  mkdirSync(inCopy('new/dir'), { recursive: true });
  writeFileSync(inCopy('new/dir/c.js'), 'c\n');
  rmSync(inCopy('src/deep'), { recursive: true });
  renameSync(inCopy('README.md'), inCopy('README.txt'));
  writeFileSync(inCopy('run.sh'), '#!/bin/sh\n');
  chmodSync(inCopy('run.sh'), 0o755);
  const set = await staged.collect();
  const byPath = Object.fromEntries(set.changes.map((c) => [c.path, c.kind]));
  assert.deepEqual(byPath, { 'src/a.js': 'modify', 'new/dir/c.js': 'add', 'src/deep/b.js': 'delete', 'README.md': 'delete', 'README.txt': 'add', 'run.sh': 'add' });
  const files = parseUnifiedDiff(set.diff);
  assert.equal(files.length, 6);
  assert.match(set.diff, /new file mode 100755\n/);
  assert.match(set.diff, /-export const a = 1;\n\+export const a = 2;/);
  // Nothing reached the workspace.
  assert.equal(readFileSync(join(ws, 'src', 'a.js'), 'utf8'), 'export const a = 1;\n');
  assert.ok(existsSync(join(ws, 'src', 'deep', 'b.js')));
});

test('apply writes exactly the judged bytes; a file the person changed meanwhile is a conflict', async () => {
  writeFileSync(inCopy('src/a.js'), 'judged\n');
  writeFileSync(inCopy('README.md'), 'also judged\n');
  const set = await staged.collect();
  writeFileSync(inCopy('src/a.js'), 'changed after judging\n');
  writeFileSync(join(ws, 'README.md'), 'the person edited this\n');
  const { applied, conflicts } = staged.apply(set);
  assert.deepEqual(applied, ['src/a.js']);
  assert.deepEqual(conflicts, ['README.md']);
  assert.equal(readFileSync(join(ws, 'src', 'a.js'), 'utf8'), 'judged\n');
  assert.equal(readFileSync(join(ws, 'README.md'), 'utf8'), 'the person edited this\n');
});

test('revert puts the workspace version back in the copy', async () => {
  rmSync(inCopy('src'), { recursive: true });
  const set = await staged.collect();
  await staged.revert(set);
  assert.equal(readFileSync(inCopy('src/deep/b.js'), 'utf8'), 'b\n');
  assert.equal((await staged.collect()).changes.length, 0);
});

test('binary and invalid UTF-8 files are shown as binary, never as text', async () => {
  writeFileSync(inCopy('img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
  writeFileSync(inCopy('latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  const set = await staged.collect();
  assert.match(set.diff, /Binary files \/dev\/null and b\/img\.png differ/);
  assert.match(set.diff, /Binary files \/dev\/null and b\/latin1\.txt differ/);
  staged.apply(set);
  assert.deepEqual(readFileSync(join(ws, 'img.png')), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
});

test('git bookkeeping is applied with the set but not shown; other .git paths are shown', async () => {
  mkdirSync(inCopy('.git/objects/ab'), { recursive: true });
  writeFileSync(inCopy('.git/objects/ab/cdef'), 'blob');
  writeFileSync(inCopy('.git/HEAD'), 'ref: refs/heads/other\n');
  mkdirSync(inCopy('.git/info'), { recursive: true });
  writeFileSync(inCopy('.git/info/attributes'), '* filter=evil\n');
  const set = await staged.collect();
  assert.deepEqual(set.changes.filter((c) => c.gitMeta).map((c) => c.path).sort(), ['.git/HEAD', '.git/objects/ab/cdef']);
  assert.doesNotMatch(set.diff, /objects\/ab/);
  assert.match(set.diff, /\.git\/info\/attributes/);
});

test("the person's edits reach the copy; paths under review are left alone", async () => {
  writeFileSync(inCopy('src/a.js'), 'agent\n');
  await staged.collect(); // pending review
  writeFileSync(join(ws, 'src', 'a.js'), 'person\n');
  writeFileSync(join(ws, 'NEW.md'), 'new\n');
  rmSync(join(ws, 'src', 'deep', 'b.js'));
  await staged.syncIn();
  assert.equal(readFileSync(inCopy('src/a.js'), 'utf8'), 'agent\n');
  assert.equal(readFileSync(inCopy('NEW.md'), 'utf8'), 'new\n');
  assert.equal(existsSync(inCopy('src/deep/b.js')), false);
});

test('symlinks are changes of their own, never followed', async () => {
  symlinkSync('/etc/passwd', inCopy('link'));
  const set = await staged.collect();
  assert.equal(set.changes[0]?.after?.symlink, '/etc/passwd');
  assert.match(set.diff, /new file mode 120000/);
});

test('a change set kept aside has the diff, the exact files and what was deleted', async () => {
  writeFileSync(inCopy('src/a.js'), 'kept\n');
  rmSync(inCopy('README.md'));
  const set = await staged.collect();
  const dir = staged.keepAside(set, 'test');
  assert.equal(readFileSync(join(dir, 'files', 'src', 'a.js'), 'utf8'), 'kept\n');
  assert.equal(readFileSync(join(dir, 'deleted.txt'), 'utf8'), 'README.md\n');
  assert.equal(readFileSync(join(dir, 'changes.diff'), 'utf8'), set.diff);
});

test('regenerable caches stay in the copy: reported, never in the diff, never applied', async () => {
  const cases = ['src/__pycache__/a.cpython-311.pyc', 'tests/.pytest_cache/v/cache/nodeids', '.mypy_cache/3.11/a.json', 'node_modules/.cache/babel/x.json', 'old.pyc'];
  for (const p of cases) {
    mkdirSync(join(inCopy(p), '..'), { recursive: true });
    writeFileSync(inCopy(p), Buffer.from([0, 1, 2, 3]));
  }
  writeFileSync(inCopy('src/a.js'), 'export const a = 3;\n');
  // Names that only look like caches are ordinary changes.
  mkdirSync(inCopy('src/pycache'), { recursive: true });
  writeFileSync(inCopy('src/pycache/x.py'), 'x = 1\n');
  const set = await staged.collect();
  assert.deepEqual(set.changes.map((c) => c.path).sort(), ['src/a.js', 'src/pycache/x.py']);
  assert.deepEqual([...set.sandboxOnly].sort(), [...cases].sort());
  assert.doesNotMatch(set.diff, /pycache__|pytest_cache|mypy_cache|\.pyc/);
  staged.apply(set);
  assert.equal(readFileSync(join(ws, 'src', 'a.js'), 'utf8'), 'export const a = 3;\n');
  for (const p of cases) assert.equal(existsSync(join(ws, p)), false, p);
  assert.equal(existsSync(inCopy(cases[0] ?? '')), true);
});

test('a folder the command removed goes from the workspace once empty; a folder still in use stays', async () => {
  mkdirSync(join(ws, 'build', 'sub'), { recursive: true });
  writeFileSync(join(ws, 'build', 'sub', 'a.o'), 'x');
  writeFileSync(join(ws, 'src', 'deep', 'c.js'), 'c\n');
  await staged.syncIn();
  rmSync(inCopy('build'), { recursive: true });
  rmSync(inCopy('src/deep/b.js'));
  const set = await staged.collect();
  staged.apply(set);
  assert.equal(existsSync(join(ws, 'build')), false);
  assert.equal(existsSync(join(ws, 'src', 'deep')), true, 'src/deep still exists in the copy');
  assert.equal(existsSync(join(ws, 'src', 'deep', 'b.js')), false);
});
