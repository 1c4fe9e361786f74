import { randomUUID } from 'node:crypto';
import type { Assessment, Decision } from '../risk/types';
import type { Action } from './action';
import { contentHash } from './action';
import { canTransition, IllegalTransition, type ItemState } from './stateMachine';

export interface QueueItem {
  id: string;
  action: Action;
  /** Hash of exactly what was assessed and shown; an approval must carry the same hash. */
  hash: string;
  assessment: Assessment;
  decision: Decision;
  state: ItemState;
  createdAt: number;
  decidedAt?: number;
  decidedBy?: string;
  batchId?: string;
  agent?: string;
  connector?: string;
  history: { state: ItemState; at: number; by?: string }[];
}

export class StaleApproval extends Error {
  constructor(readonly id: string) {
    super(`the approval for ${id} was given for different content than what would run; it does not apply`);
    this.name = 'StaleApproval';
  }
}

type Listener = (item: QueueItem) => void;

/**
 * Every action's state, changed only through legal transitions. JavaScript runs one callback at a time,
 * so each method here is atomic: `claimForRun` moving approved → running is what guarantees that no
 * action runs twice, however many submissions and decisions interleave.
 */
export class ApprovalQueue {
  private readonly items = new Map<string, QueueItem>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly now: () => number = Date.now) {}

  add(action: Action, assessment: Assessment, meta: { agent?: string; connector?: string } = {}): QueueItem {
    const item: QueueItem = {
      id: randomUUID(),
      action,
      hash: contentHash(action),
      assessment,
      decision: assessment.decision,
      state: 'pending',
      createdAt: this.now(),
      history: [{ state: 'pending', at: this.now() }],
      ...meta,
    };
    this.items.set(item.id, item);
    this.emit(item);
    return item;
  }

  get(id: string): QueueItem | undefined {
    return this.items.get(id);
  }

  list(filter?: (i: QueueItem) => boolean): QueueItem[] {
    return [...this.items.values()].filter(filter ?? (() => true));
  }

  transition(id: string, to: ItemState, by?: string): QueueItem {
    const item = this.items.get(id);
    if (!item) throw new Error(`no action ${id}`);
    if (!canTransition(item.state, to)) throw new IllegalTransition(item.state, to, id);
    item.state = to;
    item.history.push({ state: to, at: this.now(), ...(by ? { by } : {}) });
    if (to === 'approved' || to === 'denied' || to === 'expired' || to === 'cancelled') {
      item.decidedAt = this.now();
      if (by) item.decidedBy = by;
    }
    this.emit(item);
    return item;
  }

  /** A person's approval: applies only to the exact content they saw. */
  approve(id: string, seenHash: string, by: string): QueueItem {
    const item = this.items.get(id);
    if (!item) throw new Error(`no action ${id}`);
    if (item.hash !== seenHash) throw new StaleApproval(id);
    return this.transition(id, 'approved', by);
  }

  /** Moves approved → running exactly once; a second caller gets false. */
  claimForRun(id: string): boolean {
    const item = this.items.get(id);
    if (!item || item.state !== 'approved') return false;
    this.transition(id, 'running');
    return true;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(item: QueueItem): void {
    for (const l of this.listeners) l(item);
  }
}
