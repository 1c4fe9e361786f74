import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { combinePolicies, type EffectivePolicy } from './layering';
import { parsePolicy } from './load';
import { policySchema, type CommandRule } from './schema';

/** Saves learned rules into the workspace's `.airlock/policy.json` (atomically), keeping everything else in it. */
export class FilePolicyStore {
  constructor(
    private readonly workspace: string,
    private readonly current: () => EffectivePolicy,
  ) {}

  async addWorkspaceRule(rule: CommandRule): Promise<EffectivePolicy> {
    const file = join(this.workspace, '.airlock', 'policy.json');
    const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : { version: 1 };
    const rules = Array.isArray(existing.rules) ? existing.rules : [];
    const next = { ...existing, version: 1, rules: [...rules, rule] };
    const text = JSON.stringify(next, null, 2) + '\n';
    const policy = parsePolicy(text, file); // refuse to write something that would not load
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file + '.tmp', text);
    renameSync(file + '.tmp', file);
    const cur = this.current();
    return combinePolicies(cur.team, policy, { ...cur.sources, workspace: file });
  }
}

/** Keeps learned rules for one session in memory (the demo and replays: nothing is written). */
export class MemoryPolicyStore {
  constructor(private policy: EffectivePolicy) {}

  async addWorkspaceRule(rule: CommandRule): Promise<EffectivePolicy> {
    const ws = this.policy.workspace ?? policySchema.parse({ version: 1 });
    this.policy = combinePolicies(this.policy.team, { ...ws, rules: [...ws.rules, rule] }, this.policy.sources);
    return this.policy;
  }
}
