import { randomUUID } from 'node:crypto';
import { contentHash, parseAction, type Action } from '../approvals/action';
import type { PersonPort, ReviewItem } from '../broker/ports';
import type { Level, Decision } from '../risk/types';
import type { BridgeAnswer, BridgeRequest } from './hookBridge';

const LEVELS = new Set(['low', 'medium', 'high', 'critical']);
const DECISIONS = new Set(['auto', 'batch', 'ask', 'deny']);

/** A question from outside the editor (a hook, or the MCP server's broker), shown to the person as one review: an ask, or a batch. */
export async function reviewFromHook(person: PersonPort, r: BridgeRequest['review']): Promise<BridgeAnswer> {
  let action;
  try {
    action = parseAction(r.action).action;
  } catch (err) {
    return { approve: false, by: 'Airlock', reason: `the hook sent an action Airlock cannot show (${(err as Error).message})` };
  }
  const connector = r.tool;
  if (r.batch) {
    const items: ReviewItem[] = [];
    for (const it of r.batch.items) {
      let a: Action;
      try {
        a = parseAction(it.action).action;
      } catch (err) {
        return { approve: false, by: 'Airlock', reason: `the batch holds an action Airlock cannot show (${(err as Error).message})` };
      }
      items.push({ id: randomUUID(), hash: contentHash(a), action: a, assessment: assessmentOf(it.assessment), agent: r.agent, connector });
    }
    const groups = r.batch.groups.map((g, i) => ({ key: `g${i}`, title: g.title, itemIds: g.itemIndexes.map((n) => items[n]?.id).filter((id): id is string => !!id) }));
    const answer = await person.review({ kind: 'batch', batchId: randomUUID(), items, groups });
    if (answer.kind !== 'batch') return { approve: false, by: answer.by, reason: 'the answer was for something else' };
    const approve = answer.approve && items.every((i) => answer.hashes[i.id] === i.hash) && !(answer.pulledOut?.length);
    return { approve, by: answer.by, hashes: items.map((i) => i.hash), ...(answer.reason ? { reason: answer.reason } : {}) };
  }
  const hash = contentHash(action);
  const answer = await person.review({ kind: 'ask', item: { id: randomUUID(), hash, action, assessment: assessmentOf(r.assessment), agent: r.agent, connector } });
  if (answer.kind !== 'ask' || answer.hash !== hash) return { approve: false, by: answer.by, reason: 'the answer was for something else' };
  return { approve: answer.approve, by: answer.by, hashes: [hash], ...(answer.reason ? { reason: answer.reason } : {}) };
}

function assessmentOf(a: BridgeRequest['review']['assessment']): ReviewItem['assessment'] {
  const level = (LEVELS.has(a.level) ? a.level : 'critical') as Level;
  const decision = (DECISIONS.has(a.decision) ? a.decision : 'ask') as Decision;
  return { score: a.score, level, decision, reasons: a.reasons.map((x) => ({ ...x, level, score: a.score })), policyNotes: [] };
}
