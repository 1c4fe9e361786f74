import type { Assessor } from '../assessor';
import { AuditLog } from '../audit/auditLog';
import { Broker, type BrokerResult } from '../broker/broker';
import type { ExecutionPort, ExecutionResult, PersonPort, ReviewAnswer, ReviewRequest } from '../broker/ports';
import { MemoryPolicyStore } from '../policy/policyStore';
import type { CommandRule } from '../policy/schema';
import type { Timers } from '../approvals/batcher';
import type { FatigueSnapshot } from '../approvals/fatigue';

/** Simulated time for replays: timers fire only when the replay advances the clock. */
export class VirtualClock implements Timers {
  private t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;

  now = (): number => this.t;

  set(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }

  clear(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fn();
  }
}

/**
 * Stands in for execution when replaying a recorded session: the commands already ran when the agent was
 * recorded, so nothing is run again. It says so in its output; it is not a sandbox.
 */
export class ReplayExecutor implements ExecutionPort {
  execute(): Promise<ExecutionResult> {
    return Promise.resolve({ exitCode: 0, durationMs: 0, output: '(replay: this recorded command is not executed again)', replayed: true });
  }
}

/** A scripted person for replays: reads for a while, approves, and says "always allow" to routine batch items. */
export class ScriptedPerson implements PersonPort {
  readonly log: string[] = [];
  constructor(
    private readonly clock: VirtualClock,
    private readonly readMs = { ask: 6000, batchBase: 3000, batchPerItem: 1500 },
  ) {}

  review(request: ReviewRequest): Promise<ReviewAnswer> {
    if (request.kind === 'ask') {
      this.clock.advance(this.readMs.ask);
      this.log.push(`ask: ${request.item.assessment.reasons[0]?.rule ?? ''}`);
      return Promise.resolve({ kind: 'ask', approve: true, hash: request.item.hash, by: 'person (scripted)' });
    }
    this.clock.advance(this.readMs.batchBase + this.readMs.batchPerItem * request.items.length);
    this.log.push(`batch: ${request.groups.map((g) => g.title).join(', ')}`);
    const routine = request.items.filter((i) => ['package-install', 'package-runner', 'git-commit', 'delete-build-output', 'system-package-install'].includes(i.assessment.reasons[0]?.rule ?? ''));
    return Promise.resolve({ kind: 'batch', approve: true, hashes: Object.fromEntries(request.items.map((i) => [i.id, i.hash])), by: 'person (scripted)', alwaysAllow: routine.map((i) => i.id) });
  }

  confirmRule(rule: CommandRule): Promise<boolean> {
    this.log.push(`always allow: ${rule.match}`);
    return Promise.resolve(true);
  }
}

export interface ReplayStep {
  step: number;
  command: string;
}

export interface ReplayOutcome {
  results: { step: number; command: string; result: BrokerResult }[];
  metrics: FatigueSnapshot;
  learned: string[];
  batches: number;
}

/**
 * Feeds a recorded session to the broker one step at a time, as the agent did (each step waits for the
 * previous one), with `paceMs` of agent thinking between steps on a virtual clock.
 */
export interface ReplayOptions {
  /** Runs approved commands (the sandbox); default: record them without running (ReplayExecutor). */
  executor?: ExecutionPort & { attach?: (broker: Broker) => void };
  /** Called with each result as it arrives (the demo prints progress). */
  onResult?: (r: ReplayOutcome['results'][number]) => void;
}

export async function replaySession(steps: ReplayStep[], assessor: Assessor, auditFile: string, paceMs: (i: number) => number, opts: ReplayOptions = {}): Promise<ReplayOutcome> {
  const clock = new VirtualClock();
  const audit = AuditLog.open(auditFile, assessor.options.workspace);
  const person = new ScriptedPerson(clock);
  const batchCfg = assessor.options.policy.batch;
  const executor = opts.executor ?? new ReplayExecutor();
  const broker = new Broker({ assessor, executor, person, audit, policyStore: new MemoryPolicyStore(assessor.options.policy), batch: batchCfg, timers: clock, now: clock.now });
  opts.executor?.attach?.(broker);
  const results: ReplayOutcome['results'] = [];
  for (const [i, s] of steps.entries()) {
    const pending = broker.submit({ kind: 'command', command: s.command }, { agent: 'recorded agent', connector: 'replay' });
    // Let the broker reach its first wait, then let the batch window pass if the action was batched. While a
    // real command runs, its own changes may wait for a batch too: keep virtual time moving until it is done.
    for (let k = 0; k < 20; k++) await new Promise((r) => setImmediate(r));
    clock.advance(batchCfg.windowMs);
    const ticker = opts.executor ? setInterval(() => clock.advance(batchCfg.windowMs), 20) : undefined;
    try {
      results.push({ step: s.step, command: s.command, result: await pending });
    } finally {
      if (ticker) clearInterval(ticker);
    }
    opts.onResult?.(results[results.length - 1] as ReplayOutcome['results'][number]);
    clock.advance(paceMs(i));
  }
  broker.flushBatch();
  await audit.flush();
  return { results, metrics: broker.metrics.snapshot(), learned: person.log.filter((l) => l.startsWith('always allow')).map((l) => l.slice('always allow: '.length)), batches: person.log.filter((l) => l.startsWith('batch')).length };
}
