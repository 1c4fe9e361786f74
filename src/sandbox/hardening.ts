/**
 * Airlock's hardening, layered over a workspace's own devcontainer.json, never under it. A setting that
 * would weaken containment is refused with a message saying which and why; it is never silently dropped,
 * because the person who wrote it should know the sandbox does not do what their config says.
 */

export interface Hardening {
  /** Linux capabilities the policy adds back (all are dropped). */
  capabilities: string[];
  memoryMb: number;
  cpus: number;
  pids: number;
  forwardSshAgent: boolean;
}

export const DEFAULT_HARDENING: Hardening = { capabilities: [], memoryMb: 2048, cpus: 2, pids: 512, forwardSshAgent: false };

/** Paths inside the workspace the sandbox sees read-only: Airlock's own policy, git's hooks and config, and
 * everything that runs on someone else's machine or the editor's (CI, devcontainer, editor tasks). */
export const PROTECTED_DIRS = ['.airlock', '.git/hooks', '.devcontainer', '.vscode', '.github/workflows', '.circleci'];
export const PROTECTED_FILES = ['.git/config', '.gitlab-ci.yml', '.gitattributes'];

/** docker run flags a workspace may use: harmless to containment. Anything else is refused (fail closed). */
const SAFE_FLAGS = new Set(['--init', '-e', '--env', '-l', '--label', '--add-host', '-h', '--hostname', '--shm-size', '--tmpfs', '--read-only', '-w', '--workdir', '--cap-drop']);
const FLAGS_WITH_VALUE = new Set(['-e', '--env', '-l', '--label', '--add-host', '-h', '--hostname', '--shm-size', '--tmpfs', '-w', '--workdir', '--cap-drop']);

const WHY: Record<string, string> = {
  '--privileged': 'gives the container every capability and the host devices',
  '--cap-add': 'adds Linux capabilities back (name them in the Airlock policy `sandbox.capabilities` instead)',
  '--security-opt': 'changes seccomp/AppArmor/no-new-privileges',
  '--network': 'Airlock chooses the network: its only way out is the egress proxy',
  '--net': 'Airlock chooses the network: its only way out is the egress proxy',
  '--pid': 'shares the host process namespace',
  '--ipc': 'shares IPC with the host or other containers',
  '--uts': 'shares the host UTS namespace',
  '--userns': 'changes user namespace isolation',
  '--device': 'passes host devices in',
  '-v': 'mounts host paths',
  '--volume': 'mounts host paths',
  '--mount': 'mounts host paths',
  '--volumes-from': 'mounts another container’s volumes',
  '-u': 'Airlock chooses the (non-root) user',
  '--user': 'Airlock chooses the (non-root) user',
  '--group-add': 'adds groups (e.g. the docker group)',
  '--runtime': 'changes the container runtime',
  '--cgroupns': 'shares the host cgroup namespace',
  '--env-file': 'reads a file from the host',
  '--ulimit': 'Airlock sets the limits',
  '--memory': 'Airlock sets the limits (policy `sandbox.memoryMb`)',
  '-m': 'Airlock sets the limits (policy `sandbox.memoryMb`)',
  '--cpus': 'Airlock sets the limits (policy `sandbox.cpus`)',
  '--pids-limit': 'Airlock sets the limits (policy `sandbox.pids`)',
  '--dns': 'the sandbox resolves names only through the egress proxy',
  '-p': 'publishes ports on the host',
  '--publish': 'publishes ports on the host',
};

export interface ConfigRefusal {
  key: string;
  message: string;
}

type Json = Record<string, unknown>;

function isRootUser(user: unknown): boolean {
  return typeof user === 'string' && /^(root|0)(:.*)?$/.test(user.trim());
}

