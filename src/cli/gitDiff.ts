import { readFile } from 'node:fs/promises';
import { UsageError } from './usageError';

/**
 * The working tree's changes against a revision as one unified diff, untracked files included (as new
 * files), without touching the index. Runs git with execa; fails with git's own message when it is not a repo.
 */
export async function workingTreeDiff(workspace: string, rev: string): Promise<string> {
  const { execa } = await import('execa');
  const git = (args: string[]) => execa('git', ['-c', 'core.quotepath=off', ...args], { cwd: workspace, reject: false, stripFinalNewline: false, maxBuffer: 200_000_000 });
  const check = await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (check.exitCode !== 0) throw new UsageError(`"${rev}" is not a commit in ${workspace} (${String(check.stderr).trim() || 'git rev-parse failed'}); is this a git repository with that revision?`);
  // --no-ext-diff and --no-textconv: never let repository config run programs while Airlock reads the diff.
  const tracked = await git(['diff', '--no-ext-diff', '--no-textconv', '--no-color', '--binary', rev, '--']);
  if (tracked.exitCode !== 0) throw new UsageError(`git diff failed: ${String(tracked.stderr).trim()}`);
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z']);
  let out = String(tracked.stdout);
  for (const file of String(untracked.stdout).split('\0').filter(Boolean)) {
    const d = await git(['diff', '--no-ext-diff', '--no-textconv', '--no-color', '--binary', '--no-index', '--', '/dev/null', file]);
    out += String(d.stdout);
  }
  return out;
}

/** Reads a diff file (or stdin for "-") strictly as UTF-8; anything else is a clear error. */
export async function readDiffFile(file: string): Promise<string> {
  const bytes = file === '-' ? await readStdin() : await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${err.code ?? err.message}`);
  });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file === '-' ? 'stdin' : file} is not valid UTF-8 text; a diff of binary content should use git's binary markers`);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}
