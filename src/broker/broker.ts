import { Assessor } from '../assessor';
import { policySchema, type CommandRule } from '../policy/schema';
import { contentHash, describeAction, parseAction, type Action } from '../approvals/action';
import { wholeFileDiff } from '../approvals/wholeFileDiff';
import { ApprovalQueue, StaleApproval, type QueueItem } from '../approvals/queue';
import { Batcher, realTimers, type Batch, type Timers } from '../approvals/batcher';
import { FatigueMetrics } from '../approvals/fatigue';
import { proposeRule } from '../approvals/learnRule';
import type { AuditLog } from '../audit/auditLog';
import { combinePolicies } from '../policy/layering';
import type { Assessment, Context } from '../risk/types';
import { levelRank } from '../risk/types';
import { ContainmentUnavailable, type ExecutionPort, type PersonPort, type PolicyStore, type ReviewItem } from './ports';

export interface BrokerOptions {
  assessor: Assessor;
  executor: ExecutionPort;
  person: PersonPort;
  audit: AuditLog;
  policyStore?: PolicyStore;
  context?: Context;
  batch?: { windowMs: number; maxSize: number };
  timers?: Timers;
  now?: () => number;
  /** How long a review may stay unanswered before the action expires (default 15 minutes). */
  reviewTimeoutMs?: number;
  /** Current content of a workspace file, so a whole-file write is judged as the change it makes. */
  readWorkspaceFile?: (path: string) => string | undefined;
}

export interface SubmitMeta {
  agent?: string;
  connector?: string;
  /** Fields a connector received from the model that it did not use (a "safe" flag, "sandbox": false …): logged, never obeyed. */
  ignoredFields?: string[];
  /** The agent withdrew the request (a cancelled tool call): a pending action is cancelled and never runs. */
  signal?: AbortSignal;
}

export type Outcome = 'ran' | 'failed' | 'refused-by-policy' | 'declined' | 'expired' | 'cancelled' | 'not-run' | 'invalid';

/** What goes back to the agent: what happened and, when refused, a reason it can act on. */
export interface BrokerResult {
  id?: string;
  decision?: Assessment['decision'];
  outcome: Outcome;
  decidedBy?: string;
  exitCode?: number;
  output?: string;
  message: string;
  assessment?: Assessment;
}

/**
 * The one path: every action from every connector is parsed, assessed, decided by policy, queued, reviewed
 * when it must be, executed through the execution port, and written to the audit log — always in that
 * order, and logged (fsync'd) before it runs. Nothing a caller sends can lower a decision: there is no
 * field for it, and extra fields are recorded as ignored.
 */
export class Broker {
  readonly queue: ApprovalQueue;
  readonly metrics = new FatigueMetrics();
  private readonly batcher: Batcher;
  private readonly waiting = new Map<string, (approved: boolean, by: string) => void>();
  private readonly askCancels = new Map<string, () => void>();
  private readonly context: Context;
  private readonly now: () => number;
  private assessor: Assessor;

  constructor(private readonly o: BrokerOptions) {
    this.context = o.context ?? 'sandbox';
    this.assessor = o.assessor;
    this.now = o.now ?? Date.now;
    this.queue = new ApprovalQueue(this.now);
    const batch = o.batch ?? { windowMs: 2000, maxSize: 50 };
    this.batcher = new Batcher(batch.windowMs, batch.maxSize, (b) => void this.reviewBatch(b), o.timers);
  }

  async submit(input: unknown, submitMeta: SubmitMeta = {}): Promise<BrokerResult> {
    const { ignoredFields: connectorIgnored = [], signal, ...meta } = submitMeta;
    let action: Action;
    let ignoredFields: string[];
    try {
      ({ action, ignoredFields } = parseAction(input));
      ignoredFields = [...new Set([...ignoredFields, ...connectorIgnored])];
    } catch (err) {
      await this.o.audit.append({ type: 'action', data: { invalid: true, error: (err as Error).message, ...meta } });
      return { outcome: 'invalid', message: `Airlock refused the request: ${(err as Error).message}` };
    }
    const assessment = this.assess(action);
    const item = this.queue.add(action, assessment, meta);
    if (signal) {
      const withdraw = () => void this.cancel(item.id, 'agent (request cancelled)');
      if (signal.aborted) queueMicrotask(withdraw);
      else signal.addEventListener('abort', withdraw, { once: true });
    }
    this.metrics.recordAction(item.decision);
    await this.o.audit.append({
      type: 'action',
      actionId: item.id,
      data: {
        kind: action.kind,
        summary: describeAction(action),
        hash: item.hash,
        context: this.context,
        ...meta,
        ...(ignoredFields.length ? { ignoredCallerFields: ignoredFields } : {}),
        assessment: { score: assessment.score, level: assessment.level, decision: assessment.decision, reasons: assessment.reasons.map((r) => ({ rule: r.rule, message: r.message, ...(r.file ? { file: r.file, line: r.line } : {}) })), policyNotes: assessment.policyNotes },
      },
    });
    switch (item.decision) {
      case 'deny':
        this.queue.transition(item.id, 'denied', 'policy');
        await this.logDecision(item, 'policy');
        return this.refusal(item, 'refused-by-policy', 'policy');
      case 'auto':
        this.queue.transition(item.id, 'approved', 'policy');
        await this.logDecision(item, 'policy');
        return this.run(item);
      case 'ask':
        return this.ask(item);
      case 'batch':
        return this.waitForBatch(item);
    }
  }

