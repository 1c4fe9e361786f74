import { randomUUID } from 'node:crypto';
import { contentHash, parseAction } from '../approvals/action';
import type { PersonPort } from '../broker/ports';
import type { Level, Decision } from '../risk/types';
import type { BridgeAnswer, BridgeRequest } from './hookBridge';

const LEVELS = new Set(['low', 'medium', 'high', 'critical']);
const DECISIONS = new Set(['auto', 'batch', 'ask', 'deny']);

/** A hook's question, shown to the person in the editor as one review (a hook waits for each call, so no batch forms). */
export async function reviewFromHook(person: PersonPort, r: BridgeRequest['review']): Promise<BridgeAnswer> {
  let action;
  try {
    action = parseAction(r.action).action;
  } catch (err) {
    return { approve: false, by: 'Airlock', reason: `the hook sent an action Airlock cannot show (${(err as Error).message})` };
  }
  const level = (LEVELS.has(r.assessment.level) ? r.assessment.level : 'critical') as Level;
  const decision = (DECISIONS.has(r.assessment.decision) ? r.assessment.decision : 'ask') as Decision;
  const hash = contentHash(action);
  const answer = await person.review({
    kind: 'ask',
    item: { id: randomUUID(), hash, action, assessment: { score: r.assessment.score, level, decision, reasons: r.assessment.reasons.map((x) => ({ ...x, level, score: r.assessment.score })), policyNotes: [] }, agent: r.agent, connector: `claude-code-hook (${r.tool})` },
  });
  if (answer.kind !== 'ask' || answer.hash !== hash) return { approve: false, by: answer.by, reason: 'the answer was for something else' };
  return { approve: answer.approve, by: answer.by, ...(answer.reason ? { reason: answer.reason } : {}) };
}
