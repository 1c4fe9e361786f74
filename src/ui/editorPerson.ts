import type { PersonPort, ReviewAnswer, ReviewRequest } from '../broker/ports';
import type { PendingReviews, PendingReview } from './pendingReviews';

/**
 * The person at the editor. Reviews wait in the pending list (the view and the approve / reject commands
 * answer them); asks also raise a notification. In an untrusted workspace every review is declined: nothing runs.
 */
export class EditorPerson implements PersonPort {
  constructor(
    private readonly pending: PendingReviews,
    private readonly o: { isTrusted(): boolean; notify(review: PendingReview): void },
  ) {}

  withdraw(itemId: string): void {
    this.pending.withdrawItem(itemId);
  }

  review(request: ReviewRequest): Promise<ReviewAnswer> {
    if (!this.o.isTrusted()) {
      const reason = 'this workspace is not trusted, so Airlock runs nothing in it (Workspaces: Manage Workspace Trust)';
      const by = 'Workspace Trust';
      return Promise.resolve(request.kind === 'ask' ? { kind: 'ask', approve: false, hash: request.item.hash, by, reason } : { kind: 'batch', approve: false, hashes: {}, by, reason });
    }
    const { review, answer } = this.pending.add(request);
    if (request.kind === 'ask') this.o.notify(review);
    return answer;
  }
}
