import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { applyPatch, parsePatch } from 'diff';

/** A path an agent named, resolved inside the workspace, or an error: no `..`, no absolute paths elsewhere, no symlinks out. */
export function insideWorkspace(workspace: string, path: string): string {
  const root = realpathSync(workspace);
  const target = isAbsolute(path) ? resolve(path) : resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${path} is outside the workspace`);
  // The deepest existing ancestor must resolve inside too, so a symlinked folder cannot lead out.
  let probe = target;
  while (!existsSync(probe)) probe = dirname(probe);
  const realProbe = realpathSync(probe);
  if (realProbe !== root && !realProbe.startsWith(root + sep)) throw new Error(`${path} leads outside the workspace through a symbolic link`);
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) throw new Error(`${path} is a symbolic link; Airlock writes files, not through links`);
  return target;
}

/** Applies an approved unified diff to the workspace, all files or none. */
export function applyDiffToWorkspace(workspace: string, diff: string): string[] {
  const patches = parsePatch(diff);
  const writes: { target: string; content: string | undefined }[] = [];
  for (const p of patches) {
    const strip = (n?: string) => (n && n !== '/dev/null' ? n.replace(/^[ab]\//, '') : undefined);
    const oldPath = strip(p.oldFileName);
    const newPath = strip(p.newFileName);
    const path = newPath ?? oldPath;
    if (!path) continue;
    const target = insideWorkspace(workspace, path);
    const before = oldPath ? readFileSync(insideWorkspace(workspace, oldPath), 'utf8') : '';
    if (!newPath) {
      writes.push({ target, content: undefined });
      continue;
    }
    const after = applyPatch(before, p);
    if (after === false) throw new Error(`the diff does not apply to ${path}: the file changed since the diff was made`);
    writes.push({ target, content: after });
    if (oldPath && oldPath !== newPath) writes.push({ target: insideWorkspace(workspace, oldPath), content: undefined });
  }
  for (const w of writes) {
    if (w.content === undefined) {
      if (existsSync(w.target)) unlinkSync(w.target);
    } else {
      mkdirSync(dirname(w.target), { recursive: true });
      writeFileSync(w.target, w.content);
    }
  }
  return writes.map((w) => relative(workspace, w.target).split(sep).join('/'));
}

export function writeWorkspaceFile(workspace: string, path: string, content: string): string {
  const target = insideWorkspace(workspace, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  return relative(workspace, target);
}

export function readWorkspaceText(workspace: string, path: string): string | undefined {
  try {
    return readFileSync(insideWorkspace(workspace, path), 'utf8');
  } catch {
    return undefined;
  }
}

const MAX_READ_BYTES = 512 * 1024;

/**
 * A file's text for an agent's read tool. The real path must stay inside the workspace (a symbolic link may
 * point elsewhere in it, never out); binary or non-UTF-8 content is described, not returned; big files are cut.
 */
export function readWorkspaceFileForAgent(workspace: string, path: string): string {
  const root = realpathSync(workspace);
  const target = isAbsolute(path) ? resolve(path) : resolve(root, path);
  if (!existsSync(target)) throw new Error(`${path} does not exist in the workspace`);
  const real = realpathSync(target);
  if (real !== root && !real.startsWith(root + sep)) throw new Error(`${path} is outside the workspace${real !== target ? ' (through a symbolic link)' : ''}`);
  const stat = lstatSync(real);
  if (stat.isDirectory()) {
    return readdirSync(real, { withFileTypes: true })
      .map((d) => (d.isDirectory() ? `${d.name}/` : d.name))
      .sort()
      .join('\n');
  }
  if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
  const bytes = readFileSync(real);
  const head = bytes.subarray(0, MAX_READ_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    // A cut in the middle of a character is not binary; anything else is.
    if (bytes.length <= MAX_READ_BYTES || head.includes(0)) return `${path}: binary or not UTF-8 text (${bytes.length} bytes); not shown`;
    text = new TextDecoder('utf-8').decode(head);
  }
  if (text.includes('\u0000')) return `${path}: binary (${bytes.length} bytes); not shown`;
  return bytes.length > MAX_READ_BYTES ? `${text}\n[airlock] ${path} is ${bytes.length} bytes; only the first ${MAX_READ_BYTES} are shown` : text;
}

export { join };
