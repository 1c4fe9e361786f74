import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Assessor } from '../../assessor';
import { contentHash, type Action } from '../../approvals/action';
import { wholeFileDiff } from '../../approvals/wholeFileDiff';
import { shellQuote as quote } from '../../risk/shared/shellQuote';
import type { Assessment } from '../../risk/types';
import { bashInput, editInput, multiEditInput, notebookEditInput, readInput, searchInput, webFetchInput, writeInput, type HookDecision, type PreToolUse } from './claudeCodeEvent';

export interface HookDeps {
  assessor: Assessor;
  workspace: string;
  /** The words that start `airlock exec` (node + the CLI), shell-quoted when joined. */
  execPrefix: string[];
  /** Records a person's approval in Claude Code's prompt for the exact command; returns the grant id. */
  issueGrant(hash: string): string;
  readFile?(abs: string): string | undefined;
}

/** What the hook decided, for the answer and the audit log. */
export interface HookVerdict {
  decision: HookDecision;
  action?: Action;
  assessment?: Assessment;
}

/** Tools with no effect outside Claude Code itself: plans, todo lists, reading a background shell's output. */
const INERT = new Set(['TodoWrite', 'ExitPlanMode', 'BashOutput', 'KillShell', 'KillBash', 'Task', 'Agent', 'SlashCommand', 'Skill', 'ListMcpResourcesTool']);
const OWN_MCP = /^mcp__airlock__/;

function out(permissionDecision: 'allow' | 'deny' | 'ask', reason: string, updatedInput?: Record<string, unknown>): HookDecision {
  return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision, permissionDecisionReason: reason, ...(updatedInput ? { updatedInput } : {}) } };
}

function why(a: Assessment): string {
  const top = a.reasons
    .filter((r) => a.decision === 'auto' || r.level !== 'low')
    .slice(0, 3)
    .map((r) => `${r.rule}: ${r.message}`);
  return `Airlock: ${a.decision} (${a.level} risk, score ${a.score})${top.length ? ` — ${top.join('; ')}` : ''}`;
}

