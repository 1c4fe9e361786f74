import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { Assessment } from '../risk/types';

/**
 * The editor's approval bridge for hooks (Claude Code's PreToolUse): a Unix socket in a folder only this user
 * can open, plus a per-session token, so a hook can put a review in front of the person in the editor instead
 * of the agent's own prompt. One JSON line each way.
 */
const bridgeAssessment = z.object({ score: z.number(), level: z.string(), decision: z.string(), reasons: z.array(z.object({ rule: z.string(), message: z.string() })).max(100) });
export const bridgeRequestSchema = z.object({
  token: z.string(),
  review: z.object({
    agent: z.string().max(200),
    tool: z.string().max(200),
    summary: z.string().max(1_000_000),
    action: z.unknown(),
    assessment: bridgeAssessment,
    /** A batch from another broker (the MCP server): every item, shown and answered as one review. */
    batch: z
      .object({
        items: z.array(z.object({ action: z.unknown(), assessment: bridgeAssessment })).min(1).max(200),
        groups: z.array(z.object({ title: z.string().max(500), itemIndexes: z.array(z.number().int().min(0)) })).max(200),
      })
      .optional(),
  }),
});
export type BridgeRequest = z.infer<typeof bridgeRequestSchema>;

/** The part of an assessment the editor shows (and the hook logs): score, level, decision and the reasons' words. */
export function bridgeAssessmentOf(a: Assessment): BridgeRequest['review']['assessment'] {
  return { score: a.score, level: a.level, decision: a.decision, reasons: a.reasons.map((r) => ({ rule: r.rule, message: r.message })) };
}
/** `hashes`: the content hashes of exactly what was shown, so the asking side can check it is what it sent. */
export const bridgeAnswerSchema = z.object({ approve: z.boolean(), by: z.string(), reason: z.string().optional(), hashes: z.array(z.string()).optional() });
export type BridgeAnswer = z.infer<typeof bridgeAnswerSchema>;

const MAX_LINE = 2 * 1024 * 1024;

export class HookBridge {
  readonly token = randomBytes(24).toString('hex');
  readonly socket: string;
  private server?: Server;

  constructor(
    dir: string,
    private readonly review: (r: BridgeRequest['review']) => Promise<BridgeAnswer>,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    this.socket = join(dir, `bridge-${process.pid}-${randomBytes(4).toString('hex')}.sock`);
  }

  listen(): Promise<void> {
    const server = createServer((conn) => {
      let buf = '';
      conn.setEncoding('utf8');
      conn.on('error', () => undefined);
      conn.on('data', (chunk: string) => {
        buf += chunk;
        if (buf.length > MAX_LINE) return void conn.end(JSON.stringify({ error: 'request too large' }) + '\n');
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = '';
        conn.pause();
        void this.answer(line).then((reply) => conn.end(JSON.stringify(reply) + '\n'));
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socket, () => {
        chmodSync(this.socket, 0o600);
        resolve();
      });
    });
  }

  private async answer(line: string): Promise<BridgeAnswer | { error: string }> {
    let req: BridgeRequest;
    try {
      req = bridgeRequestSchema.parse(JSON.parse(line));
    } catch (err) {
      return { error: `not a bridge request: ${(err as Error).message.slice(0, 200)}` };
    }
    const a = Buffer.from(req.token);
    const b = Buffer.from(this.token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { error: 'wrong token' };
    return this.review(req.review);
  }

  close(): void {
    this.server?.close();
    rmSync(this.socket, { force: true });
  }
}

/** Asks the editor through its bridge; undefined when it cannot be reached or does not answer in time. */
export function askBridge(socket: string, req: BridgeRequest, timeoutMs: number): Promise<BridgeAnswer | undefined> {
  return new Promise((resolve) => {
    let buf = '';
    const conn = createConnection(socket);
    const done = (v: BridgeAnswer | undefined) => {
      clearTimeout(timer);
      conn.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    conn.setEncoding('utf8');
    conn.on('error', () => done(undefined));
    conn.on('connect', () => conn.write(JSON.stringify(req) + '\n'));
    conn.on('data', (c: string) => {
      buf += c;
      if (!buf.includes('\n')) return;
      const parsed = bridgeAnswerSchema.safeParse((() => {
        try {
          return JSON.parse(buf.slice(0, buf.indexOf('\n')));
        } catch {
          return undefined;
        }
      })());
      done(parsed.success ? parsed.data : undefined);
    });
    conn.on('end', () => done(undefined));
  });
}
