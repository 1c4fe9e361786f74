import type { ExecChannel } from './execChannel';
import type { EgressProxy } from './egressProxy';
import type { Hardening } from './hardening';

export type BackendName = 'devcontainer' | 'bubblewrap';

export interface BackendStartOptions {
  workspace: string;
  /** What the sandbox mounts as its workspace: the staging copy, or the workspace itself in direct mode. */
  mountSource: string;
  stateDir: string;
  id: string;
  hardening: Hardening;
  proxy: EgressProxy;
  agentPath: string;
  onProgress: (message: string) => void;
}

export interface RunningSandbox {
  channel: ExecChannel;
  /** The workspace's path as commands inside see it. */
  workspaceFolder: string;
  /** Where the sandbox reaches the egress proxy, and a host service the sandbox must not reach, for the checks. */
  proxyHost: string;
  proxyPort: number;
  /** Addresses a canary on the host listens on that the sandbox must not reach. */
  canaryHosts: string[];
  describe: string;
}

/** Thrown when containment cannot be set up or verified: nothing runs, and the message says what to do. */
export class SandboxUnavailable extends Error {
  override name = 'SandboxUnavailable';
}

export interface SandboxBackend {
  readonly name: BackendName;
  /** Why this backend cannot run here, or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  start(o: BackendStartOptions): Promise<RunningSandbox>;
  /** Stops the sandbox's processes; keeps what makes the next start fast (the container, unless `remove`). */
  stop(remove: boolean): Promise<void>;
  /** Removes everything this backend ever created for the sandbox `id` (containers, networks, rules), running or not. */
  destroy(id: string): Promise<void>;
}
