import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where a workspace's audit log lives by default: under the user's state directory, never inside the
 * workspace the sandbox mounts. One file per workspace, named by a hash of its path.
 */
export function defaultAuditLogPath(workspace: string): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const id = createHash('sha256').update(resolve(workspace)).digest('hex').slice(0, 16);
  return join(state, 'airlock', 'audit', `${id}.jsonl`);
}
