import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { PersonPort, ReviewAnswer, ReviewRequest } from '../../broker/ports';

/**
 * A person's approval given somewhere Airlock cannot see (Claude Code's own permission prompt), carried to the
 * `airlock exec` that runs the command: single use, bound to the exact content hash that was shown, short-lived,
 * in a folder only this user can read. It replaces the person for that one review; it never overrides a deny.
 */
const grantSchema = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), workspace: z.string(), by: z.string(), expires: z.number() });
export type Grant = z.infer<typeof grantSchema>;

const GRANT_TTL_MS = 15 * 60_000;
const dirOf = (stateRoot: string) => join(stateRoot, 'grants');

export function newGrantId(): string {
  return randomBytes(16).toString('hex');
}

export function issueGrant(stateRoot: string, g: Omit<Grant, 'expires'>, now = Date.now(), id = newGrantId()): string {
  const dir = dirOf(stateRoot);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${id}.json`), JSON.stringify({ ...g, expires: now + GRANT_TTL_MS }), { mode: 0o600, flag: 'wx' });
  return id;
}

/** The grant, removed as it is read (so it is used at most once); undefined when unknown, malformed or expired. */
export function takeGrant(stateRoot: string, id: string, now = Date.now()): Grant | undefined {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  const file = join(dirOf(stateRoot), `${id}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  rmSync(file, { force: true });
  const parsed = grantSchema.safeParse(JSON.parse(text));
  if (!parsed.success || parsed.data.expires < now) return undefined;
  return parsed.data;
}

/** Answers the one review whose content matches the grant; everything else goes to the fallback person. */
export class GrantPerson implements PersonPort {
  private used = false;

  constructor(
    private readonly grant: Grant,
    private readonly fallback: PersonPort,
  ) {}

  review(r: ReviewRequest): Promise<ReviewAnswer> {
    if (!this.used && r.kind === 'ask' && r.item.hash === this.grant.hash) {
      this.used = true;
      return Promise.resolve({ kind: 'ask', approve: true, hash: r.item.hash, by: this.grant.by });
    }
    if (!this.used && r.kind === 'batch' && r.items.length === 1 && r.items[0]?.hash === this.grant.hash) {
      this.used = true;
      return Promise.resolve({ kind: 'batch', approve: true, hashes: { [r.items[0].id]: r.items[0].hash }, by: this.grant.by });
    }
    return this.fallback.review(r);
  }
}