  /**
   * What the broker would decide for an input, without queueing, running or logging it: for previews (a tool's
   * confirmation message). The decision that counts is the one `submit` makes.
   */
  preview(input: unknown): { action: Action; assessment: Assessment; hash: string } | undefined {
    try {
      const { action } = parseAction(input);
      return { action, assessment: this.assess(action), hash: contentHash(action) };
    } catch {
      return undefined;
    }
  }

  /** Flushes any open batch now (e.g. when the agent session ends). */
  flushBatch(): void {
    this.batcher.flush();
  }

  private assess(action: Action): Assessment {
    const a = this.assessor;
    switch (action.kind) {
      case 'command':
        return a.assessCommand(action.command, { context: this.context, ...(action.cwd ? { cwd: action.cwd } : {}) });
      case 'edit':
        return a.assessDiff(action.diff, { context: this.context });
      case 'write':
        return a.assessDiff(wholeFileDiff(action.path, action.content, this.o.readWorkspaceFile?.(action.path)), { context: this.context });
      case 'read':
        return a.assessRead(action.path, { context: this.context });
      case 'network':
        return a.assessNetwork(action.host, { context: this.context, ...(action.command ? { command: action.command } : {}) });
    }
  }

  private reviewItem(item: QueueItem): ReviewItem {
    return { id: item.id, hash: item.hash, action: item.action, assessment: item.assessment, ...(item.agent ? { agent: item.agent } : {}), ...(item.connector ? { connector: item.connector } : {}) };
  }

  /** Withdraws a pending action (the agent or session went away); it will not run. */
  async cancel(id: string, by = 'agent'): Promise<boolean> {
    const item = this.queue.get(id);
    if (!item || item.state !== 'pending') return false;
    this.queue.transition(id, 'cancelled', by);
    await this.logDecision(item, by, { cancelled: true });
    this.waiting.get(id)?.(false, by);
    this.askCancels.get(id)?.();
    this.o.person.withdraw?.(id);
    return true;
  }

  /** Races a review against the timeout; an unanswered review expires the items (never approves them). */
  private withTimeout<T>(review: Promise<T>, ids: string[]): Promise<T | 'expired'> {
    const ms = this.o.reviewTimeoutMs ?? 15 * 60_000;
    const timers = this.o.timers ?? realTimers;
    return new Promise((resolve, reject) => {
      const handle = timers.set(() => {
        for (const id of ids) if (this.queue.get(id)?.state === 'pending') this.queue.transition(id, 'expired', 'timeout');
        resolve('expired');
      }, ms);
      review.then(
        (v) => {
          timers.clear(handle);
          resolve(v);
        },
        (e: unknown) => {
          timers.clear(handle);
          reject(e);
        },
      );
    });
  }

  private async ask(item: QueueItem): Promise<BrokerResult> {
    const shown = this.now();
    // A cancel (the agent withdrew the request) ends the wait too; the person's late answer is then ignored.
    const cancelled = new Promise<'cancelled'>((resolve) => this.askCancels.set(item.id, () => resolve('cancelled')));
    const answered = await this.withTimeout(Promise.race([this.o.person.review({ kind: 'ask', item: this.reviewItem(item) }), cancelled]), [item.id]);
    this.askCancels.delete(item.id);
    if (answered === 'expired' || answered === 'cancelled' || item.state !== 'pending') return this.unanswered(item);
    const answer = answered;
    if (answer.kind !== 'ask') throw new Error('the person port answered an ask with a batch answer');
    const elapsed = this.now() - shown;
    let approved = answer.approve;
    if (approved) {
      try {
        this.queue.approve(item.id, answer.hash, answer.by);
      } catch (err) {
        if (!(err instanceof StaleApproval)) throw err;
        approved = false;
        this.queue.transition(item.id, 'denied', 'stale approval');
        await this.logDecision(item, answer.by, { stale: true });
        this.metrics.recordReview('ask', false, elapsed, item.assessment.level);
        return this.refusal(item, 'declined', answer.by, err.message);
      }
    } else this.queue.transition(item.id, 'denied', answer.by);
    this.metrics.recordReview('ask', approved, elapsed, item.assessment.level);
    await this.logDecision(item, answer.by, { decideMs: elapsed, ...(answer.reason ? { reason: answer.reason } : {}) });
    if (approved && answer.alwaysAllow) await this.learn(item);
    return approved ? this.run(item) : this.refusal(item, 'declined', answer.by, answer.reason);
  }

