import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { present, type Presence } from '../connectors/presence';
import { loadEffectivePolicy } from '../policy/layering';
import { DEFAULT_IMAGE } from '../sandbox/hardening';
import { runCli } from '../sandbox/dockerCli';
import { SandboxManager, sandboxSettings } from '../sandbox/sandboxManager';
import { classifyHost } from '../risk/shared/network';
import { airlockStateRoot, agentScript } from './containedSession';

interface Part {
  name: string;
  up: boolean;
  detail: string;
}

/** Claude Code settings files that can hold the hook, most specific first. */
function hookConfigured(workspace: string): string | undefined {
  for (const file of [join(workspace, '.claude', 'settings.local.json'), join(workspace, '.claude', 'settings.json'), join(homedir(), '.claude', 'settings.json')]) {
    try {
      const hooks = (JSON.parse(readFileSync(file, 'utf8')) as { hooks?: { PreToolUse?: { hooks?: { command?: string }[] }[] } }).hooks?.PreToolUse ?? [];
      if (hooks.some((m) => (m.hooks ?? []).some((h) => /\bhook\s+claude-code\b/.test(h.command ?? '')))) return file;
    } catch {
      // Missing or not JSON: not configured there.
    }
  }
  return undefined;
}

async function sandboxPart(workspace: string): Promise<Part> {
  const policy = loadEffectivePolicy({ workspace });
  const settings = sandboxSettings(policy);
  const manager = new SandboxManager({ workspace, stateRoot: airlockStateRoot(), settings, agentPath: agentScript(), classifyHost, askUnlisted: () => Promise.resolve(false) });
  if (settings.backend === 'bubblewrap') {
    const bwrap = await runCli('bwrap', ['--version'], { timeoutMs: 5000 });
    return { name: 'sandbox (bubblewrap)', up: bwrap.code === 0, detail: bwrap.code === 0 ? `${bwrap.stdout.trim()} installed; starts with each session` : 'bwrap is not installed (apt-get install bubblewrap)' };
  }
  const info = await runCli('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 10_000 });
  if (info.code !== 0) return { name: 'sandbox (devcontainer)', up: false, detail: `Docker Engine is not reachable (${(info.stderr || info.stdout).trim().split('\n')[0] ?? 'no answer'}); start dockerd or install docker.io` };
  const hasOwnConfig = existsSync(join(workspace, '.devcontainer', 'devcontainer.json')) || existsSync(join(workspace, '.devcontainer.json'));
  const image = hasOwnConfig ? { code: 0 } : await runCli('docker', ['image', 'inspect', DEFAULT_IMAGE], { timeoutMs: 10_000 });
  const ps = await runCli('docker', ['ps', '-a', '--filter', `label=airlock.workspace=${manager.id}`, '--format', '{{.Names}} {{.Status}}'], { timeoutMs: 10_000 });
  const container = ps.stdout.trim().split('\n').filter(Boolean)[0];
  const parts = [`Docker ${info.stdout.trim()}`, hasOwnConfig ? "the workspace's devcontainer.json" : image.code === 0 ? `image ${DEFAULT_IMAGE}` : `image ${DEFAULT_IMAGE} missing (sh scripts/sandbox-setup)`, container ? `container ${container}` : 'no container yet (created on first use)'];
  return { name: 'sandbox (devcontainer)', up: image.code === 0, detail: parts.join('; ') };
}

/** `airlock status`: whether the extension, the sandbox and each connector are up, for this workspace. */
export async function runStatus(argv: string[], write: (s: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { workspace: { type: 'string', default: '.' }, json: { type: 'boolean', default: false } }, strict: true });
  const workspace = resolve(values.workspace ?? '.');
  const running = present(airlockStateRoot());
  const here = (p: Presence) => p.workspace === workspace;
  const ext = running.filter((p) => p.kind === 'extension');
  const mcp = running.filter((p) => p.kind === 'mcp');
  const hook = hookConfigured(workspace);
  const parts: Part[] = [
    { name: 'extension', up: ext.some(here), detail: ext.length ? ext.map((p) => `pid ${p.pid} on ${p.workspace}${p.bridge ? ' (approval bridge open)' : ''}`).join('; ') : 'not running (open the folder in VS Code with Airlock installed)' },
    await sandboxPart(workspace),
    { name: 'MCP server', up: mcp.some(here), detail: mcp.length ? mcp.map((p) => `pid ${p.pid} on ${p.workspace}: ${p.detail ?? ''}`).join('; ') : 'not running (an agent starts it: airlock mcp --workspace DIR)' },
    { name: 'Claude Code hook', up: hook !== undefined, detail: hook ? `configured in ${hook}` : 'not configured (README: Use with Claude Code)' },
  ];
  if (values.json) write(JSON.stringify({ workspace, parts }) + '\n');
  else {
    write(`Airlock status for ${workspace}\n`);
    for (const p of parts) write(`  ${p.up ? 'up  ' : 'down'}  ${p.name.padEnd(24)} ${p.detail}\n`);
  }
  return 0;
}
