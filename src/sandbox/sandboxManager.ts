import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { EffectivePolicy } from '../policy/layering';
import { EgressProxy, HEALTH_PATH, type EgressEvent, type HostClassifier } from './egressProxy';
import { DEFAULT_HARDENING, type Hardening } from './hardening';
import { StagedWorkspace, type ChangeSet } from './stagedWorkspace';
import { SandboxUnavailable, type BackendName, type RunningSandbox, type SandboxBackend } from './backend';
import { DevcontainerBackend } from './devcontainerBackend';
import { BubblewrapBackend, SANDBOX_UID } from './bubblewrapBackend';
import type { RunRequest, RunResult } from './execChannel';

export type SandboxState = { state: 'stopped' } | { state: 'starting'; step: string } | { state: 'ready'; describe: string } | { state: 'failed'; reason: string };

export interface SandboxSettings {
  backend: BackendName;
  mode: 'staged' | 'direct';
  hardening: Hardening;
  network: { allow: string[]; deny: string[] };
}

export function sandboxSettings(policy: EffectivePolicy, override?: { backend?: BackendName }): SandboxSettings {
  const s = policy.sandbox;
  return {
    backend: override?.backend ?? s.backend ?? 'devcontainer',
    mode: s.mode,
    hardening: {
      capabilities: s.capabilities,
      memoryMb: s.memoryMb ?? DEFAULT_HARDENING.memoryMb,
      cpus: s.cpus ?? DEFAULT_HARDENING.cpus,
      pids: s.pids ?? DEFAULT_HARDENING.pids,
      forwardSshAgent: s.forwardSshAgent,
    },
    network: policy.network,
  };
}

export interface SandboxManagerOptions {
  workspace: string;
  /** Airlock's state for this machine (outside the workspace): copies, merged configs, kept-aside changes. */
  stateRoot: string;
  settings: SandboxSettings;
  /** The exec agent script (dist/sandbox-agent.js). */
  agentPath: string;
  askUnlisted: (host: string, port: number, commands: string[]) => Promise<boolean>;
  classifyHost: HostClassifier;
  onEgress?: (event: EgressEvent) => void;
  onState?: (state: SandboxState) => void;
}

export interface ContainedResult extends RunResult {
  changes?: ChangeSet;
  network: EgressEvent[];
}

/**
 * Owns everything a sandbox needs and tears it all down: the egress proxy, the backend (container and
 * network, or bubblewrap), the exec channel and the staged copy. It starts on first use, verifies
 * containment from inside before anything runs, and refuses to run when it cannot.
 */
export class SandboxManager {
  readonly id: string;
  readonly stateDir: string;
  private backend?: SandboxBackend;
  private running?: RunningSandbox;
  private proxy?: EgressProxy;
  private staged?: StagedWorkspace;
  private starting?: Promise<RunningSandbox>;
  private current: SandboxState = { state: 'stopped' };
  private readonly egressLog: EgressEvent[] = [];

  constructor(private readonly o: SandboxManagerOptions) {
    const real = existsSync(o.workspace) ? realpathSync(o.workspace) : o.workspace;
    this.id = createHash('sha256').update(real).digest('hex').slice(0, 12);
    this.stateDir = join(o.stateRoot, 'sandboxes', this.id);
  }

  get state(): SandboxState {
    return this.current;
  }

  get mode(): 'staged' | 'direct' {
    return this.o.settings.mode;
  }

  get workspaceFolder(): string | undefined {
    return this.running?.workspaceFolder;
  }

  get stagedWorkspace(): StagedWorkspace | undefined {
    return this.staged;
  }

  private setState(s: SandboxState): void {
    this.current = s;
    this.o.onState?.(s);
  }

