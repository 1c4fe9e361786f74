import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Airlock keeps its state (sandboxes, grants, running pieces): outside every workspace. */
export function airlockStateRoot(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'airlock');
}
