import { createHash } from 'node:crypto';
import type { Action } from '../approvals/action';
import type { ChangeSet } from '../sandbox/stagedWorkspace';
import type { SandboxManager } from '../sandbox/sandboxManager';
import { SandboxUnavailable } from '../sandbox/backend';
import { ContainmentUnavailable, type ExecutionPort, type ExecutionResult } from './ports';
import type { Broker, BrokerResult } from './broker';
import { applyDiffToWorkspace, readWorkspaceFileForAgent, writeWorkspaceFile } from './workspaceEdits';

export interface ContainedExecutorOptions {
  workspace: string;
  /** Per-command limits. */
  timeoutMs?: number;
  maxOutput?: number;
  /** Live output (the CLI streams it; the editor shows it in a terminal). */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** A change set that needed a person nobody could reach was kept aside here. */
  onKeptAside?: (dir: string, set: ChangeSet, result: BrokerResult) => void;
}

/** What the agent is told about the changes its command made in the staging copy. */
export interface StagedOutcome {
  files: number;
  decision?: string;
  applied: boolean;
  keptAside?: string;
  conflicts: string[];
}

/**
 * The execution port backed by the sandbox. Commands run contained; in staged mode the command's changes
 * come back as an `edit` action through the same broker (so they are judged, batched, asked and logged like
 * any agent edit), and are written to the workspace only when that edit is approved. Approved agent edits
 * and file writes are applied to the workspace (the staging copy picks them up before the next command).
 */
export class ContainedExecutor implements ExecutionPort {
  private broker?: Broker;
  /** Change sets waiting for their edit decision, by the hash of the diff that was judged. */
  private readonly stagedSets = new Map<string, ChangeSet>();
  lastStaged?: StagedOutcome;

  constructor(
    readonly manager: SandboxManager,
    private readonly o: ContainedExecutorOptions,
  ) {}

  /** The broker that judges staged changes (set once; the broker holds this executor). */
  attach(broker: Broker): void {
    this.broker = broker;
  }

  async execute(action: Action, opts: { signal?: AbortSignal }): Promise<ExecutionResult> {
    const started = Date.now();
    switch (action.kind) {
      case 'network':
        // The egress proxy makes the connection once this is approved.
        return { exitCode: 0, durationMs: 0, output: `connection to ${action.host} allowed` };
      case 'read': {
        // The person's files are the truth (in staged mode the copy may hold a command's unapproved changes).
        const r = readWorkspaceFileForAgent(this.o.workspace, action.path);
        return { exitCode: 0, durationMs: Date.now() - started, output: r };
      }
      case 'write': {
        const path = writeWorkspaceFile(this.o.workspace, action.path, action.content);
        return { exitCode: 0, durationMs: Date.now() - started, output: `wrote ${path}` };
      }
      case 'edit': {
        const set = this.stagedSets.get(diffKey(action.diff));
        if (set) return this.applyStaged(set, started);
        const files = applyDiffToWorkspace(this.o.workspace, action.diff);
        return { exitCode: 0, durationMs: Date.now() - started, output: `applied the edit to ${files.join(', ')}` };
      }
      case 'command':
        return this.runCommand(action, opts, started);
    }
  }

