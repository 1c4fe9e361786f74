import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Assessor } from '../assessor';
import { AuditLog } from '../audit/auditLog';
import { defaultAuditLogPath } from '../audit/location';
import { contentHash, describeAction } from '../approvals/action';
import { decideClaudeCodeEvent } from '../connectors/hook/claudeCodeHook';
import { preToolUseSchema } from '../connectors/hook/claudeCodeEvent';
import { issueGrant, newGrantId } from '../connectors/hook/grants';
import { askBridge, bridgeAssessmentOf } from '../connectors/hookBridge';
import { present } from '../connectors/presence';
import { policyFor } from './commonFlags';
import { airlockStateRoot } from './containedSession';
import { UsageError } from './usageError';

const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/** How long the hook waits for the person in the editor before handing the question to Claude Code's prompt. */
function bridgeTimeoutMs(): number {
  const s = Number(process.env.AIRLOCK_HOOK_REVIEW_SECONDS ?? 50);
  return (Number.isFinite(s) && s > 0 ? s : 50) * 1000;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    n += b.length;
    if (n > MAX_EVENT_BYTES) throw new Error(`the hook event is over ${MAX_EVENT_BYTES} bytes`);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/**
 * `airlock hook claude-code`: a PreToolUse hook. Exit 0 with the documented JSON decision; exit 2 (which
 * Claude Code treats as "block", showing stderr to Claude) when the event cannot be read or decided — a hook
 * that fails must not let the tool through.
 */
export async function runHook(argv: string[], write: (s: string) => void, err: (s: string) => void, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const [agent, ...rest] = argv;
  if (agent !== 'claude-code') throw new UsageError(`hook needs the agent it serves: \`airlock hook claude-code\` (got ${agent ? `"${agent}"` : 'nothing'})`);
  const { values } = parseArgs({ args: rest, options: { workspace: { type: 'string' }, policy: { type: 'string' }, 'audit-log': { type: 'string' } }, strict: true });
  try {
    const raw = await readAll(stdin);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
    } catch (e) {
      throw new Error(`the hook input is not JSON text (${(e as Error).message})`);
    }
    if (json && typeof json === 'object' && (json as { hook_event_name?: unknown }).hook_event_name !== 'PreToolUse') {
      // Registered for another event by mistake: say so, and stay out of the way of an event Airlock does not decide.
      err(`airlock hook: only PreToolUse events are decided; got ${JSON.stringify((json as { hook_event_name?: unknown }).hook_event_name)}. Register the hook under "PreToolUse".\n`);
      return 0;
    }
    const parsed = preToolUseSchema.safeParse(json);
    if (!parsed.success) throw new Error(`not a PreToolUse event: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    const event = parsed.data;
    const workspace = resolve(values.workspace ?? process.env.CLAUDE_PROJECT_DIR ?? event.cwd ?? '.');
    const policy = policyFor(workspace, values.policy);
    const assessor = await Assessor.create({ policy, workspace });
    const stateRoot = airlockStateRoot();
    const agentName = `Claude Code${event.session_id ? ` ${event.session_id.slice(0, 8)}` : ''}`;
    let grant: { id: string; hash: string } | undefined;
    const verdict = decideClaudeCodeEvent(event, {
      assessor,
      workspace,
      execPrefix: [process.execPath, resolve(process.argv[1] ?? 'airlock')],
      // Written below, once it is known who will approve (the editor now, or Claude Code's prompt later).
      issueGrant: (hash) => (grant = { id: newGrantId(), hash }).id,
    });
    const out = verdict.decision.hookSpecificOutput;
    let decidedBy = out.permissionDecision === 'ask' ? "the person, in Claude Code's prompt" : 'policy';
    const editor = out.permissionDecision === 'ask' && verdict.action && verdict.assessment ? present(stateRoot).find((p) => p.kind === 'extension' && p.workspace === workspace && p.bridge) : undefined;
    if (editor?.bridge && verdict.action && verdict.assessment) {
      // VS Code is open on this workspace: the person answers in Airlock's view instead of Claude Code's prompt.
      const answer = await askBridge(editor.bridge.socket, { token: editor.bridge.token, review: { agent: agentName, tool: `claude-code-hook (${event.tool_name})`, summary: describeAction(verdict.action), action: verdict.action, assessment: bridgeAssessmentOf(verdict.assessment) } }, bridgeTimeoutMs());
      if (answer) {
        decidedBy = `${answer.by} (Airlock in VS Code)`;
        if (answer.approve) {
          out.permissionDecision = 'allow';
          out.permissionDecisionReason = `${out.permissionDecisionReason.split('. If you approve')[0]}. Approved in Airlock's view by ${answer.by}.`;
        } else {
          out.permissionDecision = 'deny';
          out.permissionDecisionReason = `${out.permissionDecisionReason.split('. If you approve')[0]}. A person declined it in Airlock's view${answer.reason ? `: ${answer.reason}` : ''}. Do not retry it in another form; ask the user.`;
          delete out.updatedInput;
          grant = undefined;
        }
      }
    }
    // Only an ask carries a grant, so decidedBy already names who approves: Claude Code's prompt, or the editor.
    if (grant) issueGrant(stateRoot, { hash: grant.hash, workspace, by: decidedBy }, Date.now(), grant.id);
    const audit = AuditLog.open(values['audit-log'] ? resolve(values['audit-log']) : defaultAuditLogPath(workspace), workspace);
    const { permissionDecision, permissionDecisionReason } = out;
    await audit.append({
      type: 'action',
      data: {
        tool: event.tool_name,
        ...(verdict.action ? { kind: verdict.action.kind, summary: describeAction(verdict.action), hash: contentHash(verdict.action) } : {}),
        connector: 'claude-code-hook',
        agent: agentName,
        ...(verdict.assessment ? { assessment: bridgeAssessmentOf(verdict.assessment) } : {}),
      },
    });
    await audit.append({ type: 'decision', data: { connector: 'claude-code-hook', tool: event.tool_name, answer: permissionDecision, reason: permissionDecisionReason, decidedBy } });
    write(JSON.stringify(verdict.decision) + '\n');
    return 0;
  } catch (e) {
    err(`Airlock blocked this tool call: ${(e as Error).message}. Airlock's hook could not decide it, and an undecided call does not run.\n`);
    return 2;
  }
}
