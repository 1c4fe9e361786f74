import type { Action } from '../approvals/action';
import type { Assessment } from '../risk/types';
import type { BatchGroup } from '../approvals/batchGroups';
import type { CommandRule } from '../policy/schema';
import type { EffectivePolicy } from '../policy/layering';

/** How approved actions run. The sandbox provides the real one; there is no uncontained implementation. */
export interface ExecutionPort {
  /** Throws ContainmentUnavailable when it cannot run contained. */
  execute(action: Action, opts: { signal?: AbortSignal }): Promise<ExecutionResult>;
}

export interface ExecutionResult {
  exitCode: number;
  durationMs: number;
  /** Output the agent gets back (truncated by the executor). */
  output: string;
  /** sha256 of the full output, for the audit log. */
  outputDigest?: string;
  /** Network requests the egress proxy allowed or refused while it ran. */
  network?: { host: string; allowed: boolean }[];
  /** Set when nothing was actually executed (a replay of a recorded session). */
  replayed?: boolean;
}

export class ContainmentUnavailable extends Error {
  override name = 'ContainmentUnavailable';
}

/** The execution port until a sandbox is configured: it refuses, it never runs on the host. */
export class RefusingExecutor implements ExecutionPort {
  constructor(private readonly why = 'no sandbox is available in this build, and Airlock never runs agent actions uncontained') {}

  execute(): Promise<ExecutionResult> {
    return Promise.reject(new ContainmentUnavailable(this.why));
  }
}

export interface ReviewItem {
  id: string;
  /** The exact content shown; the answer must carry it back. */
  hash: string;
  action: Action;
  assessment: Assessment;
  agent?: string;
  connector?: string;
}

export type ReviewRequest = { kind: 'ask'; item: ReviewItem } | { kind: 'batch'; batchId: string; items: ReviewItem[]; groups: BatchGroup[] };

export type ReviewAnswer =
  | { kind: 'ask'; approve: boolean; hash: string; by: string; alwaysAllow?: boolean; reason?: string }
  | { kind: 'batch'; approve: boolean; hashes: Record<string, string>; by: string; pulledOut?: string[]; alwaysAllow?: string[]; reason?: string };

/** A person, reached through the editor, a terminal, or a test double. */
export interface PersonPort {
  review(request: ReviewRequest): Promise<ReviewAnswer>;
  /** The action was withdrawn before anyone answered: stop showing it (its review's answer is ignored anyway). */
  withdraw?(itemId: string): void;
  /** Shows the exact rule "always allow" would save; resolves true to save it. */
  confirmRule?(rule: CommandRule, example: string): Promise<boolean>;
}

/** A person port for where nobody can be asked (no TTY, no editor): every review is declined, with why. */
export class NobodyToAsk implements PersonPort {
  review(request: ReviewRequest): Promise<ReviewAnswer> {
    const by = 'nobody (no terminal or editor to ask)';
    return Promise.resolve(request.kind === 'ask' ? { kind: 'ask', approve: false, hash: request.item.hash, by, reason: 'needs a person, and none can be asked here' } : { kind: 'batch', approve: false, hashes: {}, by, reason: 'needs a person, and none can be asked here' });
  }
}

/** Where "always allow" rules are saved (the workspace policy); returns the policy now in force. */
export interface PolicyStore {
  addWorkspaceRule(rule: CommandRule): Promise<EffectivePolicy>;
}
