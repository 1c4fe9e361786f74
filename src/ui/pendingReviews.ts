import { randomUUID } from 'node:crypto';
import type { ReviewAnswer, ReviewRequest } from '../broker/ports';

export interface PendingReview {
  id: string;
  request: ReviewRequest;
  createdAt: number;
}

/**
 * Reviews waiting for the person in the editor: the broker's request, held until a command, the view or a
 * notification answers it. The answer always carries the hashes of exactly what was shown.
 */
export class PendingReviews {
  private readonly items = new Map<string, { review: PendingReview; resolve: (a: ReviewAnswer) => void }>();
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  add(request: ReviewRequest, now = Date.now()): { review: PendingReview; answer: Promise<ReviewAnswer> } {
    const review: PendingReview = { id: randomUUID(), request, createdAt: now };
    const answer = new Promise<ReviewAnswer>((resolve) => this.items.set(review.id, { review, resolve }));
    this.changed();
    return { review, answer };
  }

  list(): PendingReview[] {
    return [...this.items.values()].map((i) => i.review).sort((a, b) => a.createdAt - b.createdAt);
  }

  get(id: string): PendingReview | undefined {
    return this.items.get(id)?.review;
  }

  /** Answers one review (the oldest when no id is given); false when there is nothing to answer. */
  answer(id: string | undefined, approve: boolean, by: string, reason?: string): boolean {
    const entry = id ? this.items.get(id) : this.items.get(this.list()[0]?.id ?? '');
    if (!entry) return false;
    this.items.delete(entry.review.id);
    const r = entry.review.request;
    entry.resolve(
      r.kind === 'ask'
        ? { kind: 'ask', approve, hash: r.item.hash, by, ...(reason ? { reason } : {}) }
        : { kind: 'batch', approve, hashes: Object.fromEntries(r.items.map((i) => [i.id, i.hash])), by, ...(reason ? { reason } : {}) },
    );
    this.changed();
    return true;
  }

  /** Drops a single-item review whose action was withdrawn; a batch keeps showing its other items. */
  withdrawItem(itemId: string): void {
    for (const r of this.list()) if (r.request.kind === 'ask' && r.request.item.id === itemId) this.answer(r.id, false, 'agent', 'the request was withdrawn');
  }

  /** Declines everything still waiting (the workspace lost trust, the extension is stopping). */
  declineAll(by: string, reason: string): void {
    for (const r of this.list()) this.answer(r.id, false, by, reason);
  }
}
