import { proposedDiff } from '../approvals/wholeFileDiff';
import type { ReviewItem } from '../broker/ports';
import { parseUnifiedDiff, DiffParseError, type FileDiff } from '../risk/diff/parseDiff';
import { classifyHost, type NetworkRules } from '../risk/shared/network';
import type { Reason } from '../risk/types';
import type { PendingReview } from './pendingReviews';
import { revealSegments } from './revealSegments';
import { titleOf } from './actionTitle';

export { titleOf };
import type { ActionView, DiffFileView, ReviewViewModel } from './webviewProtocol';

const MAX_FILES = 50;
const MAX_LINES_PER_FILE = 400;
const MAX_LINE_CHARS = 2000;

export interface RecentDecision {
  title: string;
  decision: string;
  outcome: string;
  by?: string;
  at: number;
  level: string;
  score: number;
}

export interface ModelInputs {
  pending: PendingReview[];
  recent: RecentDecision[];
  trusted: boolean;
  sandbox: { state: string; detail: string };
  network: NetworkRules;
  readFile(path: string): string | undefined;
}

const reasonView = (r: Reason) => ({ rule: r.rule, message: r.message, level: r.level, ...(r.file ? { file: r.file } : {}), ...(r.line !== undefined ? { line: r.line } : {}) });

/** Prefix assignments and exports: what the command changes in its environment, shown on their own line. */
function envChanges(command: string): string[] {
  const out: string[] = [];
  const prefix = /^\s*((?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S*)\s+)+)/.exec(command);
  if (prefix?.[1]) out.push(...prefix[1].trim().split(/\s+(?=[A-Za-z_][A-Za-z0-9_]*=)/));
  for (const m of command.matchAll(/(?:^|[;&|]\s*)export\s+([A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S*))/g)) if (m[1]) out.push(m[1]);
  return out;
}

