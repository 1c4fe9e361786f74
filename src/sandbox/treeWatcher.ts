import { watch, writeFileSync, mkdirSync, readdirSync, lstatSync, unlinkSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

export type EntryType = 'file' | 'dir' | 'symlink';

/**
 * Knows which paths under a root changed since the last `take()`, without walking the tree: one inotify
 * watch per directory, and a walk only of directories that appeared. A full walk replaces the events when
 * they cannot be trusted (a watch could not be added, or so many events arrived that the kernel's queue may
 * have overflowed and dropped some). Candidates may include paths that did not really change; the caller
 * compares content.
 */
export class TreeWatcher {
  readonly index = new Map<string, EntryType>();
  private readonly watchers = new Map<string, FSWatcher>();
  private candidates = new Set<string>();
  private events = 0;
  private untrusted = false;
  private barrierWatcher?: FSWatcher;
  private barrierWaiters = new Map<string, () => void>();
  private barrierSeq = 0;
  private readonly maxEvents: number;

  constructor(
    readonly root: string,
    private readonly barrierDir: string,
  ) {
    let queued = 16384;
    try {
      queued = Number(readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8').trim()) || queued;
    } catch {
      // not Linux: events are not relied on beyond what they say
    }
    this.maxEvents = Math.floor(queued / 2);
  }

  start(): void {
    mkdirSync(this.barrierDir, { recursive: true });
    this.barrierWatcher = watch(this.barrierDir, (_e, name) => {
      const done = name ? this.barrierWaiters.get(name.toString()) : undefined;
      if (done && name) {
        this.barrierWaiters.delete(name.toString());
        done();
      }
    });
    this.index.clear();
    this.walkInto('');
  }

  stop(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.barrierWatcher?.close();
  }

  private watchDir(rel: string): void {
    if (this.watchers.has(rel)) return;
    try {
      const w = watch(join(this.root, rel), (_event, name) => {
        this.events++;
        if (this.events > this.maxEvents) this.untrusted = true;
        if (name) this.candidates.add(rel ? `${rel}/${name.toString()}` : name.toString());
        else this.untrusted = true;
      });
      w.on('error', () => {
        this.untrusted = true;
        w.close();
        this.watchers.delete(rel);
      });
      this.watchers.set(rel, w);
    } catch {
      this.untrusted = true;
    }
  }

  /** Adds `rel` (a directory, '' for the root) and everything under it to the index, watching its folders. */
  private walkInto(rel: string): string[] {
    const found: string[] = [];
    const stack = [rel];
    while (stack.length) {
      const dir = stack.pop() as string;
      this.watchDir(dir);
      let names: string[];
      try {
        names = readdirSync(join(this.root, dir));
      } catch {
        continue;
      }
      for (const name of names) {
        const r = dir ? `${dir}/${name}` : name;
        const type = entryType(join(this.root, r));
        if (!type) continue;
        this.index.set(r, type);
        found.push(r);
        if (type === 'dir') stack.push(r);
      }
    }
    return found;
  }

  /** Waits until every event caused before this call has been read (one inotify queue, in order). */
  private barrier(timeoutMs = 2000): Promise<boolean> {
    const name = `b${process.pid}-${++this.barrierSeq}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.barrierWaiters.delete(name);
        resolve(false);
      }, timeoutMs);
      this.barrierWaiters.set(name, () => {
        clearTimeout(timer);
        resolve(true);
      });
      const file = join(this.barrierDir, name);
      writeFileSync(file, '');
      unlinkSync(file);
    });
  }

  /**
   * The paths (files, links, and folders) that may have changed since the last call, as they are now in the
   * index; `removed` lists paths that are gone. Folders that appeared are walked whole.
   */
  async take(): Promise<{ changed: string[]; removed: string[]; fullScan: boolean }> {
    const settled = await this.barrier();
    const fullScan = this.untrusted || !settled;
    const candidates = this.candidates;
    this.candidates = new Set();
    this.events = 0;
    this.untrusted = false;
    if (fullScan) return this.rescan();
    const changed = new Set<string>();
    const removed = new Set<string>();
    for (const path of candidates) {
      const type = entryType(join(this.root, path));
      const before = this.index.get(path);
      if (!type) {
        if (before) this.forget(path, removed);
        continue;
      }
      if (before === 'dir' && type !== 'dir') this.forget(path, removed);
      this.index.set(path, type);
      changed.add(path);
      if (type === 'dir') for (const p of this.walkInto(path)) changed.add(p);
    }
    return { changed: [...changed].filter((p) => !removed.has(p) || this.index.has(p)), removed: [...removed].filter((p) => !this.index.has(p)), fullScan };
  }

  private forget(path: string, removed: Set<string>): void {
    const prefix = path + '/';
    for (const p of this.index.keys()) {
      if (p === path || p.startsWith(prefix)) {
        this.index.delete(p);
        removed.add(p);
        const w = this.watchers.get(p);
        w?.close();
        this.watchers.delete(p);
      }
    }
  }

  private rescan(): { changed: string[]; removed: string[]; fullScan: boolean } {
    const before = new Set(this.index.keys());
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.index.clear();
    const now = this.walkInto('');
    return { changed: now, removed: [...before].filter((p) => !this.index.has(p)), fullScan: true };
  }
}

export function entryType(path: string): EntryType | undefined {
  try {
    const s = lstatSync(path);
    return s.isSymbolicLink() ? 'symlink' : s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}
