import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Level } from '../risk/types';
import { LEVELS } from '../risk/types';
import { DEFAULT_POLICY } from './defaults';
import { loadPolicyFile } from './load';
import type { CommandRule, Policy, Thresholds } from './schema';

export type LayerName = 'defaults' | 'team' | 'workspace';

export interface LayeredRule extends CommandRule {
  layer: LayerName;
}

/**
 * The policy in force: built-in defaults, the workspace policy over them, and the team policy over both.
 * The workspace may tighten anything and loosen only what the team policy did not set; what it tried to
 * loosen beyond that is kept out and listed in `ignored`, so nobody is surprised by a silent change.
 */
export interface EffectivePolicy {
  defaults: Policy;
  team?: Policy;
  workspace?: Policy;
  sources: { team?: string; workspace?: string };
  thresholds: Record<Context, Thresholds>;
  /** Level overrides: team's as written; workspace's only where they raise. */
  ruleLevels: Record<string, Level>;
  network: { allow: string[]; deny: string[] };
  protectedPaths: string[];
  secretPaths: string[];
  rules: LayeredRule[];
  batch: { windowMs: number; maxSize: number };
  sandbox: EffectiveSandbox;
  ignored: string[];
}

export interface EffectiveSandbox {
  backend?: 'devcontainer' | 'bubblewrap';
  mode: 'staged' | 'direct';
  capabilities: string[];
  memoryMb?: number;
  cpus?: number;
  pids?: number;
  forwardSshAgent: boolean;
}

/**
 * Sandbox settings: anything that weakens containment (direct mode, capabilities, the SSH agent, higher
 * limits) is read only from the team policy, which lives outside the repository. A workspace policy comes
 * with the code, so a cloned repository cannot loosen the sandbox it is about to run in; it may tighten.
 */
function combineSandbox(team: Policy | undefined, workspace: Policy | undefined, ignored: string[]): EffectiveSandbox {
  const t = team?.sandbox ?? {};
  const w = workspace?.sandbox ?? {};
  const lower = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  if (w.mode === 'direct' && t.mode !== 'direct') ignored.push('workspace sandbox.mode = direct ignored: only the team policy may switch off staged writes');
  if (w.capabilities?.length) ignored.push(`workspace sandbox.capabilities (${w.capabilities.join(', ')}) ignored: only the team policy may add capabilities`);
  if (w.forwardSshAgent) ignored.push('workspace sandbox.forwardSshAgent ignored: only the team policy may forward the SSH agent');
  const limit = (key: 'memoryMb' | 'cpus' | 'pids') => {
    const tv = t[key];
    const wv = w[key];
    if (tv !== undefined && wv !== undefined && wv > tv) ignored.push(`workspace sandbox.${key} = ${wv} ignored: higher than the team policy's ${tv}`);
    if (tv === undefined && wv !== undefined) return wv <= (DEFAULT_LIMITS[key] ?? Infinity) ? wv : (ignored.push(`workspace sandbox.${key} = ${wv} ignored: higher than the default ${DEFAULT_LIMITS[key]}`), undefined);
    return lower(tv, wv);
  };
  const backend = t.backend ?? w.backend;
  const memoryMb = limit('memoryMb');
  const cpus = limit('cpus');
  const pids = limit('pids');
  return {
    ...(backend ? { backend } : {}),
    mode: t.mode === 'direct' && w.mode !== 'staged' ? 'direct' : 'staged',
    capabilities: t.capabilities ?? [],
    ...(memoryMb !== undefined ? { memoryMb } : {}),
    ...(cpus !== undefined ? { cpus } : {}),
    ...(pids !== undefined ? { pids } : {}),
    forwardSshAgent: t.forwardSshAgent ?? false,
  };
}

/** Limits a workspace policy may lower but not raise when there is no team policy. */
const DEFAULT_LIMITS: Record<'memoryMb' | 'cpus' | 'pids', number> = { memoryMb: 2048, cpus: 2, pids: 512 };

function stricterThresholds(base: Thresholds, lower: Thresholds | undefined, context: Context, ignored: string[]): Thresholds {
  if (!lower) return base;
  const out = { ...base };
  for (const key of ['auto', 'batch', 'ask'] as const) {
    if (lower[key] <= base[key]) out[key] = lower[key];
    else ignored.push(`workspace thresholds.${context}.${key} = ${lower[key]} ignored: it is looser than the team policy's ${base[key]}`);
  }
  return out;
}

