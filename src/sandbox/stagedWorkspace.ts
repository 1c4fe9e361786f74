import { createHash } from 'node:crypto';
import { chmodSync, rmdirSync, chownSync, cpSync, readdirSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { TreeWatcher, entryType } from './treeWatcher';

/** One file's change from the workspace to the sandbox's copy, with the exact bytes that were judged. */
export interface FileChange {
  path: string;
  kind: 'add' | 'modify' | 'delete';
  /** sha256 of the workspace file when the change was computed; applying refuses if it changed since. */
  beforeHash?: string;
  after?: { bytes: Buffer; mode: number; symlink?: string };
  /** `.git` bookkeeping (objects, refs, index): applied with the change set, never shown as a diff. */
  gitMeta: boolean;
}

export interface ChangeSet {
  changes: FileChange[];
  /** Unified diff of the non-git changes, for the diff gate and the person. */
  diff: string;
  fullScan: boolean;
  /** Regenerable caches the command wrote (bytecode, tool caches): they stay in the copy and never reach the workspace. */
  sandboxOnly: string[];
}

/** `.git` paths that are git's own bookkeeping; anything else under `.git` (hooks, config, modules, info) is shown and judged. */
const GIT_META = /^\.git\/(objects\/|refs\/|logs\/|HEAD$|ORIG_HEAD$|FETCH_HEAD$|MERGE_[A-Z_]+$|CHERRY_PICK_HEAD$|REVERT_HEAD$|COMMIT_EDITMSG$|index$|packed-refs$|rebase-merge\/|rebase-apply\/|sequencer\/|AUTO_MERGE$)/;
/**
 * Caches that running code regenerates on its own. They stay in the sandbox's copy: nothing of them reaches the
 * person's files (so nothing is loosened), and a Python run no longer turns into a binary-file review.
 */
const SANDBOX_ONLY = /(^|\/)(__pycache__|\.pytest_cache|\.mypy_cache|\.ruff_cache|\.hypothesis)\/|\.py[co]$|(^|\/)node_modules\/\.cache\//;
const MAX_TEXT_DIFF_BYTES = 4 * 1024 * 1024;

function sha(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

function readEntry(path: string): { bytes: Buffer; mode: number; symlink?: string } | undefined {
  try {
    const s = lstatSync(path);
    if (s.isSymbolicLink()) {
      const target = readlinkSync(path);
      return { bytes: Buffer.from(target), mode: 0o120000, symlink: target };
    }
    if (!s.isFile()) return undefined;
    return { bytes: readFileSync(path), mode: s.mode & 0o777 };
  } catch {
    return undefined;
  }
}

function isBinary(b: Buffer): boolean {
  if (b.includes(0)) return true;
  return !isValidUtf8(b);
}

function isValidUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/**
 * The staged-writes workspace: the sandbox works on a copy; after each command the copy's changes are
 * computed (from inotify events, not a walk), turned into a diff the diff rules judge like any proposed
 * edit, and applied to the real workspace only when that decision allows. Declined changes are reverted
 * in the copy; changes nobody could review are kept aside with instructions.
 */
export class StagedWorkspace {
  private copyWatcher?: TreeWatcher;
  private workspaceWatcher?: TreeWatcher;
  /** Paths with a change waiting for review: the user's edits to them are not synced into the copy. */
  private readonly pending = new Set<string>();

  constructor(
    readonly workspace: string,
    readonly copy: string,
    private readonly stateDir: string,
    private readonly owner?: { uid: number; gid: number },
  ) {}

  /** Creates or refreshes the copy, then starts watching both trees. */
  prepare(onProgress?: (message: string) => void): void {
    if (!existsSync(this.copy)) {
      onProgress?.(`copying the workspace into the sandbox's staging copy (${this.copy})`);
      mkdirSync(dirname(this.copy), { recursive: true });
      cpSync(this.workspace, this.copy, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      this.chownTree(this.copy);
    }
    this.copyWatcher = new TreeWatcher(this.copy, join(this.stateDir, 'barrier-copy'));
    this.workspaceWatcher = new TreeWatcher(this.workspace, join(this.stateDir, 'barrier-ws'));
    this.copyWatcher.start();
    this.workspaceWatcher.start();
    onProgress?.('bringing the staging copy up to date with the workspace');
    this.syncPaths([...new Set([...this.workspaceWatcher.index.keys(), ...this.copyWatcher.index.keys()])]);
    // The sync's own writes are not the sandbox's changes.
    void this.copyWatcher.take();
  }

  dispose(): void {
    this.copyWatcher?.stop();
    this.workspaceWatcher?.stop();
  }

  /** Before a command: the person's own edits in the workspace reach the copy (except paths under review). */
  async syncIn(): Promise<number> {
    if (!this.workspaceWatcher || !this.copyWatcher) throw new Error('staged workspace not prepared');
    const { changed, removed } = await this.workspaceWatcher.take();
    const paths = [...changed, ...removed].filter((p) => !this.pending.has(p));
    const n = this.syncPaths(paths);
    await this.copyWatcher.take(); // drop the events of our own writes
    return n;
  }

  /** Makes each path in the copy what it is in the workspace. Returns how many differed. */
  private syncPaths(paths: string[]): number {
    let n = 0;
    for (const p of paths.sort()) {
      const src = join(this.workspace, p);
      const dst = join(this.copy, p);
      const type = entryType(src);
      if (type === 'dir') {
        if (entryType(dst) !== 'dir') {
          rmSync(dst, { recursive: true, force: true });
          const created = mkdirSync(dst, { recursive: true });
          if (created) for (let d = dst; d.length >= created.length; d = dirname(d)) this.chown(d);
          n++;
        }
        continue;
      }
      const want = type ? readEntry(src) : undefined;
      const have = readEntry(dst);
      if (!want && !have && entryType(dst) !== 'dir') continue;
      if (want && have && want.mode === have.mode && want.bytes.equals(have.bytes)) continue;
      this.writeEntry(dst, want);
      n++;
    }
    return n;
  }

  /** What the last command changed in the copy, compared with the workspace. */
  async collect(): Promise<ChangeSet> {
    if (!this.copyWatcher) throw new Error('staged workspace not prepared');
    const { changed, removed, fullScan } = await this.copyWatcher.take();
    const changes: FileChange[] = [];
    const sandboxOnly: string[] = [];
    const paths = fullScan ? [...new Set([...changed, ...removed, ...(this.workspaceWatcher?.index.keys() ?? [])])] : [...changed, ...removed];
    for (const path of paths.sort()) {
      if (this.copyWatcher.index.get(path) === 'dir') continue;
      const now = readEntry(join(this.copy, path));
      const before = readEntry(join(this.workspace, path));
      if (!now && !before) continue;
      if (now && before && now.mode === before.mode && now.bytes.equals(before.bytes)) continue;
      if (SANDBOX_ONLY.test(path)) {
        sandboxOnly.push(path);
        continue;
      }
      const gitMeta = GIT_META.test(path);
      changes.push({ path, kind: !before ? 'add' : !now ? 'delete' : 'modify', ...(before ? { beforeHash: sha(before.bytes) } : {}), ...(now ? { after: now } : {}), gitMeta });
    }
    for (const c of changes) this.pending.add(c.path);
    return { changes, diff: this.diffOf(changes), fullScan, sandboxOnly };
  }

  private diffOf(changes: FileChange[]): string {
    const parts: string[] = [];
    for (const c of changes) {
      if (c.gitMeta) continue;
      const before = readEntry(join(this.workspace, c.path));
      const a = `a/${c.path}`;
      const b = `b/${c.path}`;
      let header = `diff --git ${a} ${b}\n`;
      if (c.kind === 'add') header += `new file mode ${modeText(c.after)}\n`;
      else if (c.kind === 'delete') header += `deleted file mode ${modeText(before)}\n`;
      else if (before && c.after && before.mode !== c.after.mode) header += `old mode ${modeText(before)}\nnew mode ${modeText(c.after)}\n`;
      const oldBytes = before?.bytes ?? Buffer.alloc(0);
      const newBytes = c.after?.bytes ?? Buffer.alloc(0);
      if (oldBytes.equals(newBytes) && c.kind === 'modify') {
        parts.push(header);
        continue;
      }
      if (isBinary(oldBytes) || isBinary(newBytes) || oldBytes.length + newBytes.length > MAX_TEXT_DIFF_BYTES) {
        parts.push(`${header}Binary files ${c.kind === 'add' ? '/dev/null' : a} and ${c.kind === 'delete' ? '/dev/null' : b} differ\n`);
        continue;
      }
      const patch = createTwoFilesPatch(c.kind === 'add' ? '/dev/null' : a, c.kind === 'delete' ? '/dev/null' : b, oldBytes.toString('utf8'), newBytes.toString('utf8'), '', '', { context: 3 });
      // jsdiff writes an "Index:" preamble and tab-suffixed names; keep only the hunks under git-style headers.
      const body = patch.split('\n').filter((l, i) => i > 1 || !(l.startsWith('Index:') || l.startsWith('====')));
      const hunks = body
        .join('\n')
        .replace(/^--- (.*?)\t?$/m, '--- $1')
        .replace(/^\+\+\+ (.*?)\t?$/m, '+++ $1');
      if (!/^@@/m.test(hunks)) {
        parts.push(header);
        continue;
      }
      parts.push(header + hunks.replace(/\n*$/, '\n'));
    }
    return parts.join('');
  }

  /** Writes the judged bytes into the workspace. A file the person changed since is a conflict, not overwritten. */
  apply(set: ChangeSet): { applied: string[]; conflicts: string[] } {
    const applied: string[] = [];
    const conflicts: string[] = [];
    for (const c of set.changes) {
      this.pending.delete(c.path);
      const target = join(this.workspace, c.path);
      const current = readEntry(target);
      const currentHash = current ? sha(current.bytes) : undefined;
      if (currentHash !== c.beforeHash) {
        conflicts.push(c.path);
        continue;
      }
      this.writeEntry(target, c.after, false);
      applied.push(c.path);
      if (!c.after) this.pruneEmptyDirs(dirname(c.path));
    }
    return { applied, conflicts };
  }

  /**
   * After a deletion, folders the command removed in the copy go from the workspace too, once empty (`rm -rf
   * build` leaves no empty `build/`). A folder that still exists in the copy, or still holds anything, stays.
   */
  private pruneEmptyDirs(rel: string): void {
    for (let dir = rel; dir && dir !== '.' && dir !== '/'; dir = dirname(dir)) {
      if (entryType(join(this.copy, dir)) !== undefined) return;
      const abs = join(this.workspace, dir);
      try {
        if (readdirSync(abs).length > 0) return;
        rmdirSync(abs);
      } catch {
        return;
      }
    }
  }

  /** Puts the workspace's version back into the copy, so the sandbox no longer sees a change that was not applied. */
  async revert(set: ChangeSet): Promise<void> {
    for (const c of set.changes) this.pending.delete(c.path);
    this.syncPaths(set.changes.map((c) => c.path));
    await this.copyWatcher?.take();
  }

  /** Saves a change set that needs a person nobody could reach: the diff to review and the exact files. */
  keepAside(set: ChangeSet, id: string): string {
    const dir = join(this.stateDir, 'kept', id);
    mkdirSync(join(dir, 'files'), { recursive: true });
    writeFileSync(join(dir, 'changes.diff'), set.diff);
    const deleted: string[] = [];
    for (const c of set.changes) {
      if (!c.after) deleted.push(c.path);
      else if (!c.after.symlink) {
        const out = join(dir, 'files', c.path);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, c.after.bytes, { mode: c.after.mode });
      }
    }
    writeFileSync(join(dir, 'deleted.txt'), deleted.join('\n') + (deleted.length ? '\n' : ''));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ workspace: this.workspace, changes: set.changes.map((c) => ({ path: c.path, kind: c.kind, beforeHash: c.beforeHash, gitMeta: c.gitMeta })) }, null, 2));
    return dir;
  }

  private writeEntry(target: string, entry: { bytes: Buffer; mode: number; symlink?: string } | undefined, chown = true): void {
    if (entryType(target) === 'dir') rmSync(target, { recursive: true, force: true });
    else if (existsSync(target) || entryType(target)) unlinkSync(target);
    if (!entry) return;
    const created = mkdirSync(dirname(target), { recursive: true });
    // Folders made here must belong to the sandbox's user too, or it cannot write in them.
    if (created && chown) for (let d = dirname(target); d.length >= created.length; d = dirname(d)) this.chown(d);
    if (entry.symlink !== undefined) symlinkSync(entry.symlink, target);
    else {
      writeFileSync(target, entry.bytes);
      chmodSync(target, entry.mode);
    }
    if (chown) this.chown(target);
  }

  private chown(path: string): void {
    if (!this.owner) return;
    try {
      chownSync(path, this.owner.uid, this.owner.gid);
    } catch {
      // not permitted (not root): the copy keeps the current user's ownership
    }
  }

  private chownTree(root: string): void {
    if (!this.owner) return;
    const stack = [root];
    while (stack.length) {
      const p = stack.pop() as string;
      try {
        const s = lstatSync(p);
        if (s.isSymbolicLink()) continue;
        chownSync(p, this.owner.uid, this.owner.gid);
        if (s.isDirectory()) for (const n of readdirSync(p)) stack.push(join(p, n));
      } catch {
        // not permitted: keep going; the sandbox will report what it cannot write
      }
    }
  }
}

function modeText(e?: { mode: number }): string {
  if (!e) return '100644';
  if (e.mode === 0o120000) return '120000';
  return e.mode & 0o111 ? '100755' : '100644';
}