/** A workspace-relative path, or undefined when the path is outside the workspace. */
function inside(workspace: string, path: string, cwd: string): string | undefined {
  const abs = isAbsolute(path) ? resolve(path) : resolve(cwd, path);
  const rel = relative(workspace, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}

function replaceAll(text: string, edits: { old_string: string; new_string: string; replace_all?: boolean | undefined }[]): string | undefined {
  let now = text;
  for (const e of edits) {
    if (!now.includes(e.old_string)) return undefined;
    now = e.replace_all ? now.split(e.old_string).join(e.new_string) : now.replace(e.old_string, () => e.new_string);
  }
  return now;
}

/**
 * Decides one PreToolUse event with Airlock's assessment and policy. Commands are rewritten to run through
 * `airlock exec` (so they run contained and are logged) — Claude Code's own Bash would run them on the host.
 * Refused actions are denied with a reason Claude can act on; actions that need a person are asked in Claude
 * Code's prompt, with Airlock's reasons, and carry a single-use grant so the contained run needs no second prompt.
 */
export function decideClaudeCodeEvent(e: PreToolUse, d: HookDeps): HookVerdict {
  const cwd = e.cwd && isAbsolute(e.cwd) ? e.cwd : d.workspace;
  const read = d.readFile ?? ((p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  });
  const tool = e.tool_name;
  const bad = (msg: string): HookVerdict => ({ decision: out('deny', `Airlock could not read this ${tool} call (${msg}), so it is refused. Send the documented input.`) });

  if (tool === 'Bash') {
    const p = bashInput.safeParse(e.tool_input);
    if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
    const command = p.data.command;
    // Grants are written by this hook only; a command that presents one itself is trying to skip the person.
    if (/--grant\b/.test(command) && /airlock|cli\.js/.test(command)) return { decision: out('deny', 'Airlock: a command may not carry an approval grant of its own; run the command itself and Airlock will ask.') };
    const rel = inside(d.workspace, cwd, d.workspace);
    const action: Action = { kind: 'command', command, ...(rel ? { cwd: rel } : {}) };
    const a = d.assessor.assessCommand(command, { context: 'sandbox', ...(rel ? { cwd: rel } : {}) });
    if (a.decision === 'deny') return { decision: out('deny', `${why(a)}. Refused by policy: do not retry it in another form; choose a different approach or ask the user.`), action, assessment: a };
    // Claude Code's own sandbox switch means nothing here: the command runs in Airlock's sandbox either way.
    const { dangerouslyDisableSandbox: _off, ...kept } = p.data;
    const words = [...d.execPrefix, 'exec', '--workspace', d.workspace, ...(rel ? ['--cwd', rel] : [])];
    if (a.decision === 'auto') {
      return { decision: out('allow', `${why(a)}; runs in Airlock's sandbox`, { ...kept, command: [...words, '--', command].map(quote).join(' ') }), action, assessment: a };
    }
    const grant = d.issueGrant(contentHash(action));
    return { decision: out('ask', `${why(a)}. If you approve, it runs in Airlock's sandbox (the command shown is Airlock's wrapper around the original).`, { ...kept, command: [...words, '--grant', grant, '--', command].map(quote).join(' ') }), action, assessment: a };
  }

  if (tool === 'Write' || tool === 'Edit' || tool === 'MultiEdit' || tool === 'NotebookEdit') {
    let path: string;
    let content: string | undefined;
    if (tool === 'Write') {
      const p = writeInput.safeParse(e.tool_input);
      if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
      path = p.data.file_path;
      content = p.data.content;
    } else if (tool === 'NotebookEdit') {
      const p = notebookEditInput.safeParse(e.tool_input);
      if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
      path = p.data.notebook_path;
      content = undefined;
    } else {
      type OneEdit = { old_string: string; new_string: string; replace_all?: boolean | undefined };
      let edits: OneEdit[];
      if (tool === 'Edit') {
        const p = editInput.safeParse(e.tool_input);
        if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
        path = p.data.file_path;
        edits = [p.data];
      } else {
        const p = multiEditInput.safeParse(e.tool_input);
        if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
        path = p.data.file_path;
        edits = p.data.edits;
      }
      const before = read(isAbsolute(path) ? path : resolve(cwd, path));
      // An edit that does not apply fails in Claude Code; judge what it would write if it did (the new text alone).
      content = before === undefined ? edits.map((x) => x.new_string).join('\n') : (replaceAll(before, edits) ?? before + '\n' + edits.map((x) => x.new_string).join('\n'));
    }
    const rel = inside(d.workspace, path, cwd);
    const abs = isAbsolute(path) ? path : resolve(cwd, path);
    let a: Assessment;
    let action: Action;
    if (rel && content !== undefined) {
      action = { kind: 'write', path: rel, content };
      a = d.assessor.assessDiff(wholeFileDiff(rel, content, read(abs)), { context: 'sandbox' });
    } else {
      // Outside the workspace (or a notebook cell): judged as the shell write it is, by path.
      action = { kind: 'command', command: `true > ${quote(abs)}` };
      a = d.assessor.assessCommand(action.command, { context: 'sandbox' });
    }
    if (a.decision === 'deny') return { decision: out('deny', `${why(a)}. Refused by policy.`), action, assessment: a };
    if (a.decision === 'auto') return { decision: out('allow', why(a)), action, assessment: a };
    return { decision: out('ask', why(a)), action, assessment: a };
  }

  if (tool === 'Read' || tool === 'Grep' || tool === 'Glob' || tool === 'LS') {
    const p = tool === 'Read' ? readInput.safeParse(e.tool_input) : searchInput.safeParse(e.tool_input);
    if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
    const path = 'file_path' in p.data ? String(p.data.file_path) : typeof p.data.path === 'string' ? p.data.path : cwd;
    const abs = isAbsolute(path) ? path : resolve(cwd, path);
    const action: Action = { kind: 'read', path: inside(d.workspace, abs, cwd) ?? abs };
    const a = d.assessor.assessRead(abs, { context: 'sandbox' });
    if (a.decision === 'deny') return { decision: out('deny', `${why(a)}. Refused by policy.`), action, assessment: a };
    return { decision: out(a.decision === 'auto' ? 'allow' : 'ask', why(a)), action, assessment: a };
  }

  if (tool === 'WebFetch') {
    const p = webFetchInput.safeParse(e.tool_input);
    if (!p.success) return bad(p.error.issues[0]?.message ?? 'invalid');
    let host: string;
    try {
      host = new URL(p.data.url).hostname;
    } catch {
      return bad(`"${p.data.url}" is not a URL`);
    }
    const action: Action = { kind: 'network', host };
    const a = d.assessor.assessNetwork(host, { context: 'sandbox' });
    if (a.decision === 'deny') return { decision: out('deny', `${why(a)}. Refused by policy.`), action, assessment: a };
    return { decision: out(a.decision === 'auto' ? 'allow' : 'ask', why(a)), action, assessment: a };
  }

  if (tool === 'WebSearch') return { decision: out('ask', 'Airlock: a web search sends your query text to a search service; Airlock cannot judge what it carries.') };
  if (INERT.has(tool)) return { decision: out('allow', `Airlock: ${tool} has no effect outside Claude Code`) };
  if (OWN_MCP.test(tool)) return { decision: out('allow', "Airlock: Airlock's own MCP tools are assessed by its MCP server") };
  return { decision: out('ask', `Airlock does not know what ${tool} does, so a person decides.`) };
}
