import { describeAction } from '../approvals/action';
import type { PersonPort, ReviewAnswer, ReviewItem, ReviewRequest } from '../broker/ports';
import { askBridge, bridgeAssessmentOf, type BridgeRequest } from './hookBridge';
import { present } from './presence';

/**
 * The person for a broker outside the editor (the MCP server): while VS Code is open on the same workspace,
 * each review goes to Airlock's panel there through the bridge; otherwise to the fallback (a terminal, or
 * nobody). The answer counts only if the editor showed exactly the content hashes that were sent.
 */
export class BridgePerson implements PersonPort {
  constructor(
    private readonly o: { stateRoot: string; workspace: string; agent: () => string; connector: string; fallback: PersonPort; timeoutMs?: number },
  ) {}

  async review(r: ReviewRequest): Promise<ReviewAnswer> {
    const editor = present(this.o.stateRoot).find((p) => p.kind === 'extension' && p.workspace === this.o.workspace && p.bridge);
    if (!editor?.bridge) return this.o.fallback.review(r);
    const items = r.kind === 'ask' ? [r.item] : r.items;
    const first = items[0] as ReviewItem;
    const review: BridgeRequest['review'] = {
      agent: this.o.agent(),
      tool: this.o.connector,
      summary: items.map((i) => describeAction(i.action)).join('\n'),
      action: first.action,
      assessment: bridgeAssessmentOf(first.assessment),
      ...(r.kind === 'batch' ? { batch: { items: items.map((i) => ({ action: i.action, assessment: bridgeAssessmentOf(i.assessment) })), groups: r.groups.map((g) => ({ title: g.title, itemIndexes: g.itemIds.map((id) => items.findIndex((i) => i.id === id)).filter((n) => n >= 0) })) } } : {}),
    };
    const answer = await askBridge(editor.bridge.socket, { token: editor.bridge.token, review }, this.o.timeoutMs ?? 15 * 60_000);
    if (!answer) return this.o.fallback.review(r);
    const shown = answer.hashes ?? [];
    const same = shown.length === items.length && items.every((i, n) => shown[n] === i.hash);
    const approve = answer.approve && same;
    const by = `${answer.by} (Airlock in VS Code)`;
    const reason = !same && answer.approve ? 'the editor showed something other than what was sent' : answer.reason;
    if (r.kind === 'ask') return { kind: 'ask', approve, hash: r.item.hash, by, ...(reason ? { reason } : {}) };
    return { kind: 'batch', approve, hashes: Object.fromEntries(r.items.map((i) => [i.id, i.hash])), by, ...(reason ? { reason } : {}) };
  }
}
