import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { agentFrameSchema, MAX_FRAME_BYTES, type AgentFrame, type HostFrame } from './execProtocol';

export interface RunRequest {
  command: string;
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Total bytes of stdout + stderr kept; the rest is counted as truncated, not buffered. */
  maxOutput?: number;
  stdin?: Buffer | string;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  signal: string | null;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
  stdout: Buffer;
  stderr: Buffer;
}

export class ChannelClosed extends Error {
  override name = 'ChannelClosed';
}

interface Pending {
  onFrame: (frame: AgentFrame) => void;
  fail: (err: Error) => void;
}

/**
 * The host end of the one long-lived channel into a sandbox: many commands at once over one agent
 * process, each with its own streams, exit status, timeout and signals. The transport (`docker exec -i`,
 * `bwrap`) is started by the backend and handed over already running.
 */
export class ExecChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closedWith?: Error;
  readonly ready: Promise<{ pid: number; uid: number; node: string }>;
  private stderrTail = '';

  constructor(
    private readonly proc: ChildProcess,
    private readonly label: string,
  ) {
    let readyResolve!: (v: { pid: number; uid: number; node: string }) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.ready.catch(() => undefined);
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (d: string) => (this.stderrTail = (this.stderrTail + d).slice(-4000)));
    const lines = createInterface({ input: proc.stdout!, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.length > MAX_FRAME_BYTES * 2) return this.shutdown(new ChannelClosed(`${label}: the sandbox sent an oversized frame; channel closed`));
      let frame: AgentFrame;
      try {
        frame = agentFrameSchema.parse(JSON.parse(line));
      } catch {
        return this.shutdown(new ChannelClosed(`${label}: the sandbox sent a malformed frame; channel closed`));
      }
      if (frame.t === 'ready') return readyResolve(frame);
      if (frame.t === 'error' && frame.id === null) return this.shutdown(new ChannelClosed(`${label}: exec agent error: ${frame.message}`));
      if (frame.id !== null) this.pending.get(frame.id)?.onFrame(frame);
    });
    proc.on('exit', (code, signal) => {
      const err = new ChannelClosed(`${label}: the exec channel ended (exit ${code ?? signal})${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}`);
      readyReject(err);
      this.shutdown(err);
    });
    proc.on('error', (err) => {
      readyReject(err);
      this.shutdown(new ChannelClosed(`${label}: could not start the exec channel: ${err.message}`));
    });
  }

  get alive(): boolean {
    return !this.closedWith;
  }

  private send(frame: HostFrame): void {
    if (this.closedWith) throw this.closedWith;
    this.proc.stdin?.write(JSON.stringify(frame) + '\n');
  }

  run(req: RunRequest): Promise<RunResult> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    return new Promise<RunResult>((resolve, reject) => {
      const onAbort = () => {
        try {
          this.send({ t: 'signal', id, signal: 'SIGTERM' });
        } catch {
          // channel gone: the command went with it
        }
      };
      const cleanup = () => {
        this.pending.delete(id);
        req.signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        fail: (e) => {
          cleanup();
          reject(e);
        },
        onFrame: (f) => {
          if (f.t === 'out') {
            const chunk = Buffer.from(f.data, 'base64');
            (f.fd === 1 ? out : err).push(chunk);
            (f.fd === 1 ? req.onStdout : req.onStderr)?.(chunk);
          } else if (f.t === 'exit') {
            cleanup();
            const exitCode = f.code ?? (f.signal ? 128 + (SIGNAL_NUMBERS[f.signal] ?? 0) : 1);
            resolve({ exitCode, signal: f.signal, timedOut: f.timedOut, truncated: f.truncated, durationMs: f.durationMs, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
          } else if (f.t === 'error') {
            cleanup();
            reject(new Error(`${this.label}: ${f.message}`));
          }
        },
      });
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const stdin = req.stdin === undefined ? undefined : Buffer.from(req.stdin).toString('base64');
      this.send({ t: 'run', id, cmd: req.command, cwd: req.cwd, env: req.env ?? {}, timeoutMs: req.timeoutMs ?? 0, maxOutput: req.maxOutput ?? 1 << 20, ...(stdin !== undefined ? { stdin } : {}) });
      if (req.signal?.aborted) onAbort();
    });
  }

  /** A network or name check made from inside the sandbox, as its commands would make it. */
  probe(kind: 'tcp' | 'dns' | 'http', host: string, port?: number, path?: string, timeoutMs = 3000): Promise<{ ok: boolean; detail: string }> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        fail: reject,
        onFrame: (f) => {
          this.pending.delete(id);
          if (f.t === 'probe') resolve({ ok: f.ok, detail: f.detail });
          else reject(new Error(`${this.label}: unexpected answer to a probe`));
        },
      });
      this.send({ t: 'probe', id, kind, host, timeoutMs, ...(port ? { port } : {}), ...(path ? { path } : {}) });
    });
  }

  close(): void {
    this.shutdown(new ChannelClosed(`${this.label}: closed`));
    this.proc.stdin?.end();
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }

  private shutdown(err: Error): void {
    if (this.closedWith) return;
    this.closedWith = err;
    for (const p of [...this.pending.values()]) p.fail(err);
    this.pending.clear();
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
