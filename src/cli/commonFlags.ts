import { resolve } from 'node:path';
import { loadEffectivePolicy, type EffectivePolicy } from '../policy/layering';
import type { BackendName } from '../sandbox/backend';
import { UsageError } from './usageError';

/** `--backend`: one of the real backends; there is none that runs on the host. */
export function backendOf(v: string | undefined): BackendName | undefined {
  if (v === undefined) return undefined;
  if (v !== 'devcontainer' && v !== 'bubblewrap') throw new UsageError(`--backend must be devcontainer or bubblewrap, got "${v}" (there is no backend that runs on the host)`);
  return v;
}

/** The policy in force for a workspace, with `--policy FILE` in place of the workspace's own file when given. */
export function policyFor(workspace: string, policyFlag: string | undefined): EffectivePolicy {
  return loadEffectivePolicy({ workspace, ...(policyFlag ? { policyFile: resolve(policyFlag) } : {}) });
}

/** What `--audit-log` and `--backend` give a contained session (options left out when the flags are). */
export function sessionFlags(values: { 'audit-log'?: string | undefined; backend?: string | undefined }): { auditFile?: string; backend?: BackendName } {
  const backend = backendOf(values.backend);
  return { ...(values['audit-log'] ? { auditFile: resolve(values['audit-log']) } : {}), ...(backend ? { backend } : {}) };
}