export function combinePolicies(team: Policy | undefined, workspace: Policy | undefined, sources: EffectivePolicy['sources'] = {}): EffectivePolicy {
  const ignored: string[] = [];
  const defaults = DEFAULT_POLICY;
  const thresholds = {} as Record<Context, Thresholds>;
  for (const context of ['sandbox', 'host'] as const) {
    const teamT = team?.thresholds[context];
    const base = teamT ?? (defaults.thresholds[context] as Thresholds);
    // Without a team policy the workspace may set its own thresholds freely; with one, only stricter.
    thresholds[context] = team?.thresholds[context] ? stricterThresholds(base, workspace?.thresholds[context], context, ignored) : (workspace?.thresholds[context] ?? base);
  }
  const ruleLevels: Record<string, Level> = { ...(team?.ruleLevels ?? {}) };
  for (const [rule, level] of Object.entries(workspace?.ruleLevels ?? {})) {
    const teamLevel = team?.ruleLevels[rule];
    if (teamLevel && LEVELS.indexOf(level) < LEVELS.indexOf(teamLevel)) ignored.push(`workspace ruleLevels.${rule} = ${level} ignored: the team policy sets ${teamLevel}`);
    else ruleLevels[rule] = level;
  }
  const teamDeny = team?.network.deny ?? [];
  const wsAllow = workspace?.network.allow ?? [];
  const acceptedWsAllow = team?.network.lockAllowlist ? [] : wsAllow.filter((d) => !teamDeny.includes(d));
  if (team?.network.lockAllowlist && wsAllow.length) ignored.push(`workspace network.allow (${wsAllow.join(', ')}) ignored: the team policy locks the allowlist`);
  for (const d of wsAllow) if (teamDeny.includes(d)) ignored.push(`workspace network.allow ${d} ignored: the team policy denies it`);
  const network = {
    allow: [...defaults.network.allow, ...(team?.network.allow ?? []), ...acceptedWsAllow],
    deny: [...defaults.network.deny, ...teamDeny, ...(workspace?.network.deny ?? [])],
  };
  return {
    defaults,
    ...(team ? { team } : {}),
    ...(workspace ? { workspace } : {}),
    sources,
    thresholds,
    ruleLevels,
    network,
    protectedPaths: [...(team?.protectedPaths ?? []), ...(workspace?.protectedPaths ?? [])],
    secretPaths: [...(team?.secretPaths ?? []), ...(workspace?.secretPaths ?? [])],
    batch: team?.batch ?? workspace?.batch ?? defaults.batch ?? { windowMs: 2000, maxSize: 50 },
    sandbox: combineSandbox(team, workspace, ignored),
    rules: [...(team?.rules ?? []).map((r) => ({ ...r, layer: 'team' as const })), ...(workspace?.rules ?? []).map((r) => ({ ...r, layer: 'workspace' as const }))],
    ignored,
  };
}

export interface PolicyLocations {
  /** Workspace root; its `.airlock/policy.json` is the workspace policy. */
  workspace?: string;
  /** Explicit policy file (CLI `--policy`), used as the workspace layer. */
  policyFile?: string;
  /** Team policy file: setting `airlock.teamPolicyPath` or `AIRLOCK_TEAM_POLICY`. */
  teamFile?: string;
}

/** Loads the layers from disk. A broken file is an error, never a silent fallback to the defaults. */
export function loadEffectivePolicy(locations: PolicyLocations): EffectivePolicy {
  const teamFile = locations.teamFile ?? process.env.AIRLOCK_TEAM_POLICY;
  const team = teamFile ? loadPolicyFile(teamFile) : undefined;
  const wsFile = locations.policyFile ?? (locations.workspace ? join(locations.workspace, '.airlock', 'policy.json') : undefined);
  const workspace = wsFile && (locations.policyFile || existsSync(wsFile)) ? loadPolicyFile(wsFile) : undefined;
  return combinePolicies(team, workspace, { ...(teamFile ? { team: teamFile } : {}), ...(workspace && wsFile ? { workspace: wsFile } : {}) });
}
