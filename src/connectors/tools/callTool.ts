import type { Broker, BrokerResult, SubmitMeta } from '../../broker/broker';
import { parseAction, type Action } from '../../approvals/action';
import { toolNamed, type ToolName } from './toolDefinitions';

export interface ToolReply {
  /** What the model reads: what happened and, when refused, a reason it can act on. */
  text: string;
  isError: boolean;
  result?: BrokerResult;
  /** The action as submitted (for the editor's recent decisions). */
  action?: Action;
}

function issues(err: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return err.issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ');
}

/**
 * The whole of a connector's job: validate the tool input, turn it into one broker action, submit it, and
 * say what happened. There is deliberately no parameter that can influence the decision.
 */
export async function callAirlockTool(broker: Broker, name: string, input: unknown, meta: Omit<SubmitMeta, 'ignoredFields'>): Promise<ToolReply> {
  const tool = toolNamed(name);
  if (!tool) return { text: `Airlock has no tool named "${name}". Its tools are airlock_run, airlock_apply_edit and airlock_read.`, isError: true };
  const parsed = tool.schema.safeParse(input ?? {});
  if (!parsed.success) return { text: `Invalid input for ${name}: ${issues(parsed.error)}. Nothing was run.`, isError: true };
  const args = parsed.data;
  const ignoredFields = Object.keys(args).filter((k) => !tool.fields.includes(k));
  const action = actionFor(tool.name, args);
  const result = await broker.submit(action, { ...meta, ...(ignoredFields.length ? { ignoredFields } : {}) });
  let parsedAction: Action | undefined;
  try {
    parsedAction = parseAction(action).action;
  } catch {
    parsedAction = undefined;
  }
  return { text: describe(result, ignoredFields), isError: result.outcome !== 'ran' && result.outcome !== 'failed', result, ...(parsedAction ? { action: parsedAction } : {}) };
}

export function actionFor(name: ToolName, a: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  switch (name) {
    case 'airlock_run':
      return { kind: 'command', command: str('command'), ...(str('cwd') ? { cwd: str('cwd') } : {}) };
    case 'airlock_apply_edit':
      return str('diff') !== undefined ? { kind: 'edit', diff: str('diff') } : { kind: 'write', path: str('path'), content: str('content') };
    case 'airlock_read':
      return { kind: 'read', path: str('path') };
  }
}

function describe(r: BrokerResult, ignored: string[]): string {
  const a = r.assessment;
  const verdict = a ? `Airlock: ${a.decision} (${a.level} risk, score ${a.score})${r.decidedBy ? `, decided by ${r.decidedBy}` : ''}` : 'Airlock';
  const note = ignored.length ? `\nIgnored fields (they play no part in Airlock's decision): ${ignored.join(', ')}` : '';
  switch (r.outcome) {
    case 'ran':
    case 'failed':
      return `${verdict}. ${r.message}.${note}\n\n${r.output ?? ''}`.trimEnd();
    default:
      return `${verdict}. ${r.message}${note}`;
  }
}
