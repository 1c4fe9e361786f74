import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExecChannel } from './execChannel';
import { runCli } from './dockerCli';
import { PROTECTED_DIRS, PROTECTED_FILES, proxyEnv } from './hardening';
import { SandboxUnavailable, type BackendStartOptions, type RunningSandbox, type SandboxBackend } from './backend';

const SANDBOX_UID = 1000;
const PROXY_PORT = 3128;

/**
 * The fallback where there is no Docker: the same policy with Linux namespaces. Every namespace is new
 * (no network at all: the proxy arrives as a Unix socket the exec agent bridges to 127.0.0.1), the host's
 * root is read-only, home folders and /run (the Docker socket) are empty tmpfs, the workspace is the staged
 * copy (or the workspace with protected paths read-only), and process and memory limits are rlimits.
 * When Airlock runs as root, the sandbox drops to an unprivileged uid before bubblewrap starts.
 */
export class BubblewrapBackend implements SandboxBackend {
  readonly name = 'bubblewrap' as const;
  private channel?: ExecChannel;
  private socketDir?: string;

  async unavailable(): Promise<string | undefined> {
    const r = await runCli('bwrap', ['--version'], { timeoutMs: 10_000 });
    if (r.code === 127) return 'bubblewrap is not installed (install it, e.g. `apt-get install bubblewrap`)';
    const probe = await runCli('bwrap', ['--unshare-all', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', 'true'], { timeoutMs: 10_000 });
    if (probe.code !== 0) return `bubblewrap cannot create namespaces here (${probe.stderr.trim()}); enable unprivileged user namespaces or use the devcontainer backend`;
    return undefined;
  }

  async start(o: BackendStartOptions): Promise<RunningSandbox> {
    const why = await this.unavailable();
    if (why) throw new SandboxUnavailable(why);
    this.socketDir = join(o.stateDir, 'bwrap-run');
    rmSync(this.socketDir, { recursive: true, force: true });
    mkdirSync(this.socketDir, { recursive: true, mode: 0o755 });
    const socket = join(this.socketDir, 'proxy.sock');
    await o.proxy.listenUnix(socket);
    const root = process.getuid?.() === 0;
    if (root) chmodSync(socket, 0o666); // the sandbox's user connects to it; only root can reach the folder on the host
    const folder = o.workspace;
    const env = { ...proxyEnv(`http://127.0.0.1:${PROXY_PORT}`), HOME: '/home/airlock', USER: 'airlock', PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', AIRLOCK_PROXY_SOCKET: '/run/airlock/proxy.sock', AIRLOCK_PROXY_PORT: String(PROXY_PORT) };
    // As root: new namespaces without a user namespace (so the sandbox's uid is a real unprivileged uid on the
    // host, not root in disguise), mounts made as root, then setpriv drops to that uid with no capabilities.
    // As a user: a user namespace too, and the user's own uid.
    const namespaces = root ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try'] : ['--unshare-all'];
    const args = [...namespaces, '--die-with-parent', '--new-session', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/run', '--tmpfs', '/var/tmp', '--tmpfs', '/home', '--tmpfs', '/root'];
    const home = homedir();
    if (home && home !== '/' && !home.startsWith('/home/') && home !== '/root') args.push('--tmpfs', home);
    args.push('--dir', '/home/airlock', '--bind', o.mountSource, folder);
    for (const rel of PROTECTED_DIRS) {
      const p = join(o.mountSource, rel);
      if (existsSync(p)) args.push('--ro-bind', p, join(folder, rel));
      else if (!rel.startsWith('.git/') || existsSync(join(o.mountSource, '.git'))) {
        // An empty read-only stand-in, so the sandbox cannot create the folder either.
        const empty = join(o.stateDir, 'empty', rel.replace(/\//g, '_'));
        mkdirSync(empty, { recursive: true });
        args.push('--ro-bind', empty, join(folder, rel));
      }
    }
    for (const rel of PROTECTED_FILES) {
      const p = join(o.mountSource, rel);
      if (existsSync(p)) args.push('--ro-bind', p, join(folder, rel));
    }
    args.push('--perms', '0755', '--dir', '/run/airlock', '--ro-bind', o.agentPath, '/run/airlock/exec-agent.js', '--bind', socket, '/run/airlock/proxy.sock', '--chdir', folder, '--clearenv');
    for (const [k, v] of Object.entries(env)) args.push('--setenv', k, v);
    if (root) args.push('--chmod', '0777', '/home/airlock', 'setpriv', `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs');
    // rlimits last, as the unprivileged user: root ignores RLIMIT_NPROC.
    args.push('prlimit', `--nproc=${o.hardening.pids}`, `--data=${o.hardening.memoryMb * 1024 * 1024}`, process.execPath, '/run/airlock/exec-agent.js');
    const cmd = 'bwrap';
    const full = args;
    o.onProgress('starting the bubblewrap sandbox');
    const proc = spawn(cmd, full, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.channel = new ExecChannel(proc, 'bubblewrap');
    const ready = await Promise.race([this.channel.ready, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no answer in 15 s')), 15_000).unref())]).catch((err: Error) => {
      throw new SandboxUnavailable(`the bubblewrap sandbox did not start: ${err.message}`);
    });
    if (ready.uid === 0) throw new SandboxUnavailable('the bubblewrap sandbox runs as root; Airlock needs it unprivileged');
    return { channel: this.channel, workspaceFolder: folder, proxyHost: '127.0.0.1', proxyPort: PROXY_PORT, canaryHosts: ['127.0.0.1'], describe: `bubblewrap (pid ${proc.pid})` };
  }

  destroy(): Promise<void> {
    return this.stop();
  }

  stop(): Promise<void> {
    this.channel?.close();
    this.channel = undefined;
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
    return Promise.resolve();
  }
}

export { SANDBOX_UID };
