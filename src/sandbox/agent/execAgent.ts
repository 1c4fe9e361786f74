/**
 * The exec agent: runs inside the sandbox (container or bubblewrap namespace) for the sandbox's whole life,
 * so a command costs a process spawn, not a `docker exec` (~200 ms) or `devcontainer exec` (~3 s).
 * It speaks the frames of ../execProtocol.ts on stdin/stdout and uses nothing but Node's own modules,
 * because it runs on whatever Node the sandbox image has. It holds no privileges the commands lack: it is
 * the same unprivileged user, so nothing here is a security boundary; the container or namespace is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { lookup } from 'node:dns';
import { connect, createServer } from 'node:net';
import { get } from 'node:http';
import { createInterface } from 'node:readline';

type Frame = Record<string, unknown> & { t: string; id: number };

const send = (frame: Record<string, unknown>): void => {
  process.stdout.write(JSON.stringify(frame) + '\n');
};

const jobs = new Map<number, ChildProcess>();
const CHUNK = 256 * 1024;

function run(f: Frame): void {
  const id = f.id;
  const started = Date.now();
  const maxOutput = Number(f.maxOutput) || 1 << 20;
  let written = 0;
  let truncated = false;
  let timedOut = false;
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...(f.env as Record<string, string>) };
  delete env.AIRLOCK_PROXY_SOCKET;
  // detached: the command leads its own process group, so a timeout or signal reaches everything it started.
  const child = spawn('/bin/sh', ['-c', String(f.cmd)], { cwd: String(f.cwd), env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  jobs.set(id, child);
  const forward = (fd: 1 | 2) => (data: Buffer) => {
    for (let i = 0; i < data.length; i += CHUNK) {
      const part = data.subarray(i, i + CHUNK);
      if (written >= maxOutput) {
        truncated = true;
        return;
      }
      const room = maxOutput - written;
      const kept = part.length > room ? part.subarray(0, room) : part;
      if (kept.length < part.length) truncated = true;
      written += kept.length;
      send({ t: 'out', id, fd, data: kept.toString('base64') });
    }
  };
  child.stdout?.on('data', forward(1));
  child.stderr?.on('data', forward(2));
  child.stdin?.on('error', () => undefined);
  if (typeof f.stdin === 'string') child.stdin?.end(Buffer.from(f.stdin, 'base64'));
  const timeoutMs = Number(f.timeoutMs) || 0;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          killGroup(child, 'SIGTERM');
          setTimeout(() => killGroup(child, 'SIGKILL'), 2000).unref();
        }, timeoutMs)
      : undefined;
  child.on('error', (err) => {
    if (timer) clearTimeout(timer);
    jobs.delete(id);
    // spawn reports an unusable cwd as an error on /bin/sh; name the directory so the message points at the cause.
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'ENOENT' || code === 'ENOTDIR' ? ` (is the working directory ${String(f.cwd)} there and open to uid ${process.getuid?.()}?)` : '';
    send({ t: 'error', id, message: `could not start /bin/sh: ${err.message}${why}` });
  });
  child.on('close', (code, signal) => {
    if (timer) clearTimeout(timer);
    jobs.delete(id);
    // Whatever the command left running in its group goes with it.
    killGroup(child, 'SIGKILL');
    send({ t: 'exit', id, code, signal, timedOut, truncated, durationMs: Date.now() - started });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function probe(f: Frame): void {
  const id = f.id;
  const timeoutMs = Number(f.timeoutMs) || 3000;
  let answered = false;
  const done = (ok: boolean, detail: string) => {
    if (answered) return;
    answered = true;
    send({ t: 'probe', id, ok, detail: detail.slice(0, 4000) });
  };
  const host = String(f.host);
  if (f.kind === 'dns') {
    // No answer in time counts as "does not resolve": the check is whether names leak out, not how fast.
    setTimeout(() => done(false, 'timed out'), timeoutMs).unref();
    lookup(host, (err, address) => done(!err, err ? err.code ?? err.message : address));
    return;
  }
  if (f.kind === 'tcp') {
    const s = connect({ host, port: Number(f.port), timeout: timeoutMs });
    s.on('connect', () => {
      s.destroy();
      done(true, 'connected');
    });
    s.on('timeout', () => {
      s.destroy();
      done(false, 'timed out');
    });
    s.on('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message));
    return;
  }
  const req = get({ host, port: Number(f.port), path: String(f.path ?? '/'), timeout: timeoutMs }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (body += c));
    res.on('end', () => done(res.statusCode === 200, body));
  });
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message));
}

/** bubblewrap: the namespace has no network but loopback; the host's proxy arrives as a Unix socket. */
function bridgeProxy(socketPath: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer((client) => {
      const upstream = connect(socketPath);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', close);
      upstream.on('error', close);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

async function main(): Promise<void> {
  const socket = process.env.AIRLOCK_PROXY_SOCKET;
  if (socket) await bridgeProxy(socket, Number(process.env.AIRLOCK_PROXY_PORT ?? 3128));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let f: Frame;
    try {
      f = JSON.parse(line) as Frame;
    } catch {
      send({ t: 'error', id: null, message: 'malformed frame' });
      return;
    }
    switch (f.t) {
      case 'run':
        run(f);
        break;
      case 'stdin':
        jobs.get(f.id)?.stdin?.write(Buffer.from(String(f.data), 'base64'));
        break;
      case 'stdin-end':
        jobs.get(f.id)?.stdin?.end();
        break;
      case 'signal': {
        const child = jobs.get(f.id);
        if (child) killGroup(child, f.signal as NodeJS.Signals);
        break;
      }
      case 'probe':
        probe(f);
        break;
      default:
        send({ t: 'error', id: f.id ?? null, message: `unknown frame ${f.t}` });
    }
  });
  // The host went away: take every command down with the agent.
  lines.on('close', () => {
    for (const child of jobs.values()) killGroup(child, 'SIGKILL');
    process.exit(0);
  });
  send({ t: 'ready', pid: process.pid, uid: process.getuid?.() ?? -1, node: process.version });
}

void main().catch((err: Error) => {
  send({ t: 'error', id: null, message: err.message });
  process.exit(1);
});