  private async runCommand(action: Extract<Action, { kind: 'command' }>, opts: { signal?: AbortSignal }, started: number): Promise<ExecutionResult> {
    let result;
    try {
      result = await this.manager.exec({
        command: action.command,
        ...(action.cwd ? { cwd: action.cwd } : {}),
        timeoutMs: this.o.timeoutMs ?? 10 * 60_000,
        maxOutput: this.o.maxOutput ?? 1 << 20,
        ...(this.o.onStdout ? { onStdout: this.o.onStdout } : {}),
        ...(this.o.onStderr ? { onStderr: this.o.onStderr } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if (err instanceof SandboxUnavailable) throw new ContainmentUnavailable(err.message);
      throw err;
    }
    const text = result.stdout.toString('utf8') + (result.stderr.length ? result.stderr.toString('utf8') : '');
    const digest = createHash('sha256').update(result.stdout).update(result.stderr).digest('hex');
    let note = '';
    this.lastStaged = undefined;
    if (result.changes && result.changes.changes.length) {
      const staged = await this.judgeStaged(result.changes, action.command);
      this.lastStaged = staged;
      note = `\n[airlock] ${staged.files} file(s) changed in the sandbox: ${staged.applied ? `applied to the workspace${staged.decision && staged.decision !== 'auto' ? ` after review (${staged.decision})` : ''}` : staged.keptAside ? `not applied (needs review; kept aside in ${staged.keptAside})` : `not applied (${staged.decision ?? 'declined'})`}${staged.conflicts.length ? `; conflicts with newer workspace edits: ${staged.conflicts.join(', ')}` : ''}`;
    }
    const cached = result.changes?.sandboxOnly.length ?? 0;
    if (cached) note += `\n[airlock] ${cached} cache file(s) (${result.changes?.sandboxOnly[0]}${cached > 1 ? ', …' : ''}) stay in the sandbox copy; caches are not copied to the workspace`;
    if (result.timedOut) note += `\n[airlock] timed out after ${Math.round((this.o.timeoutMs ?? 600_000) / 1000)} s; the command was stopped`;
    if (result.truncated) note += '\n[airlock] output truncated';
    return {
      exitCode: result.exitCode,
      durationMs: Date.now() - started,
      output: text + note,
      outputDigest: digest,
      network: result.network.map((n) => ({ host: n.host, allowed: n.allowed })),
    };
  }

  /** Sends the copy's changes through the broker as an edit and applies, reverts or keeps them aside. */
  private async judgeStaged(set: ChangeSet, command: string): Promise<StagedOutcome> {
    const staged = this.manager.stagedWorkspace;
    if (!staged) throw new Error('staged changes without a staged workspace');
    const shown = set.changes.filter((c) => !c.gitMeta);
    if (shown.length === 0) {
      // Only git's bookkeeping (objects, refs, index) changed: the command itself was judged already.
      const { conflicts } = staged.apply(set);
      return { files: set.changes.length, applied: conflicts.length === 0, conflicts, decision: 'auto' };
    }
    if (!this.broker) throw new Error('the contained executor has no broker to judge staged changes');
    this.lastConflicts = [];
    this.stagedSets.set(diffKey(set.diff), set);
    let result: BrokerResult;
    try {
      result = await this.broker.submit({ kind: 'edit', diff: set.diff }, { agent: `changes made by: ${command.slice(0, 200)}`, connector: 'staged-writes' });
    } finally {
      this.stagedSets.delete(diffKey(set.diff));
    }
    if (result.outcome === 'ran' || (result.outcome === 'failed' && this.lastConflicts.length)) return { files: shown.length, decision: result.decision ?? 'auto', applied: true, conflicts: this.lastConflicts };
    const nobody = (result.decidedBy ?? '').startsWith('nobody');
    const keptAside = nobody || result.outcome === 'expired' ? staged.keepAside(set, result.id ?? `changes-${Date.now()}`) : undefined;
    await staged.revert(set);
    if (keptAside) this.o.onKeptAside?.(keptAside, set, result);
    return { files: shown.length, ...(result.decision ? { decision: result.decision } : {}), applied: false, ...(keptAside ? { keptAside } : {}), conflicts: [] };
  }

  private lastConflicts: string[] = [];

  private applyStaged(set: ChangeSet, started: number): ExecutionResult {
    const staged = this.manager.stagedWorkspace;
    if (!staged) throw new ContainmentUnavailable('the staging copy is gone; the changes were not applied');
    const { applied, conflicts } = staged.apply(set);
    this.lastConflicts = conflicts;
    if (conflicts.length) {
      const dir = staged.keepAside({ ...set, changes: set.changes.filter((c) => conflicts.includes(c.path)) }, `conflict-${Date.now()}`);
      return { exitCode: 1, durationMs: Date.now() - started, output: `applied ${applied.length} file(s); ${conflicts.length} changed in the workspace since and were kept aside in ${dir}: ${conflicts.join(', ')}` };
    }
    return { exitCode: 0, durationMs: Date.now() - started, output: `applied ${applied.length} file(s) from the sandbox` };
  }
}

function diffKey(diff: string): string {
  return createHash('sha256').update(diff).digest('hex');
}
