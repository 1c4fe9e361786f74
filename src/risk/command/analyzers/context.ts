import type { Finding, Span } from '../../types';
import type { CommandRuleId } from '../../rules';
import type { DiffRuleId } from '../../diff/rules';
import type { ParsedScript, SimpleCommand, Word } from '../model';
import { classifyPath, looksLikePath, type PathEnvironment, type PathInfo } from '../../shared/paths';
import { classifyHost, type Destination, type NetworkRules } from '../../shared/network';

/** What every analyzer may consult. Built from policy by the caller; analyzers never read files or env. */
export interface AnalyzerContext {
  text: string;
  script: ParsedScript;
  paths: PathEnvironment;
  network: NetworkRules;
}

export interface CommandAnalyzer {
  /** Program names this analyzer owns (base names, e.g. `git`, `python3`). */
  readonly names: readonly string[];
  analyze(cmd: SimpleCommand, ctx: AnalyzerContext): Finding[];
}

export function finding(rule: CommandRuleId | DiffRuleId, message: string, cmd: SimpleCommand | undefined, span?: Span): Finding {
  return {
    rule,
    message,
    ...(span ? { span } : cmd ? { span: cmd.span } : {}),
    ...(cmd ? { commandIndex: cmd.index } : {}),
  };
}

export function args(cmd: SimpleCommand): Word[] {
  return cmd.argv.slice(1);
}

export function pathOf(word: Word, cmd: SimpleCommand, ctx: AnalyzerContext): PathInfo {
  return classifyPath(word.value, cmd.cwd, ctx.paths);
}

export function hostKind(host: string, ctx: AnalyzerContext): Destination {
  return classifyHost(host, ctx.network);
}

/** True if a short flag letter appears in any cluster (`-rf` has r and f) or a long form is present. */
export function hasFlag(words: Word[], short: string | null, ...long: string[]): boolean {
  for (const w of words) {
    const v = w.value;
    if (v === '--') return false;
    if (long.some((l) => v === l || v.startsWith(l + '='))) return true;
    if (short && /^-[A-Za-z0-9]+$/.test(v) && v.includes(short)) return true;
  }
  return false;
}

/** Non-option arguments, skipping the values of options that take one. */
export function positionals(words: Word[], withValue: readonly string[] = []): Word[] {
  const out: Word[] = [];
  let afterDashes = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w) continue;
    if (afterDashes) {
      out.push(w);
      continue;
    }
    if (w.value === '--') {
      afterDashes = true;
      continue;
    }
    if (w.value.startsWith('-') && w.value !== '-') {
      if (withValue.includes(w.value)) i++;
      continue;
    }
    out.push(w);
  }
  return out;
}

/** Value of an option given as `-o X`, `-oX`, `--out X` or `--out=X`. */
export function optionValues(words: Word[], short: string | null, ...long: string[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w) continue;
    const v = w.value;
    if (v === '--') break;
    for (const l of long) {
      if (v === l && words[i + 1]) out.push(words[i + 1] as Word);
      else if (v.startsWith(l + '=')) out.push({ ...w, value: v.slice(l.length + 1) });
    }
    if (short) {
      if (v === short && words[i + 1]) out.push(words[i + 1] as Word);
      else if (v.startsWith(short) && !v.startsWith('--') && v.length > short.length && short.length === 2) out.push({ ...w, value: v.slice(2) });
    }
  }
  return out;
}

export type AccessMode = 'read' | 'write' | 'delete';

/**
 * Findings for one path the command touches. Reads of ordinary places are silent; the message names the
 * path as written so a person sees what the command says, not Airlock's resolution of it.
 */