/** Every setting in a workspace devcontainer.json that Airlock will not apply, with why. */
export function checkDevcontainerConfig(config: Json, hardening: Hardening): ConfigRefusal[] {
  const out: ConfigRefusal[] = [];
  const refuse = (key: string, message: string) => out.push({ key, message });
  if (config.privileged === true) refuse('privileged', 'privileged containers can take over the host');
  for (const cap of asStrings(config.capAdd)) if (!hardening.capabilities.includes(cap.toUpperCase().replace(/^CAP_/, ''))) refuse('capAdd', `capability ${cap} is not in the Airlock policy's sandbox.capabilities`);
  for (const opt of asStrings(config.securityOpt)) if (!/^no-new-privileges(:true)?$/.test(opt)) refuse('securityOpt', `"${opt}" changes seccomp/AppArmor/no-new-privileges`);
  if (config.initializeCommand !== undefined) refuse('initializeCommand', 'it runs on the host, outside any sandbox');
  if (config.dockerComposeFile !== undefined) refuse('dockerComposeFile', 'Docker Compose configurations choose their own networks; Airlock supports image and Dockerfile configurations');
  if (config.workspaceMount !== undefined) refuse('workspaceMount', 'Airlock mounts the workspace (its staged copy, or read-write with protected paths read-only)');
  if (isRootUser(config.containerUser)) refuse('containerUser', 'the sandbox runs as a non-root user');
  if (isRootUser(config.remoteUser)) refuse('remoteUser', 'the sandbox runs as a non-root user');
  if (config.appPort !== undefined) refuse('appPort', 'publishes container ports on the host');
  const mounts = Array.isArray(config.mounts) ? config.mounts : [];
  mounts.forEach((m, i) => {
    const type = typeof m === 'string' ? /(?:^|,)type=([^,]+)/.exec(m)?.[1] ?? 'volume' : typeof m === 'object' && m ? String((m as Json).type ?? 'volume') : 'invalid';
    if (type !== 'volume' && type !== 'tmpfs') refuse(`mounts[${i}]`, `a ${type} mount exposes host files; only volume and tmpfs mounts are allowed`);
    const text = typeof m === 'string' ? m : JSON.stringify(m);
    if (/docker\.sock/.test(text)) refuse(`mounts[${i}]`, 'mounts the Docker socket (root on the host)');
  });
  const args = asStrings(config.runArgs);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const [flag = '', inline] = arg.startsWith('--') ? [arg.split('=')[0], arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined] : [arg.slice(0, 2), arg.length > 2 ? arg.slice(2) : undefined];
    if (!flag.startsWith('-')) continue; // a value of the previous flag
    if (flag === '--cap-add') {
      const value = inline ?? args[i + 1] ?? '';
      if (inline === undefined) i++;
      if (!hardening.capabilities.includes(value.toUpperCase().replace(/^CAP_/, ''))) refuse(`runArgs[${i}]`, `--cap-add ${value}: ${WHY['--cap-add']}`);
      continue;
    }
    if (flag === '--security-opt') {
      const value = inline ?? args[i + 1] ?? '';
      if (inline === undefined) i++;
      if (!/^no-new-privileges(:true)?$/.test(value)) refuse(`runArgs[${i}]`, `--security-opt ${value}: ${WHY['--security-opt']}`);
      continue;
    }
    if (SAFE_FLAGS.has(flag)) {
      if (FLAGS_WITH_VALUE.has(flag) && inline === undefined) i++;
      continue;
    }
    refuse(`runArgs[${i}]`, `${arg}: ${WHY[flag] ?? 'not a docker run flag Airlock knows to be harmless to containment'}`);
  }
  return out;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export interface MergeInput {
  config: Json;
  hardening: Hardening;
  network: string;
  /** Host folder mounted as the workspace (the staged copy, or the workspace itself in direct mode). */
  mountSource: string;
  workspaceFolder: string;
  /** Protected paths that exist, and empty read-only stand-ins for protected folders that do not. */
  readOnlyMounts: { source: string; target: string }[];
  agentPath: string;
  proxyUrl: string;
  user: string;
  labels: Record<string, string>;
}

/** Airlock's own image (scripts/sandbox-setup builds it offline); the tag changes when its contents do. */
export const DEFAULT_IMAGE = 'airlock/base:bookworm-2';

export const AGENT_TARGET = '/opt/airlock/exec-agent.js';

