import { airlockStateRoot } from '../stateRoot';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { Assessor } from '../assessor';
import { AuditLog } from '../audit/auditLog';
import { defaultAuditLogPath } from '../audit/location';
import { Broker } from '../broker/broker';
import { ContainedExecutor, type ContainedExecutorOptions } from '../broker/containedExecutor';
import type { PersonPort } from '../broker/ports';
import { readWorkspaceText } from '../broker/workspaceEdits';
import type { EffectivePolicy } from '../policy/layering';
import type { BackendName } from '../sandbox/backend';
import { classifyHost } from '../risk/shared/network';
import { SandboxManager, sandboxSettings, type SandboxState } from '../sandbox/sandboxManager';

export { airlockStateRoot };

/** The exec agent shipped next to the bundle that runs (dist/sandbox-agent.js). */
export function agentScript(): string {
  const candidates = [join(__dirname, 'sandbox-agent.js'), join(__dirname, '..', 'dist', 'sandbox-agent.js'), join(process.cwd(), 'dist', 'sandbox-agent.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('dist/sandbox-agent.js is missing; run `npm run build`');
  return found;
}

export interface ContainedSession {
  broker: Broker;
  executor: ContainedExecutor;
  manager: SandboxManager;
  audit: AuditLog;
  close(): Promise<void>;
}

/** Composes the one path for headless use: assessor, audit log, sandbox, contained executor, broker. */
export async function openContainedSession(o: { workspace: string; policy: EffectivePolicy; person: PersonPort; auditFile?: string; backend?: BackendName; executor?: Omit<ContainedExecutorOptions, 'workspace'>; onState?: (s: SandboxState) => void; batch?: { windowMs: number; maxSize: number } }): Promise<ContainedSession> {
  const workspace = resolve(o.workspace);
  const assessor = await Assessor.create({ policy: o.policy, workspace });
  const audit = AuditLog.open(o.auditFile ?? defaultAuditLogPath(workspace), workspace);
  const ref: { broker?: Broker } = {};
  const manager = new SandboxManager({
    workspace,
    stateRoot: airlockStateRoot(),
    settings: sandboxSettings(o.policy, o.backend ? { backend: o.backend } : undefined),
    agentPath: agentScript(),
    classifyHost,
    askUnlisted: async (host, port, commands) => {
      if (!ref.broker) return false;
      const r = await ref.broker.submit({ kind: 'network', host, port, ...(commands[0] ? { command: commands[0] } : {}) }, { connector: 'egress-proxy' });
      return r.outcome === 'ran';
    },
    onEgress: (e) => void audit.append({ type: 'network', data: { ...e } }),
    ...(o.onState ? { onState: o.onState } : {}),
  });
  const executor = new ContainedExecutor(manager, { workspace, ...o.executor });
  const broker = new Broker({ assessor, executor, person: o.person, audit, batch: o.batch ?? o.policy.batch, readWorkspaceFile: (p) => readWorkspaceText(workspace, p) });
  ref.broker = broker;
  executor.attach(broker);
  return {
    broker,
    executor,
    manager,
    audit,
    close: async () => {
      broker.flushBatch();
      await manager.stop(false);
    },
  };
}
