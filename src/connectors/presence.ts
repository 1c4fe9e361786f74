import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Which Airlock pieces are running, for `airlock status`: each long-lived connector (the MCP server, the
 * extension) leaves a small file under the state directory while it runs. A file whose process is gone is stale.
 */
export const presenceSchema = z.object({
  kind: z.enum(['extension', 'mcp']),
  pid: z.number().int(),
  workspace: z.string(),
  startedAt: z.string(),
  detail: z.string().optional(),
  /** The extension's approval bridge (a Unix socket only this user can open), when it offers one. */
  bridge: z.object({ socket: z.string(), token: z.string() }).optional(),
});
export type Presence = z.infer<typeof presenceSchema>;

const dirOf = (stateRoot: string) => join(stateRoot, 'run');

export function announce(stateRoot: string, p: Omit<Presence, 'pid' | 'startedAt'>): { update(detail: string): void; setBridge(bridge: Presence['bridge']): void; dispose(): void } {
  const dir = dirOf(stateRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${p.kind}-${process.pid}.json`);
  const record: Presence = { ...p, pid: process.pid, startedAt: new Date().toISOString() };
  const write = () => writeFileSync(file, JSON.stringify(record), { mode: 0o600 });
  write();
  return {
    update(detail) {
      record.detail = detail;
      write();
    },
    setBridge(bridge) {
      if (bridge) record.bridge = bridge;
      else delete record.bridge;
      write();
    },
    dispose: () => rmSync(file, { force: true }),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Running pieces, newest first; stale files are removed on the way. */
export function present(stateRoot: string): Presence[] {
  const dir = dirOf(stateRoot);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: Presence[] = [];
  for (const n of names) {
    try {
      const p = presenceSchema.parse(JSON.parse(readFileSync(join(dir, n), 'utf8')));
      if (alive(p.pid)) out.push(p);
      else rmSync(join(dir, n), { force: true });
    } catch {
      // A half-written or foreign file says nothing about what runs.
    }
  }
  return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