  start(): Promise<RunningSandbox> {
    if (this.running?.channel.alive) return Promise.resolve(this.running);
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<RunningSandbox> {
    const progress = (step: string) => this.setState({ state: 'starting', step });
    try {
      const s = this.o.settings;
      this.backend = s.backend === 'bubblewrap' ? new BubblewrapBackend() : new DevcontainerBackend();
      this.proxy = new EgressProxy({
        rules: s.network,
        classify: this.o.classifyHost,
        askUnlisted: this.o.askUnlisted,
        onEvent: (e) => {
          this.egressLog.push(e);
          this.o.onEgress?.(e);
        },
      });
      let mountSource = this.o.workspace;
      if (s.mode === 'staged') {
        const owner = process.getuid?.() === 0 ? { uid: SANDBOX_UID, gid: SANDBOX_UID } : undefined;
        this.staged = new StagedWorkspace(this.o.workspace, join(this.stateDir, 'copy'), this.stateDir, owner);
        this.staged.prepare(progress);
        mountSource = this.staged.copy;
      }
      const running = await this.backend.start({ workspace: this.o.workspace, mountSource, stateDir: this.stateDir, id: this.id, hardening: s.hardening, proxy: this.proxy, agentPath: this.pinnedAgent(), onProgress: progress });
      progress('verifying containment from inside the sandbox');
      await this.verify(running);
      this.running = running;
      this.setState({ state: 'ready', describe: running.describe });
      return running;
    } catch (err) {
      const reason = err instanceof SandboxUnavailable ? err.message : `the sandbox could not start: ${(err as Error).message}`;
      await this.stop(false).catch(() => undefined);
      this.setState({ state: 'failed', reason });
      throw new SandboxUnavailable(reason);
    }
  }

  /**
   * A copy of the exec agent named by its content: a bind-mounted file keeps its inode, so a rebuilt agent
   * must be a new file, and a new name also changes the container's config (so an upgrade rebuilds it).
   */
  private pinnedAgent(): string {
    const code = readFileSync(this.o.agentPath);
    const file = join(this.stateDir, `exec-agent-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.js`);
    if (!existsSync(file)) {
      mkdirSync(this.stateDir, { recursive: true });
      writeFileSync(file, code, { mode: 0o644 });
    }
    return file;
  }

  /** From inside: the proxy answers with its token; an outside address, the host's services and outside names do not. */
  private async verify(r: RunningSandbox): Promise<void> {
    const failures: string[] = [];
    const canary = await listenCanary();
    // All probes at once: the negative ones end on their timeouts, so running them in parallel is what keeps a start short.
    const [health, outside, dns, ...canaries] = await Promise.all([
      r.channel.probe('http', r.proxyHost, r.proxyPort, HEALTH_PATH, 5000),
      r.channel.probe('tcp', '1.1.1.1', 443, undefined, 2000),
      r.channel.probe('dns', 'registry.npmjs.org', undefined, undefined, 1500),
      ...r.canaryHosts.map((host) => r.channel.probe('tcp', host, canary.port, undefined, 1500)),
    ]).finally(() => canary.server.close());
    if (!health.ok || health.detail.trim() !== this.proxy?.healthToken) failures.push(`the egress proxy at ${r.proxyHost}:${r.proxyPort} is not reachable from inside (${health.detail})`);
    canaries.forEach((c, i) => {
      if (c.ok) failures.push(`a service on the host (${r.canaryHosts[i]}:${canary.port}) is reachable from inside; only the proxy may be`);
    });
    if (outside.ok) failures.push('an outside address (1.1.1.1:443) is reachable directly, bypassing the proxy');
    if (dns.ok) failures.push(`outside names resolve inside (registry.npmjs.org → ${dns.detail}): DNS is a way out`);
    if (this.o.settings.mode === 'direct') {
      // Direct mode mounts the person's folder as it is; the sandbox user must own it (or be let in) to work there.
      // Run in the folder itself: a folder the user cannot enter fails the probe's start, which counts as a failure.
      const probe = await r.channel.run({ command: 'test -r . && test -w .', cwd: r.workspaceFolder, timeoutMs: 5000 }).catch(() => undefined);
      if (!probe || probe.exitCode !== 0) failures.push(`direct mode: the workspace ${r.workspaceFolder} is not readable and writable by the sandbox user (uid ${SANDBOX_UID}); give that uid access (e.g. chown -R ${SANDBOX_UID} the folder) or use staged mode`);
    }
    if (failures.length) throw new SandboxUnavailable(`containment could not be verified, so nothing will run:\n  - ${failures.join('\n  - ')}`);
  }

  /** Runs one command contained. In staged mode, the workspace's own edits go in first and the command's changes come back as a change set. */
  async exec(req: Omit<RunRequest, 'cwd'> & { cwd?: string }): Promise<ContainedResult> {
    if (this.o.settings.mode !== 'staged') return this.execNow(req);
    // Staged: one command at a time, so each change set holds exactly what its own command did.
    const turn = this.stagedQueue.then(() => this.execNow(req));
    this.stagedQueue = turn.catch(() => undefined);
    return turn;
  }

  private stagedQueue: Promise<unknown> = Promise.resolve();

  private async execNow(req: Omit<RunRequest, 'cwd'> & { cwd?: string }): Promise<ContainedResult> {
    const running = await this.start();
    if (this.staged) await this.staged.syncIn();
    const cwd = req.cwd ? resolveInside(running.workspaceFolder, req.cwd) : running.workspaceFolder;
    const done = this.proxy?.commandStarted(req.command);
    const seen = this.egressLog.length;
    try {
      const result = await running.channel.run({ ...req, cwd });
      const changes = this.staged ? await this.staged.collect() : undefined;
      return { ...result, ...(changes ? { changes } : {}), network: this.egressLog.slice(seen) };
    } finally {
      done?.();
    }
  }

  /** Stops processes and the proxy; `remove` also removes the container, network and firewall rules. */
  async stop(remove = false): Promise<void> {
    await this.backend?.stop(remove);
    await this.proxy?.close();
    this.staged?.dispose();
    this.running = undefined;
    this.proxy = undefined;
    this.staged = undefined;
    this.setState({ state: 'stopped' });
  }

  /** Everything Airlock created for this workspace, including the staging copy (kept-aside changes stay). */
  async destroy(): Promise<void> {
    await this.stop(true);
    const backend = this.o.settings.backend === 'bubblewrap' ? new BubblewrapBackend() : new DevcontainerBackend();
    await backend.destroy(this.id);
    rmSync(join(this.stateDir, 'copy'), { recursive: true, force: true });
  }
}

function resolveInside(folder: string, cwd: string): string {
  if (cwd.startsWith('/')) return cwd;
  return `${folder}/${cwd}`.replace(/\/\.(?=\/|$)/g, '');
}

function listenCanary(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => s.destroy());
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}
