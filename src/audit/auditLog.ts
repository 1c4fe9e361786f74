import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, truncateSync, writeFileSync, writeSync, existsSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { entryHash, GENESIS, type AuditEntry, type AuditRecord } from './record';

/**
 * Append-only, hash-chained JSON Lines. Each entry names the previous entry's hash; the chain head (last
 * seq and hash) is also kept in `<file>.head`, so cutting records off the end is detectable. Every append
 * is fsync'd before it resolves, which is what lets the broker promise "logged before it runs". Appends are
 * serialised; a crash mid-write leaves at most one partial last line, which the next open sets aside
 * (into `<file>.partial`) without touching earlier records.
 */
export class AuditLog {
  private seq = 0;
  private last = GENESIS;
  private queue: Promise<unknown> = Promise.resolve();
  readonly recovered: string[] = [];

  private constructor(readonly file: string) {}

  /** Opens (or creates) a log. Refuses a location inside `forbiddenRoot` (the sandboxed workspace). */
  static open(file: string, forbiddenRoot?: string): AuditLog {
    const abs = resolve(file);
    if (forbiddenRoot) {
      const rel = relative(resolve(forbiddenRoot), abs);
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
        throw new Error(`Airlock will not keep its audit log inside the workspace (${abs}): the sandboxed agent can write there. Choose a path outside ${forbiddenRoot}.`);
      }
    }
    mkdirSync(dirname(abs), { recursive: true, mode: 0o700 });
    const log = new AuditLog(abs);
    log.recover();
    return log;
  }

  get head(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.last };
  }

  private recover(): void {
    if (!existsSync(this.file)) return;
    const text = readFileSync(this.file, 'utf8');
    let end = text.length;
    if (text.length > 0 && !text.endsWith('\n')) {
      // A crash during the last write: keep the fragment for inspection, drop it from the log.
      end = text.lastIndexOf('\n') + 1;
      writeFileSync(this.file + '.partial', text.slice(end), { flag: 'a' });
      truncateSync(this.file, Buffer.byteLength(text.slice(0, end)));
      this.recovered.push(`a partial last record (${text.length - end} characters, from an interrupted write) was moved to ${this.file}.partial`);
    }
    const lines = text.slice(0, end).split('\n').filter(Boolean);
    const lastLine = lines.at(-1);
    if (lastLine) {
      const e = JSON.parse(lastLine) as AuditEntry;
      this.seq = e.seq;
      this.last = e.hash;
    }
  }

  append(record: AuditRecord): Promise<AuditEntry> {
    const next = this.queue.then(() => this.write(record));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private write(record: AuditRecord): AuditEntry {
    const base = { seq: this.seq + 1, ts: new Date().toISOString(), prev: this.last, type: record.type, ...(record.actionId ? { actionId: record.actionId } : {}), data: record.data };
    const entry: AuditEntry = { ...base, hash: entryHash(base) };
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(entry) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.seq = entry.seq;
    this.last = entry.hash;
    this.writeHead();
    return entry;
  }

  private writeHead(): void {
    const tmp = `${this.file}.head.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ seq: this.seq, hash: this.last, size: statSync(this.file).size }) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, `${this.file}.head`);
  }

  /** Resolves when every append so far is on disk. */
  flush(): Promise<unknown> {
    return this.queue;
  }
}
