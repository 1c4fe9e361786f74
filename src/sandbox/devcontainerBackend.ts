import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { ExecChannel } from './execChannel';
import { docker, runCli } from './dockerCli';
import { AGENT_TARGET, DEFAULT_IMAGE, PROTECTED_DIRS, PROTECTED_FILES, checkDevcontainerConfig, mergeHardened, verifyContainer, type InspectedContainer } from './hardening';
import { SandboxUnavailable, type BackendStartOptions, type RunningSandbox, type SandboxBackend } from './backend';
import { installFirewall, removeFirewall } from './hostFirewall';

const DEFAULT_USER = 'airlock';

/** Where the Dev Containers CLI is: the copy shipped with Airlock (resolved at run time, not bundled). */
function devcontainerCli(): string {
  const candidates = [join(__dirname, '..', 'node_modules', '@devcontainers', 'cli', 'devcontainer.js'), join(__dirname, '..', '..', 'node_modules', '@devcontainers', 'cli', 'devcontainer.js'), join(process.cwd(), 'node_modules', '@devcontainers', 'cli', 'devcontainer.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new SandboxUnavailable('the Dev Containers CLI (@devcontainers/cli) is not installed with Airlock; reinstall Airlock or run `npm ci`');
  return found;
}

/** The workspace's own devcontainer.json, if it has one (jsonc), with the file it came from. */
export function readWorkspaceConfig(workspace: string): { config: Record<string, unknown>; file?: string } {
  for (const rel of ['.devcontainer/devcontainer.json', '.devcontainer.json']) {
    const file = join(workspace, rel);
    if (!existsSync(file)) continue;
    const errors: ParseError[] = [];
    const config = parseJsonc(readFileSync(file, 'utf8'), errors, { allowTrailingComma: true }) as unknown;
    if (errors.length || !config || typeof config !== 'object' || Array.isArray(config)) {
      throw new SandboxUnavailable(`${file} is not valid JSON with comments (offset ${errors[0]?.offset ?? 0}); fix it, or remove it to use Airlock's default sandbox`);
    }
    return { config: config as Record<string, unknown>, file };
  }
  return { config: {} };
}

/**
 * The default backend: a devcontainer started by the Dev Containers CLI from the workspace's own config (or
 * Airlock's default image), with the hardening layered on top, on an internal Docker network whose only
 * way out is the egress proxy. The CLI only creates and starts the container; commands go through one
 * long-lived `docker exec` into the exec agent.
 */
export class DevcontainerBackend implements SandboxBackend {
  readonly name = 'devcontainer' as const;
  private containerId?: string;
  private network?: string;
  private bridge?: string;
  private channel?: ExecChannel;

  async unavailable(): Promise<string | undefined> {
    const r = await runCli('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
    if (r.code === 127) return 'Docker is not installed (install Docker Engine, e.g. `apt-get install docker.io`, or use the bubblewrap backend)';
    if (r.code !== 0) return `the Docker Engine does not answer (${r.stderr.trim().split('\n').pop() ?? 'no output'}); start it (e.g. \`dockerd\`) or use the bubblewrap backend`;
    return undefined;
  }

  async start(o: BackendStartOptions): Promise<RunningSandbox> {
    const why = await this.unavailable();
    if (why) throw new SandboxUnavailable(why);
    const { config, file } = readWorkspaceConfig(o.workspace);
    const refusals = checkDevcontainerConfig(config, o.hardening);
    if (refusals.length) {
      throw new SandboxUnavailable(`${file ?? 'devcontainer.json'} asks for settings that would weaken the sandbox, so Airlock will not start it:\n${refusals.map((r) => `  - ${r.key}: ${r.message}`).join('\n')}\nRemove them (or run this workspace's devcontainer yourself, outside Airlock).`);
    }
    if (!file) {
      const image = await runCli('docker', ['image', 'inspect', DEFAULT_IMAGE], { timeoutMs: 15_000 });
      if (image.code !== 0) throw new SandboxUnavailable(`Airlock's default image ${DEFAULT_IMAGE} is not built; run \`sh scripts/sandbox-setup\` (as root, once) or add a .devcontainer/devcontainer.json`);
    }

    // The network: internal (no route out, no outside DNS); the host side of its bridge is where the proxy listens.
    this.network = `airlock-${o.id}`;
    o.onProgress(`preparing the sandbox network ${this.network}`);
    const exists = await runCli('docker', ['network', 'inspect', this.network]);
    if (exists.code !== 0) {
      // Docker has about 30 address pools for networks: sandboxes of folders that are gone give theirs back first.
      await this.removeOrphans();
      const created = await runCli('docker', ['network', 'create', '--internal', '--label', `airlock.workspace=${o.id}`, '--label', `airlock.path=${o.workspace}`, this.network]);
      if (created.code !== 0) {
        const full = /non-overlapping|address pool/i.test(created.stderr);
        throw new SandboxUnavailable(full ? `Docker has no free address pool for another sandbox network (${created.stderr.trim()}). Remove sandboxes you no longer use (\`airlock sandbox down --workspace DIR\`) or unused networks (\`docker network prune\`), then try again.` : `docker network create failed: ${created.stderr.trim()}`);
      }
    }
    const net = JSON.parse(await docker(['network', 'inspect', this.network])) as { Id: string; Internal: boolean; IPAM: { Config: { Gateway?: string; Subnet?: string }[] } }[];
    const info = net[0];
    const gateway = info?.IPAM.Config.find((c) => c.Gateway && !c.Gateway.includes(':'))?.Gateway;
    if (!info?.Internal || !gateway) throw new SandboxUnavailable(`the Docker network ${this.network} is not internal or has no gateway; remove it (\`docker network rm ${this.network}\`) and try again`);
    this.bridge = `br-${info.Id.slice(0, 12)}`;
    const preferred = 20000 + (parseInt(o.id.slice(0, 6), 16) % 30000);
    const address = await o.proxy.listen(gateway, preferred).catch(() => o.proxy.listen(gateway, 0));
    await installFirewall(this.bridge, address.port);

    // The same path as on the host: the agent's commands name host paths, and the assessor judges them so.
    const workspaceFolder = o.workspace;
    const readOnlyMounts = this.protectedMounts(o, workspaceFolder);
    const merged = mergeHardened({
      config: absolutizeBuild(config, file),
      hardening: o.hardening,
      network: this.network,
      mountSource: o.mountSource,
      workspaceFolder,
      readOnlyMounts,
      agentPath: o.agentPath,
      proxyUrl: `http://${gateway}:${address.port}`,
      user: typeof config.remoteUser === 'string' ? config.remoteUser : typeof config.containerUser === 'string' ? config.containerUser : DEFAULT_USER,
      labels: {},
    });
    const configHash = createHash('sha256').update(JSON.stringify(merged)).digest('hex').slice(0, 16);
    mkdirSync(o.stateDir, { recursive: true });
    const mergedFile = join(o.stateDir, 'devcontainer.json');
    writeFileSync(mergedFile, JSON.stringify(merged, null, 2));

    // A container from an older config is rebuilt, not reused; one from this config is reused as it is.
    let reuse: string | undefined;
    for (const cid of (await docker(['ps', '-aq', '--filter', `label=airlock.workspace=${o.id}`])).split('\n').filter(Boolean)) {
      const [label, state] = (await docker(['inspect', '--format', '{{index .Config.Labels "airlock.config"}} {{.State.Status}}', cid])).split(' ');
      if (label === configHash && !reuse) {
        if (state !== 'running') await docker(['start', cid]);
        reuse = cid;
      } else {
        o.onProgress('the sandbox configuration changed; removing the old container');
        await docker(['rm', '-f', cid]);
      }
    }

    if (reuse) {
      o.onProgress('reusing the sandbox container');
      this.containerId = reuse;
    } else {
      o.onProgress('creating the sandbox container (devcontainer up)');
      const up = await runCli(process.execPath, [devcontainerCli(), 'up', '--workspace-folder', o.mountSource, '--override-config', mergedFile, '--id-label', `airlock.workspace=${o.id}`, '--id-label', `airlock.config=${configHash}`, '--mount-workspace-git-root', 'false', '--skip-post-attach', '--log-format', 'json'], { timeoutMs: 15 * 60_000 });
      const outcome = lastJson(up.stdout);
      if (!outcome || outcome.outcome !== 'success' || typeof outcome.containerId !== 'string') {
        const detail = (typeof outcome?.message === 'string' ? outcome.message : '') || lastText(up.stdout + up.stderr);
        throw new SandboxUnavailable(`devcontainer up failed: ${detail}`);
      }
      this.containerId = outcome.containerId;
    }

    const inspected = JSON.parse(await docker(['inspect', this.containerId])) as InspectedContainer[];
    const problems = verifyContainer(inspected[0] ?? {}, { network: this.network, hardening: o.hardening, allowedBinds: [o.mountSource, o.agentPath, ...readOnlyMounts.map((m) => m.source)] });
    if (problems.length) {
      await docker(['rm', '-f', this.containerId]).catch(() => undefined);
      throw new SandboxUnavailable(`the container did not come up hardened (${problems.join('; ')}), so Airlock removed it. A feature or the image's devcontainer metadata probably asks for this; remove it.`);
    }

    o.onProgress('opening the exec channel');
    const user = merged.containerUser as string;
    const proc = spawn('docker', ['exec', '-i', '-u', user, '-w', workspaceFolder, this.containerId, 'node', AGENT_TARGET], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.channel = new ExecChannel(proc, 'devcontainer');
    const ready = await Promise.race([this.channel.ready, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no answer in 30 s')), 30_000).unref())]).catch((err: Error) => {
      throw new SandboxUnavailable(`the exec agent did not start in the container (${err.message}). The image needs \`node\` on its PATH; Airlock's default image has it, or add the Node feature to your devcontainer.json.`);
    });
    if (ready.uid === 0) throw new SandboxUnavailable('the exec agent runs as root in the container; Airlock needs a non-root user');
    return { channel: this.channel, workspaceFolder, proxyHost: gateway, proxyPort: address.port, canaryHosts: [gateway], describe: `devcontainer ${this.containerId.slice(0, 12)} on ${this.network}` };
  }

  private protectedMounts(o: BackendStartOptions, folder: string): { source: string; target: string }[] {
    const mounts: { source: string; target: string }[] = [];
    for (const rel of PROTECTED_DIRS) {
      const src = join(o.mountSource, rel);
      if (existsSync(src)) mounts.push({ source: src, target: `${folder}/${rel}` });
      else if (!rel.startsWith('.git/') || existsSync(join(o.mountSource, '.git'))) {
        // An empty read-only stand-in, so the sandbox cannot create the folder either.
        const empty = join(o.stateDir, 'empty', rel.replace(/\//g, '_'));
        mkdirSync(empty, { recursive: true });
        mounts.push({ source: empty, target: `${folder}/${rel}` });
      }
    }
    for (const rel of PROTECTED_FILES) {
      const src = join(o.mountSource, rel);
      if (existsSync(src)) mounts.push({ source: src, target: `${folder}/${rel}` });
    }
    return mounts;
  }

  async destroy(id: string): Promise<void> {
    await this.stop(true);
    await removeSandbox(id);
  }

  /** Sandboxes whose workspace folder no longer exists (a deleted project, a removed temporary folder). */
  private async removeOrphans(): Promise<void> {
    const nets = await runCli('docker', ['network', 'ls', '--filter', 'label=airlock.path', '--format', '{{.Label "airlock.workspace"}}\t{{.Label "airlock.path"}}']);
    for (const line of nets.stdout.split('\n').filter(Boolean)) {
      const [id, path] = line.split('\t');
      if (id && /^[0-9a-f]+$/.test(id) && path && !existsSync(path)) await removeSandbox(id);
    }
  }

  async stop(remove: boolean): Promise<void> {
    this.channel?.close();
    this.channel = undefined;
    if (remove) {
      if (this.containerId) await docker(['rm', '-f', this.containerId]).catch(() => undefined);
      if (this.network) await docker(['network', 'rm', this.network]).catch(() => undefined);
      if (this.bridge) await removeFirewall(this.bridge);
    }
  }
}

/** Build paths in the workspace's config are relative to its file; the merged config lives elsewhere. */
function absolutizeBuild(config: Record<string, unknown>, file?: string): Record<string, unknown> {
  if (!file) return config;
  const base = dirname(file);
  const abs = (p: unknown) => (typeof p === 'string' && !isAbsolute(p) ? resolve(base, p) : p);
  const out = { ...config };
  if (typeof out.dockerFile === 'string') out.dockerFile = abs(out.dockerFile);
  if (out.build && typeof out.build === 'object') {
    const b = { ...(out.build as Record<string, unknown>) };
    if (b.dockerfile) b.dockerfile = abs(b.dockerfile);
    b.context = abs(b.context ?? '.');
    out.build = b;
  }
  return out;
}

function lastJson(text: string): Record<string, unknown> | undefined {
  const lines = text.trim().split('\n').reverse();
  for (const l of lines) {
    try {
      const v = JSON.parse(l) as unknown;
      if (v && typeof v === 'object' && 'outcome' in v) return v as Record<string, unknown>;
    } catch {
      // log lines
    }
  }
  return undefined;
}

function lastText(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => {
      try {
        const v = JSON.parse(l) as { text?: string };
        return v.text ?? l;
      } catch {
        return l;
      }
    })
    .filter(Boolean)
    .slice(-5)
    .join(' | ');
}

/** Everything Docker holds for one sandbox: its containers, its network and the firewall rules on its bridge. */
async function removeSandbox(id: string): Promise<void> {
  const ids = await runCli('docker', ['ps', '-aq', '--filter', `label=airlock.workspace=${id}`]);
  for (const cid of ids.stdout.split('\n').filter(Boolean)) await runCli('docker', ['rm', '-f', cid]);
  const net = await runCli('docker', ['network', 'inspect', '--format', '{{.Id}}', `airlock-${id}`]);
  if (net.code === 0) {
    await removeFirewall(`br-${net.stdout.trim().slice(0, 12)}`);
    await runCli('docker', ['network', 'rm', `airlock-${id}`]);
  }
}
