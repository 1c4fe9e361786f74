import { posix } from 'node:path';
import type { Finding } from '../types';
import './rules';
import { addedLines, DiffParseError, parseUnifiedDiff, removedLines, type FileDiff } from './parseDiff';
import { fileFinding } from './finding';
import { isDocPath, pathRulesFor } from './pathRules';
import { addedLineFindings, codeLineFindings, type CommandJudge } from './contentRules';
import { manifestFindings } from './manifests';
import { testTamperingFindings } from './testTampering';
import { classifyPath, type PathEnvironment } from '../shared/paths';
import type { NetworkRules } from '../shared/network';

/** Largest diff Airlock reads (characters). Larger ones are not read in part and called safe. */
export const MAX_DIFF_LENGTH = 20_000_000;

export interface DiffEnvironment {
  paths: PathEnvironment;
  network: NetworkRules;
}

const LOCKFILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|Cargo\.lock|Gemfile\.lock|composer\.lock|go\.sum|Pipfile\.lock|uv\.lock)$/;

function structureFindings(file: FileDiff, env: DiffEnvironment): Finding[] {
  const out: Finding[] = [];
  if (file.binary) out.push(fileFinding('binary-change', `changes ${file.path}, a binary file`, file));
  const symlink = file.newMode === '120000' || (file.oldMode === '120000' && file.status !== 'deleted');
  if (symlink && file.status !== 'deleted') {
    const target = addedLines(file)[0]?.text;
    if (target !== undefined) {
      const dir = posix.dirname(posix.join(env.paths.workspace, file.path));
      const info = classifyPath(target, dir, env.paths);
      if (info.tags.includes('secret')) out.push(fileFinding('secret-read', `${file.path} becomes a link to ${target}, a secret file`, file, addedLines(file)[0]));
      else if (info.kind !== 'workspace' && info.kind !== 'build-output') out.push(fileFinding('symlink-outside', `${file.path} becomes a link to ${target}, outside the workspace`, file, addedLines(file)[0]));
    }
  }
  if ((file.newMode === '100755' && file.oldMode !== '100755' && file.status !== 'deleted') || (file.status === 'added' && file.newMode === '100755')) {
    out.push(fileFinding('executable-added', `makes ${file.path} executable`, file));
  }
  if (!LOCKFILE.test(file.path) && !isDocPath(file.path)) {
    const added = addedLines(file);
    const long = added.find((l) => l.text.length > 2000);
    if (/\.min\.(js|css)$|\.bundle\.js$/.test(file.path) && added.length > 0) out.push(fileFinding('generated-blob', `adds minified content to ${file.path}`, file));
    else if (long) out.push(fileFinding('generated-blob', `a ${long.text.length}-character line cannot be reviewed`, file, long));
  }
  return out;
}

function massDeletion(files: FileDiff[]): Finding[] {
  const removed = files.reduce((n, f) => n + (LOCKFILE.test(f.path) ? 0 : removedLines(f).length), 0);
  const added = files.reduce((n, f) => n + addedLines(f).length, 0);
  const deletedFiles = files.filter((f) => f.status === 'deleted' && !LOCKFILE.test(f.path));
  if ((removed >= 800 && added * 4 < removed) || deletedFiles.length >= 25) {
    const first = deletedFiles[0] ?? files.find((f) => removedLines(f).length > 0);
    return first ? [fileFinding('mass-deletion', `deletes ${removed} lines (${deletedFiles.length} files) and adds ${added}`, first)] : [];
  }
  return [];
}

/**
 * Everything Airlock notices about a proposed edit. Findings carry the file and the line (new side for
 * added lines, old side for removed ones). A diff that cannot be parsed exactly yields one parse finding.
 */
export function analyzeDiff(text: string, env: DiffEnvironment, judge: CommandJudge): { findings: Finding[]; files: FileDiff[] } {
  if (text.length > MAX_DIFF_LENGTH) return { findings: [{ rule: 'diff-too-large', message: `the diff is ${text.length} characters; Airlock reads at most ${MAX_DIFF_LENGTH}` }], files: [] };
  let files: FileDiff[];
  try {
    files = parseUnifiedDiff(text);
  } catch (err) {
    if (err instanceof DiffParseError) return { findings: [{ rule: 'diff-parse-error', message: err.message, line: err.line }], files: [] };
    throw err;
  }
  const findings: Finding[] = [];
  for (const f of files) {
    for (const rule of pathRulesFor(f.path, env.paths.protectedGlobs)) {
      findings.push(fileFinding(rule.rule, `${f.status === 'deleted' ? 'deletes' : f.status === 'added' ? 'adds' : 'changes'} ${f.path}, ${rule.what}`, f));
    }
    if (f.oldPath && f.oldPath !== f.path) for (const rule of pathRulesFor(f.oldPath, env.paths.protectedGlobs)) findings.push(fileFinding(rule.rule, `moves ${f.oldPath}, ${rule.what}`, f));
    const outside = classifyPath(f.path, env.paths.workspace, env.paths);
    if (outside.kind !== 'workspace' && outside.kind !== 'build-output') findings.push(fileFinding('write-outside-workspace', `edits ${f.path}, outside the workspace`, f));
    findings.push(...structureFindings(f, env));
    findings.push(...manifestFindings(f, judge, env.network));
    if (!isDocPath(f.path)) {
      for (const l of addedLines(f)) {
        findings.push(...addedLineFindings(f, l));
        // Test code runs too (conftest.py on every pytest run): judged the same way.
        findings.push(...codeLineFindings(f, l, judge));
      }
    } else {
      // Prose still must not smuggle invisible characters or credentials.
      for (const l of addedLines(f)) findings.push(...addedLineFindings(f, l).filter((x) => x.rule === 'deceptive-characters' || x.rule === 'secret-added'));
    }
  }
  findings.push(...testTamperingFindings(files));
  findings.push(...massDeletion(files));
  return { findings, files };
}
