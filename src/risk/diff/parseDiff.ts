/**
 * An exact parser for unified diffs as git writes them (`git diff`, `git show`, `git format-patch`) and as
 * plain `diff -u` writes them: new and deleted files, renames and copies, mode changes, symlinks, binary
 * markers and `\ No newline at end of file`. Hunk line counts are checked, so a diff that lies about its
 * size is an error naming the line, never a silently shorter diff.
 */

export type DiffLineKind = 'add' | 'del' | 'ctx';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** 1-based line numbers in the old/new file (old for del and ctx, new for add and ctx). */
  oldLine?: number;
  newLine?: number;
  /** 1-based line in the diff text itself. */
  diffLine: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  header: string;
  lines: DiffLine[];
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface FileDiff {
  oldPath: string | undefined;
  newPath: string | undefined;
  /** The path to report: the new path, or the old one for deletions. */
  path: string;
  status: FileStatus;
  oldMode?: string;
  newMode?: string;
  binary: boolean;
  hunks: Hunk[];
  /** 1-based line of the file's header in the diff. */
  headerLine: number;
}

export class DiffParseError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`diff line ${line}: ${message}`);
    this.name = 'DiffParseError';
  }
}

function stripPrefix(p: string): string | undefined {
  const raw = unquote(p.replace(/\t.*$/, '').trim());
  if (raw === '/dev/null') return undefined;
  return raw.replace(/^[ab]\//, '');
}

/** git quotes paths with unusual characters: "a/caf\303\251.txt". */
function unquote(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

export function parseUnifiedDiff(text: string): FileDiff[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const files: FileDiff[] = [];
  let current: FileDiff | undefined;
  let i = 0;

  const startFile = (headerLine: number, oldPath?: string, newPath?: string): FileDiff => {
    const f: FileDiff = { oldPath, newPath, path: newPath ?? oldPath ?? '', status: 'modified', binary: false, hunks: [], headerLine };
    files.push(f);
    return f;
  };

  while (i < lines.length) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    const n = i + 1;
    if (line.startsWith('diff --git ')) {
      const m = /^diff --git (?:"?a\/)(.+?)"? (?:"?b\/)(.+?)"?$/.exec(line) ?? /^diff --git (\S+) (\S+)$/.exec(line);
      current = startFile(n, m?.[1] ? stripPrefix('a/' + m[1]) : undefined, m?.[2] ? stripPrefix('b/' + m[2]) : undefined);
      i++;
      // Extended headers, up to the first hunk or the next file.
      while (i < lines.length) {
        const h = (lines[i] ?? '').replace(/\r$/, '');
        let m2: RegExpExecArray | null;
        if ((m2 = /^old mode (\d+)/.exec(h))) current.oldMode = m2[1];
        else if ((m2 = /^new mode (\d+)/.exec(h))) current.newMode = m2[1];
        else if ((m2 = /^deleted file mode (\d+)/.exec(h))) {
          current.status = 'deleted';
          current.oldMode = m2[1];
        } else if ((m2 = /^new file mode (\d+)/.exec(h))) {
          current.status = 'added';
          current.newMode = m2[1];
        } else if ((m2 = /^rename from (.+)/.exec(h))) {
          current.status = 'renamed';
          current.oldPath = unquote(m2[1] ?? '');
        } else if ((m2 = /^rename to (.+)/.exec(h))) current.newPath = unquote(m2[1] ?? '');
        else if ((m2 = /^copy from (.+)/.exec(h))) {
          current.status = 'copied';
          current.oldPath = unquote(m2[1] ?? '');
        } else if ((m2 = /^copy to (.+)/.exec(h))) current.newPath = unquote(m2[1] ?? '');
        else if (/^(similarity|dissimilarity) index /.test(h)) {
          /* informational */
        } else if ((m2 = /^index [0-9a-f]+\.\.[0-9a-f]+(?: (\d+))?/.exec(h))) {
          if (m2[1]) {
            current.oldMode ??= m2[1];
            current.newMode ??= m2[1];
          }
        } else if (/^Binary files .* differ$/.test(h) || h === 'GIT binary patch') {
          current.binary = true;
          if (h === 'GIT binary patch') {
            i++;
            while (i < lines.length && !(lines[i] ?? '').startsWith('diff --git ')) i++;
            i--;
          }
        } else if (h.startsWith('--- ')) {
          const next = (lines[i + 1] ?? '').replace(/\r$/, '');
          if (!next.startsWith('+++ ')) throw new DiffParseError(i + 2, `expected "+++ " after "--- ", found ${JSON.stringify(next.slice(0, 40))}`);
          const oldP = stripPrefix(h.slice(4));
          const newP = stripPrefix(next.slice(4));
          if (oldP === undefined && current.status === 'modified') current.status = 'added';
          if (newP === undefined && current.status === 'modified') current.status = 'deleted';
          current.oldPath = oldP ?? (current.status === 'added' ? undefined : current.oldPath);
          current.newPath = newP ?? (current.status === 'deleted' ? undefined : current.newPath);
          i += 2;
          break;
        } else break;
        i++;
      }
      current.path = current.newPath ?? current.oldPath ?? current.path;
      continue;
    }
    if (line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ') && (!current || current.hunks.length > 0 || !files.includes(current))) {
      // A plain unified diff (no git header).
      const oldP = stripPrefix(line.slice(4));
      const newP = stripPrefix((lines[i + 1] ?? '').slice(4));
      current = startFile(n, oldP, newP);
      current.status = oldP === undefined ? 'added' : newP === undefined ? 'deleted' : 'modified';
      i += 2;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      if (!current) throw new DiffParseError(n, 'a hunk (@@) before any file header (diff --git or ---/+++)');
      i = parseHunk(lines, i, current, hunk);
      continue;
    }
    if (current && current.hunks.length > 0 && line !== '' && !/^(From |commit |Author:|Date:|Subject:|---$|-- $|\d+\.\d+)/.test(line)) {
      throw new DiffParseError(n, `unexpected line after a hunk: ${JSON.stringify(line.slice(0, 60))} (hunk counts and content disagree)`);
    }
    // Preamble (commit message, email headers) before the first file, or separators between files.
    i++;
  }
  if (files.length === 0 && text.trim() !== '') throw new DiffParseError(1, 'no file headers found: this is not a unified diff (expected "diff --git" or "---"/"+++" lines)');
  return files;
}

function parseHunk(lines: string[], start: number, file: FileDiff, m: RegExpExecArray): number {
  const h: Hunk = {
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    header: m[5]?.trim() ?? '',
    lines: [],
  };
  file.hunks.push(h);
  let oldLine = h.oldStart;
  let newLine = h.newStart;
  let oldLeft = h.oldLines;
  let newLeft = h.newLines;
  let i = start + 1;
  while (oldLeft > 0 || newLeft > 0) {
    if (i >= lines.length) throw new DiffParseError(i, `hunk starting at line ${start + 1} ends early: ${oldLeft} old and ${newLeft} new lines missing`);
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    const tag = raw[0];
    const text = raw.slice(1);
    if (raw.startsWith('\\')) {
      i++;
      continue;
    }
    if (tag === '+') {
      if (newLeft <= 0) throw new DiffParseError(i + 1, 'more added lines than the hunk header says');
      h.lines.push({ kind: 'add', text, newLine: newLine++, diffLine: i + 1 });
      newLeft--;
    } else if (tag === '-') {
      if (oldLeft <= 0) throw new DiffParseError(i + 1, 'more removed lines than the hunk header says');
      h.lines.push({ kind: 'del', text, oldLine: oldLine++, diffLine: i + 1 });
      oldLeft--;
    } else if (tag === ' ' || raw === '') {
      if (oldLeft <= 0 || newLeft <= 0) throw new DiffParseError(i + 1, 'more context lines than the hunk header says');
      h.lines.push({ kind: 'ctx', text, oldLine: oldLine++, newLine: newLine++, diffLine: i + 1 });
      oldLeft--;
      newLeft--;
    } else {
      throw new DiffParseError(i + 1, `expected a line starting with " ", "+", "-" or "\\" inside the hunk, found ${JSON.stringify(raw.slice(0, 40))}`);
    }
    i++;
  }
  while (i < lines.length && (lines[i] ?? '').startsWith('\\')) i++;
  return i;
}

export function addedLines(f: FileDiff): DiffLine[] {
  return f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add'));
}

export function removedLines(f: FileDiff): DiffLine[] {
  return f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'del'));
}