/** The config Airlock actually runs: the workspace's settings, then every hardening setting on top. */
export function mergeHardened(m: MergeInput): Json {
  const env = proxyEnv(m.proxyUrl);
  const caps = m.hardening.capabilities.map((c) => `--cap-add=${c}`);
  const mountArg = (type: string, source: string, target: string, ro: boolean) => `type=${type},source=${source},target=${target}${ro ? ',readonly' : ''}`;
  return {
    ...m.config,
    name: typeof m.config.name === 'string' ? m.config.name : 'Airlock sandbox',
    image: m.config.image ?? (m.config.build ? undefined : DEFAULT_IMAGE),
    workspaceMount: mountArg('bind', m.mountSource, m.workspaceFolder, false),
    workspaceFolder: m.workspaceFolder,
    containerUser: m.user,
    remoteUser: m.user,
    updateRemoteUserUID: false,
    privileged: false,
    capAdd: [],
    securityOpt: ['no-new-privileges:true'],
    mounts: [...(Array.isArray(m.config.mounts) ? m.config.mounts : []), ...m.readOnlyMounts.map((r) => mountArg('bind', r.source, r.target, true)), mountArg('bind', m.agentPath, AGENT_TARGET, true)],
    containerEnv: { ...(m.config.containerEnv as Json | undefined), ...env },
    remoteEnv: { ...(m.config.remoteEnv as Json | undefined), ...env },
    runArgs: [
      ...asStrings(m.config.runArgs),
      '--cap-drop=ALL',
      ...caps,
      '--security-opt=no-new-privileges:true',
      `--network=${m.network}`,
      `--pids-limit=${m.hardening.pids}`,
      `--memory=${m.hardening.memoryMb}m`,
      `--memory-swap=${m.hardening.memoryMb}m`,
      `--cpus=${m.hardening.cpus}`,
      ...Object.entries(m.labels).map(([k, v]) => `--label=${k}=${v}`),
    ],
  };
}

export function proxyEnv(proxyUrl: string): Record<string, string> {
  return {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    ALL_PROXY: proxyUrl,
    NO_PROXY: '',
    no_proxy: '',
    npm_config_proxy: proxyUrl,
    npm_config_https_proxy: proxyUrl,
    PIP_PROXY: proxyUrl,
    // Nothing the sandbox does should look like it came from a person's terminal.
    GIT_TERMINAL_PROMPT: '0',
  };
}

export interface InspectedContainer {
  HostConfig?: { Privileged?: boolean; CapAdd?: string[] | null; CapDrop?: string[] | null; SecurityOpt?: string[] | null; NetworkMode?: string; PidsLimit?: number | null; Memory?: number; PidMode?: string; IpcMode?: string; Devices?: unknown[] | null };
  Config?: { User?: string };
  Mounts?: { Type?: string; Source?: string; Destination?: string; RW?: boolean }[];
}

/**
 * The running container checked against the hardening, after the Dev Containers CLI merged in features and
 * image metadata (which can ask for `privileged`, capabilities or mounts of their own). Returns what is wrong.
 */
export function verifyContainer(c: InspectedContainer, expect: { network: string; hardening: Hardening; allowedBinds: string[] }): string[] {
  const bad: string[] = [];
  const h = c.HostConfig ?? {};
  if (h.Privileged) bad.push('it is privileged');
  const extraCaps = (h.CapAdd ?? []).filter((cap) => !expect.hardening.capabilities.includes(cap.replace(/^CAP_/, '')));
  if (extraCaps.length) bad.push(`it has capabilities added: ${extraCaps.join(', ')}`);
  if (!(h.CapDrop ?? []).some((cap) => cap.toUpperCase() === 'ALL')) bad.push('capabilities are not all dropped');
  if (!(h.SecurityOpt ?? []).some((o) => o.startsWith('no-new-privileges'))) bad.push('no-new-privileges is not set');
  for (const o of h.SecurityOpt ?? []) if (/unconfined/.test(o)) bad.push(`security option ${o}`);
  if (h.NetworkMode !== expect.network) bad.push(`its network is ${h.NetworkMode ?? 'unknown'}, not ${expect.network}`);
  if (!h.PidsLimit || h.PidsLimit > expect.hardening.pids) bad.push('no process limit');
  if (!h.Memory || h.Memory > expect.hardening.memoryMb * 1024 * 1024) bad.push('no memory limit');
  if (h.PidMode === 'host' || h.IpcMode === 'host') bad.push('it shares host namespaces');
  if ((h.Devices ?? []).length) bad.push('host devices are passed in');
  const user = c.Config?.User ?? '';
  if (!user || isRootUser(user)) bad.push(`it runs as ${user || 'the image default (root)'}`);
  for (const m of c.Mounts ?? []) {
    if (m.Type === 'bind' && !expect.allowedBinds.includes(m.Source ?? '')) bad.push(`host path ${m.Source} is mounted at ${m.Destination}`);
    if (/docker\.sock/.test(m.Source ?? '')) bad.push('the Docker socket is mounted');
  }
  return bad;
}