  private waitForBatch(item: QueueItem): Promise<BrokerResult> {
    return new Promise<BrokerResult>((resolve, reject) => {
      this.waiting.set(item.id, (approved, by) => {
        this.waiting.delete(item.id);
        const notApproved = item.state === 'expired' || item.state === 'cancelled' ? this.unanswered(item) : Promise.resolve(this.refusal(item, 'declined', by));
        (approved ? this.run(item) : notApproved).then(resolve, reject);
      });
      this.batcher.add(item);
    });
  }

  private async reviewBatch(batch: Batch): Promise<void> {
    const shown = this.now();
    const live = batch.items.filter((i) => i.state === 'pending');
    if (live.length === 0) return;
    const answered = await this.withTimeout(this.o.person.review({ kind: 'batch', batchId: batch.id, items: live.map((i) => this.reviewItem(i)), groups: batch.groups }), live.map((i) => i.id));
    if (answered === 'expired') {
      for (const item of live) {
        await this.logDecision(item, 'timeout', { batchId: batch.id, expired: true });
        this.waiting.get(item.id)?.(false, 'timeout');
      }
      return;
    }
    const answer = answered;
    if (answer.kind !== 'batch') throw new Error('the person port answered a batch with an ask answer');
    const elapsed = this.now() - shown;
    const highest = batch.items.reduce((l, i) => (levelRank(i.assessment.level) > levelRank(l) ? i.assessment.level : l), batch.items[0]?.assessment.level ?? 'low');
    this.metrics.recordReview('batch', answer.approve, elapsed, highest);
    const pulled = new Set(answer.pulledOut ?? []);
    for (const item of live) {
      if (item.state !== 'pending') continue; // cancelled while the batch was shown
      if (pulled.has(item.id)) {
        // Pulled out of the batch: it gets its own decision.
        void this.ask(item).then((r) => this.waiting.get(item.id)?.(r.outcome === 'ran' || r.outcome === 'failed', r.decidedBy ?? answer.by));
        continue;
      }
      let approved = answer.approve;
      if (approved) {
        try {
          this.queue.approve(item.id, answer.hashes[item.id] ?? '', answer.by);
        } catch (err) {
          if (!(err instanceof StaleApproval)) throw err;
          approved = false;
          this.queue.transition(item.id, 'denied', 'stale approval');
        }
      } else this.queue.transition(item.id, 'denied', answer.by);
      await this.logDecision(item, answer.by, { batchId: batch.id, decideMs: elapsed, groups: batch.groups.map((g) => g.title) });
      if (approved && answer.alwaysAllow?.includes(item.id)) await this.learn(item);
      this.waiting.get(item.id)?.(approved, answer.by);
    }
  }

  private async unanswered(item: QueueItem): Promise<BrokerResult> {
    const state = item.state;
    if (state === 'expired') await this.logDecision(item, 'timeout', { expired: true });
    const outcome: Outcome = state === 'cancelled' ? 'cancelled' : 'expired';
    return { id: item.id, decision: item.decision, outcome, message: outcome === 'expired' ? 'Nobody answered the review in time; the action expired and did not run. Ask the user, then try again.' : 'The action was cancelled before anyone approved it; it did not run.', assessment: item.assessment };
  }

  private async run(item: QueueItem): Promise<BrokerResult> {
    if (!this.queue.claimForRun(item.id)) {
      return { id: item.id, decision: item.decision, outcome: 'not-run', message: 'this action was already run or is no longer approved', assessment: item.assessment };
    }
    try {
      const result = await this.o.executor.execute(item.action, {});
      this.queue.transition(item.id, result.exitCode === 0 ? 'done' : 'failed');
      await this.o.audit.append({ type: 'execution', actionId: item.id, data: { exitCode: result.exitCode, durationMs: result.durationMs, ...(result.outputDigest ? { outputDigest: result.outputDigest } : {}), ...(result.network ? { network: result.network } : {}), ...(result.replayed ? { replayed: true } : {}) } });
      return { id: item.id, decision: item.decision, outcome: result.exitCode === 0 ? 'ran' : 'failed', ...(item.decidedBy ? { decidedBy: item.decidedBy } : {}), exitCode: result.exitCode, output: result.output, message: result.replayed ? 'approved; not executed (replay of a recorded session)' : doneMessage(item.action, result.exitCode), assessment: item.assessment };
    } catch (err) {
      this.queue.transition(item.id, 'failed');
      const containment = err instanceof ContainmentUnavailable;
      await this.o.audit.append({ type: 'execution', actionId: item.id, data: { error: (err as Error).message, containmentUnavailable: containment } });
      return { id: item.id, decision: item.decision, outcome: 'not-run', message: containment ? `Airlock approved this but did not run it: ${(err as Error).message}.` : `running it failed: ${(err as Error).message}`, assessment: item.assessment };
    }
  }