export function pathFindings(word: Word, mode: AccessMode, cmd: SimpleCommand, ctx: AnalyzerContext, opts: { recursive?: boolean } = {}): Finding[] {
  const info = pathOf(word, cmd, ctx);
  const shown = word.text;
  const out: Finding[] = [];
  const tags = new Set(info.tags);
  if (tags.has('airlock') && mode !== 'read') return [finding('policy-tamper', `${verb(mode)} ${shown}, part of Airlock's own policy or log`, cmd, word.span)];
  if (/\/(docker|containerd|podman|crio|dockershim)\.sock$|\/run\/(docker|containerd)\//.test(info.resolved)) {
    return [finding('sandbox-escape', `${verb(mode)} ${shown}, the container engine's socket`, cmd, word.span)];
  }
  if (tags.has('secret')) {
    if (mode === 'read') return [finding('secret-read', `reads ${shown}, a secret or credential file`, cmd, word.span)];
    const inWorkspace = info.kind === 'workspace' || info.kind === 'build-output';
    out.push(finding(inWorkspace && mode === 'write' && !/(^|\/)(id_[a-z0-9]+|[^/]*\.(pem|key|p12|pfx|jks|keystore|kdbx))$/.test(info.resolved) ? 'write-env-file' : 'write-secret', `${verb(mode)} ${shown}, a secret or credential file`, cmd, word.span));
    if (inWorkspace && mode === 'write') return out;
  }
  if (mode === 'read') {
    if (tags.has('recon')) out.push(finding('system-recon', `reads ${shown}, which lists accounts, hosts or processes`, cmd, word.span));
    if (info.kind === 'outside') out.push(finding('read-outside-workspace', `reads ${shown}, outside the workspace`, cmd, word.span));
    else if (info.kind === 'home' && !looksHarmlessHomeRead(info.resolved)) out.push(finding('read-home', `reads ${shown} in the home directory`, cmd, word.span));
    else if (info.kind === 'network-device') out.push(finding('reverse-shell', `opens a network connection through ${shown}`, cmd, word.span));
    return out;
  }
  if (tags.has('persistence')) out.push(finding('persistence', `${verb(mode)} ${shown}, which runs automatically later`, cmd, word.span));
  if (tags.has('protected') || tags.has('git-internal')) out.push(finding('write-protected', `${verb(mode)} ${shown}, which configures what runs automatically`, cmd, word.span));
  if (tags.has('proc') && mode === 'write') out.push(finding('sandbox-escape', `writes to ${shown} in /proc`, cmd, word.span));
  if (mode === 'delete') {
    out.push(...deleteFindings(info, shown, cmd, word, opts.recursive ?? false));
    return out;
  }
  switch (info.kind) {
    case 'workspace':
    case 'build-output':
      if (out.length === 0) out.push(finding('write-workspace', `writes ${shown}`, cmd, word.span));
      break;
    case 'temp':
      out.push(finding('write-temp', `writes ${shown} (temporary)`, cmd, word.span));
      break;
    case 'null-device':
      break;
    case 'network-device':
      out.push(finding('reverse-shell', `sends output over the network through ${shown}`, cmd, word.span));
      break;
    case 'device':
      out.push(finding('write-device', `writes to the device ${shown}`, cmd, word.span));
      break;
    case 'system':
      if (out.length > 0) break;
      if (/^\/var\/log(\/|$)/.test(info.resolved)) out.push(finding('log-tamper', `writes ${shown}, a system log`, cmd, word.span));
      else if (/^\/(etc|boot|var\/spool|var\/mail|private\/etc)(\/|$)/.test(info.resolved)) out.push(finding('write-system-config', `writes ${shown}, system configuration`, cmd, word.span));
      else out.push(finding('write-system', `writes ${shown}, a system location`, cmd, word.span));
      break;
    case 'home':
    case 'outside':
      if (out.length === 0) out.push(finding('write-outside-workspace', `writes ${shown}, outside the workspace`, cmd, word.span));
      break;
    case 'unknown':
      out.push(finding('write-unknown', `writes ${shown}, a path known only at run time`, cmd, word.span));
      break;
  }
  return out;
}

function deleteFindings(info: PathInfo, shown: string, cmd: SimpleCommand, word: Word, recursive: boolean): Finding[] {
  const r = info.resolved;
  if (r === '/' || r === '~' || info.kind === 'system' && r.split('/').length <= 3) {
    return [finding('delete-system', `deletes ${shown}`, cmd, word.span)];
  }
  switch (info.kind) {
    case 'workspace':
      if (info.relative === '.' || /^\*|^\.\/?\*/.test(word.value)) return [finding('delete-workspace-root', `deletes ${shown}: the whole workspace`, cmd, word.span)];
      return [recursive ? finding('delete-workspace-tree', `deletes ${shown} and everything under it`, cmd, word.span) : finding('delete-workspace-file', `deletes ${shown}`, cmd, word.span)];
    case 'build-output':
      return [finding('delete-build-output', `deletes ${shown} (build output or cache)`, cmd, word.span)];
    case 'temp':
      return [finding('delete-temp', `deletes ${shown} (temporary)`, cmd, word.span)];
    case 'null-device':
      return [];
    case 'unknown':
      return [finding('delete-unknown', `deletes ${shown}, a path known only at run time`, cmd, word.span)];
    case 'system':
      return [finding(r.startsWith('/var/log') ? 'log-tamper' : 'delete-system', `deletes ${shown}, a system location`, cmd, word.span)];
    default:
      return [finding('delete-outside', `deletes ${shown}, outside the workspace`, cmd, word.span)];
  }
}

function verb(mode: AccessMode): string {
  return mode === 'delete' ? 'deletes' : mode === 'write' ? 'writes' : 'reads';
}

/** Tool caches and package sources agents read while debugging: reading them is routine. */
function looksHarmlessHomeRead(resolved: string): boolean {
  return /^~\/(\.local\/lib|\.cache|\.npm\/_cacache|\.cargo\/registry|\.rustup|\.pyenv|\.nvm|go\/pkg|\.m2\/repository|\.gradle\/caches|miniconda3?|anaconda3|\.conda)(\/|$)/.test(resolved);
}

export function pathArgs(words: Word[]): Word[] {
  return words.filter((w) => looksLikePath(w.value) || w.dynamic);
}
