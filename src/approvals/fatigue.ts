import type { Decision, Level } from '../risk/types';

export interface FatigueSnapshot {
  actions: Record<Decision, number>;
  promptsShown: number;
  batchesShown: number;
  approved: number;
  rejected: number;
  approvalRate: number;
  medianDecideMs: number | undefined;
  /** Prompts per 100 actions: asks plus batch reviews. */
  promptsPer100: number;
  warnings: string[];
}

/** Below this a high-risk approval cannot have been read. */
export const TOO_FAST_MS = 1000;
/** This many too-fast high-risk approvals in a row raise a warning. */
export const TOO_FAST_STREAK = 3;

/**
 * What approval fatigue looks like in numbers, per session and overall: how often a person is asked, how
 * often they say yes, how long they take, and whether they approve high-risk items faster than they could
 * read them.
 */
export class FatigueMetrics {
  private readonly actions: Record<Decision, number> = { auto: 0, batch: 0, ask: 0, deny: 0 };
  private prompts = 0;
  private batches = 0;
  private approved = 0;
  private rejected = 0;
  private readonly decideTimes: number[] = [];
  private streak = 0;
  private readonly warnings: string[] = [];

  recordAction(decision: Decision): void {
    this.actions[decision]++;
  }

  /** A single prompt (ask) or one batch review was shown and answered. */
  recordReview(kind: 'ask' | 'batch', approved: boolean, decideMs: number, highestLevel: Level): void {
    if (kind === 'ask') this.prompts++;
    else this.batches++;
    if (approved) this.approved++;
    else this.rejected++;
    this.decideTimes.push(decideMs);
    const risky = highestLevel === 'high' || highestLevel === 'critical';
    if (approved && risky && decideMs < TOO_FAST_MS) {
      this.streak++;
      if (this.streak === TOO_FAST_STREAK) {
        this.warnings.push(`${TOO_FAST_STREAK} high-risk approvals in a row took under ${TOO_FAST_MS / 1000} s each: too fast to have been read. Slow down, or tighten the policy so fewer prompts reach you.`);
      }
    } else if (risky) this.streak = 0;
  }

  snapshot(): FatigueSnapshot {
    const total = Object.values(this.actions).reduce((a, b) => a + b, 0);
    const sorted = [...this.decideTimes].sort((a, b) => a - b);
    const reviews = this.approved + this.rejected;
    return {
      actions: { ...this.actions },
      promptsShown: this.prompts,
      batchesShown: this.batches,
      approved: this.approved,
      rejected: this.rejected,
      approvalRate: reviews ? this.approved / reviews : 0,
      medianDecideMs: sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined,
      promptsPer100: total ? (100 * (this.prompts + this.batches)) / total : 0,
      warnings: [...this.warnings],
    };
  }
}
