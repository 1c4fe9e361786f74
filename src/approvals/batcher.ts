import { randomUUID } from 'node:crypto';
import type { QueueItem } from './queue';
import { groupBatch, type BatchGroup } from './batchGroups';

export interface Batch {
  id: string;
  items: QueueItem[];
  groups: BatchGroup[];
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

/**
 * Collects batchable actions for a short window (from the first item) or until the batch is full, then
 * hands the whole batch over for one review.
 */
export class Batcher {
  private open: QueueItem[] = [];
  private timer: unknown;
  private openId = randomUUID();

  constructor(
    private readonly windowMs: number,
    private readonly maxSize: number,
    private readonly onReady: (batch: Batch) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  add(item: QueueItem): string {
    item.batchId = this.openId;
    this.open.push(item);
    if (this.open.length >= this.maxSize) this.flush();
    else if (this.open.length === 1) this.timer = this.timers.set(() => this.flush(), this.windowMs);
    return item.batchId;
  }

  flush(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    if (this.open.length === 0) return;
    const batch: Batch = { id: this.openId, items: this.open, groups: groupBatch(this.open) };
    this.open = [];
    this.openId = randomUUID();
    this.onReady(batch);
  }

  get pending(): number {
    return this.open.length;
  }
}
