/** The life of one action. Every change goes through `transition`, which refuses anything not listed. */
export type ItemState = 'pending' | 'approved' | 'denied' | 'expired' | 'cancelled' | 'running' | 'done' | 'failed';

const ALLOWED: Record<ItemState, readonly ItemState[]> = {
  pending: ['approved', 'denied', 'expired', 'cancelled'],
  approved: ['running', 'cancelled'],
  running: ['done', 'failed'],
  denied: [],
  expired: [],
  cancelled: [],
  done: [],
  failed: [],
};

export class IllegalTransition extends Error {
  constructor(
    readonly from: ItemState,
    readonly to: ItemState,
    readonly id: string,
  ) {
    super(`action ${id} cannot go from ${from} to ${to}`);
    this.name = 'IllegalTransition';
  }
}

export function canTransition(from: ItemState, to: ItemState): boolean {
  return ALLOWED[from].includes(to);
}

export function isFinal(state: ItemState): boolean {
  return ALLOWED[state].length === 0;
}