/** What containment allows this command, in plain words, with the hosts it names judged against the allowlist. */
function sandboxLines(command: string, network: NetworkRules, sandbox: { state: string; detail: string }): string[] {
  const lines = [`Runs in the sandbox (${sandbox.state === 'ready' ? sandbox.detail : sandbox.state === 'stopped' ? 'started on first use' : sandbox.state}) on a staged copy: the files it changes come back as a diff, judged before they reach the workspace.`];
  const allow = network.allow.slice(0, 6).join(', ');
  lines.push(`Network only through Airlock's proxy: ${allow}${network.allow.length > 6 ? `, … (${network.allow.length} allowed)` : ''}; any other host becomes a network review.`);
  const hosts = new Set<string>();
  for (const m of command.matchAll(/\b(?:https?|ftp|git|ssh|wss?):\/\/(?:[^@/\s]+@)?([^/:\s'"]+)/gi)) if (m[1]) hosts.add(m[1]);
  for (const m of command.matchAll(/\b(?:[a-z0-9-]+@)?((?:[a-z0-9-]+\.)+[a-z]{2,}):[\w./-]/gi)) if (m[1]) hosts.add(m[1]);
  for (const h of hosts) {
    const d = classifyHost(h, network);
    const verdict = { allowlisted: 'allowed', unlisted: 'not on the allowlist: a network review', denied: 'denied by policy', metadata: 'cloud metadata: refused', local: "the sandbox's own loopback only", 'ip-literal': 'IP address: refused', unknown: 'cannot be judged: refused' }[d.kind];
    lines.push(`Names ${d.host}: ${verdict}.`);
  }
  return lines;
}

function fileView(f: FileDiff, reasons: Reason[], canOpen: boolean): DiffFileView {
  const mine = reasons.filter((r) => r.file === f.path || r.file === f.oldPath);
  const atLine = (side: 'old' | 'new', n: number | undefined) => (n === undefined ? [] : mine.filter((r) => r.line === n && (r.side ?? 'new') === side).map(reasonView));
  const lines: DiffFileView['lines'] = [];
  for (const h of f.hunks) {
    lines.push({ kind: 'hunk', segments: [{ text: h.header.slice(0, MAX_LINE_CHARS) }], findings: [] });
    for (const l of h.lines) {
      if (lines.length >= MAX_LINES_PER_FILE) break;
      const findings = l.kind === 'del' ? atLine('old', l.oldLine) : atLine('new', l.newLine);
      lines.push({ kind: l.kind, ...(l.oldLine !== undefined ? { oldLine: l.oldLine } : {}), ...(l.newLine !== undefined ? { newLine: l.newLine } : {}), segments: revealSegments(l.text.slice(0, MAX_LINE_CHARS)), findings });
    }
  }
  const total = f.hunks.reduce((n, h) => n + h.lines.length + 1, 0);
  if (total > lines.length) lines.push({ kind: 'note', segments: [{ text: `… ${total - lines.length} more lines: open the diff editor to see them all` }], findings: [] });
  if (f.binary) lines.push({ kind: 'note', segments: [{ text: 'Binary file: its content is not shown' }], findings: [] });
  return { path: f.path, status: f.status, binary: f.binary, lines, findings: mine.filter((r) => r.line === undefined).map(reasonView), canOpen: canOpen && !f.binary };
}

function filesOf(diff: string, reasons: Reason[]): { files: DiffFileView[]; error?: string } {
  try {
    const parsed = parseUnifiedDiff(diff);
    const files = parsed.slice(0, MAX_FILES).map((f) => fileView(f, reasons, true));
    if (parsed.length > MAX_FILES) files.push({ path: `… ${parsed.length - MAX_FILES} more files`, status: 'note', binary: false, lines: [], findings: [], canOpen: false });
    return { files };
  } catch (err) {
    return { files: [], error: err instanceof DiffParseError ? err.message : String(err) };
  }
}

export function actionView(item: ReviewItem, i: ModelInputs): ActionView {
  const a = item.assessment;
  const base: ActionView = { id: item.id, kind: item.action.kind, title: titleOf(item.action), level: a.level, score: a.score, decision: a.decision, reasons: a.reasons.map(reasonView), ...(item.agent ? { agent: item.agent } : {}), ...(item.connector ? { connector: item.connector } : {}) };
  const act = item.action;
  if (act.kind === 'command') {
    const spans = a.reasons.filter((r) => r.span).map((r) => ({ start: r.span?.[0] ?? 0, end: r.span?.[1] ?? 0, rule: r.rule }));
    base.command = { segments: revealSegments(act.command, spans), cwd: act.cwd ?? '.', env: envChanges(act.command), sandbox: sandboxLines(act.command, i.network, i.sandbox) };
  }
  const diff = proposedDiff(act, i.readFile);
  if (diff !== undefined) {
    const { files, error } = filesOf(diff, a.reasons);
    base.files = files;
    if (error) base.reasons = [...base.reasons, { rule: 'diff-parse-error', message: error, level: 'high' }];
  }
  return base;
}

/** The panel's whole state, rebuilt on every change (a handful of reviews; rendering is the webview's job). */
export function buildViewModel(i: ModelInputs): ReviewViewModel {
  return {
    trusted: i.trusted,
    sandbox: i.sandbox,
    reviews: i.pending.map((p) => {
      const r = p.request;
      if (r.kind === 'ask') return { id: p.id, kind: 'ask' as const, title: titleOf(r.item.action), groups: [], items: [actionView(r.item, i)], waitingSince: p.createdAt };
      return { id: p.id, kind: 'batch' as const, title: `${r.items.length} action${r.items.length === 1 ? '' : 's'} for one review`, groups: r.groups.map((g) => ({ title: g.title, count: g.itemIds.length })), items: r.items.map((it) => actionView(it, i)), waitingSince: p.createdAt };
    }),
    recent: i.recent.slice(0, 30),
  };
}