  private refusal(item: QueueItem, outcome: Outcome, by: string, reason?: string): BrokerResult {
    const top = item.assessment.reasons.slice(0, 3).map((r) => `${r.rule}: ${r.message}`).join('; ');
    const message =
      outcome === 'refused-by-policy'
        ? `Airlock refused this action (policy, ${item.assessment.level} risk ${item.assessment.score}): ${top}. Do not retry it in another form; choose a different approach or ask the user.`
        : `A person did not approve this action${reason ? `: ${reason}` : ''}. Reasons Airlock showed: ${top || 'none'}.`;
    return { id: item.id, decision: item.decision, outcome, decidedBy: by, message, assessment: item.assessment };
  }

  private async logDecision(item: QueueItem, by: string, extra: Record<string, unknown> = {}): Promise<void> {
    await this.o.audit.append({ type: 'decision', actionId: item.id, data: { state: item.state, decidedBy: by, hash: item.hash, ...extra } });
  }

  /** "Always allow this": a rule scoped to the workspace, shown before it is saved, that cannot loosen the team policy. */
  private async learn(item: QueueItem): Promise<void> {
    if (item.action.kind !== 'command') return;
    const assessed = this.assessor.assessCommand(item.action.command, { context: this.context });
    // The rule is for the one command that needed review (`cd x && pip install y` → `pip install`).
    const driving = assessed.commands.filter((c) => c.origin === 'top' && assessed.reasons.some((r) => r.level !== 'low' && r.span && r.span[0] >= c.span[0] && r.span[1] <= c.span[1]));
    const proposals = driving.length > 0 && driving.length <= 3 ? driving.map((d) => proposeRule(item.action, d.argv)) : [{ refused: driving.length ? 'too many commands on the line needed review; allow them one by one' : 'nothing on the line needed review' }];
    const refused = proposals.find((p): p is { refused: string } => 'refused' in p);
    if (refused) {
      await this.o.audit.append({ type: 'policy', actionId: item.id, data: { learnRefused: refused.refused } });
      return;
    }
    for (const proposal of proposals as CommandRule[]) await this.learnOne(item, proposal);
  }

  private async learnOne(item: QueueItem, proposal: CommandRule): Promise<void> {
    if (item.action.kind !== 'command') return;
    const policy = this.assessor.options.policy;
    // Judge the command as if the rule were saved: if the team policy or a floor still decides, saving it would mislead.
    const workspace = policy.workspace ? { ...policy.workspace, rules: [...policy.workspace.rules, proposal] } : policySchema.parse({ version: 1, rules: [proposal] });
    const candidate = combinePolicies(policy.team, workspace, policy.sources);
    const probe = (await Assessor.create({ ...this.assessor.options, policy: candidate })).assessCommand(item.action.command, { context: this.context });
    if (probe.policyNotes.some((n) => n.includes('ignored')) || !probe.policyNotes.some((n) => n.includes(`rule "${proposal.match}" → auto`) && !n.includes('raised to'))) {
      await this.o.audit.append({ type: 'policy', actionId: item.id, data: { learnRefused: `a rule "${proposal.match}" would not make this automatic (${probe.decision}): the team policy or a rule no policy can lower decides it`, rule: proposal } });
      return;
    }
    const ok = this.o.person.confirmRule ? await this.o.person.confirmRule(proposal, item.action.command) : false;
    if (!ok || !this.o.policyStore) {
      await this.o.audit.append({ type: 'policy', actionId: item.id, data: { learnDeclined: true, rule: proposal } });
      return;
    }
    const updated = await this.o.policyStore.addWorkspaceRule(proposal);
    this.assessor = await Assessor.create({ ...this.assessor.options, policy: updated });
    await this.o.audit.append({ type: 'policy', actionId: item.id, data: { learned: proposal } });
  }
}


function doneMessage(action: Action, exitCode: number): string {
  switch (action.kind) {
    case 'command':
      return `ran in the sandbox, exit code ${exitCode}`;
    case 'read':
      return 'read from the workspace';
    case 'network':
      return 'connection allowed';
    default:
      return exitCode === 0 ? 'applied to the workspace' : `applying it failed (exit code ${exitCode})`;
  }
}
