import { lookup } from 'node:dns/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, isIP, type AddressInfo, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { forbiddenAddress } from './addressRules';

export interface EgressEvent {
  host: string;
  port: number;
  method: string;
  allowed: boolean;
  /** allowlisted, approved, denied, unlisted-declined, forbidden-address, … */
  why: string;
  /** The commands running in the sandbox when the request was made. */
  commands: string[];
}

/** What the policy says of a host name: the same classification the command assessor uses (injected, so the sandbox layer does not depend on the risk layer). */
export type HostClassifier = (host: string, rules: { allow: readonly string[]; deny: readonly string[] }) => { host: string; kind: 'allowlisted' | 'denied' | 'unlisted' | 'local' | 'ip-literal' | 'metadata' | 'unknown' };

export interface EgressProxyOptions {
  rules: { allow: readonly string[]; deny: readonly string[] };
  classify: HostClassifier;
  /** A request to a host on neither list: the broker decides (a `network` action). Resolves true to let it through. */
  askUnlisted: (host: string, port: number, commands: string[]) => Promise<boolean>;
  /** Every request, allowed or refused, for the audit log. */
  onEvent?: (event: EgressEvent) => void;
  /** Tests only: resolve names with this instead of DNS. */
  resolve?: (host: string) => Promise<string[]>;
  /** Tests only: which resolved addresses are off limits (default: loopback, link-local, metadata, the host's own). */
  forbidden?: (address: string) => string | undefined;
}

const HEALTH_PATH = '/__airlock/health';

/**
 * The sandbox's only way out: an HTTP proxy (plain HTTP requests and HTTPS CONNECT tunnels). Deny wins over
 * allow; IP literals are refused; names are resolved here and the connection goes to the checked address, so
 * a name that resolves to loopback, link-local, metadata or the host itself is refused too (and DNS
 * rebinding between check and connect is impossible). Unlisted hosts become a broker decision.
 */
export class EgressProxy {
  /** Answered on `GET /__airlock/health` so the sandbox can prove it reaches this proxy and no other. */
  readonly healthToken = randomBytes(16).toString('hex');
  private server?: Server;
  private readonly running = new Set<string>();
  private readonly approved = new Set<string>();
  private readonly sockets = new Set<Socket>();

  constructor(private readonly o: EgressProxyOptions) {}

  /** Tells the proxy which command is running, so its requests are shown with it. Returns the undo. */
  commandStarted(command: string): () => void {
    this.running.add(command);
    return () => this.running.delete(command);
  }

  listen(host: string, port = 0): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.onConnect(req, socket, head));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server.address() as AddressInfo));
    });
  }

  /** Listens on a Unix socket (the bubblewrap backend bridges it into the sandbox's empty network). */
  listenUnix(path: string): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => void this.onConnect(req, socket, head));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Decides one destination; resolves to the address to connect to, or why not. */
  async decide(rawHost: string, port: number, method: string): Promise<{ address: string } | { refused: string }> {
    const commands = [...this.running];
    const finish = (allowed: boolean, why: string) => this.o.onEvent?.({ host: rawHost, port, method, allowed, why, commands });
    const dest = this.o.classify(rawHost, this.o.rules);
    if (isIP(rawHost.replace(/^\[|\]$/g, '')) || dest.kind === 'ip-literal') {
      finish(false, 'ip-literal');
      return { refused: `Airlock's egress proxy refuses IP addresses (${rawHost}); use a host name on the allowlist` };
    }
    if (dest.kind === 'local' || dest.kind === 'metadata' || dest.kind === 'unknown') {
      finish(false, dest.kind);
      return { refused: `Airlock's egress proxy never connects to ${rawHost} (${dest.kind === 'unknown' ? 'not a valid host name' : dest.kind === 'local' ? 'the host itself' : 'a cloud metadata service'})` };
    }
    if (dest.kind === 'denied') {
      finish(false, 'denied');
      return { refused: `${dest.host} is denied by the Airlock policy` };
    }
    let why: string = dest.kind;
    if (dest.kind === 'unlisted' && !this.approved.has(dest.host)) {
      const ok = await this.o.askUnlisted(dest.host, port, commands).catch(() => false);
      if (!ok) {
        finish(false, 'unlisted-declined');
        return { refused: `${dest.host} is not on the Airlock allowlist and was not approved` };
      }
      this.approved.add(dest.host);
      why = 'approved';
    } else if (dest.kind === 'unlisted') why = 'approved';
    let addresses: string[];
    try {
      addresses = this.o.resolve ? await this.o.resolve(dest.host) : (await lookup(dest.host, { all: true })).map((a) => a.address);
    } catch (err) {
      finish(false, 'unresolvable');
      return { refused: `${dest.host} does not resolve (${(err as Error).message})` };
    }
    for (const address of addresses) {
      const bad = (this.o.forbidden ?? forbiddenAddress)(address);
      if (bad) {
        finish(false, 'forbidden-address');
        return { refused: `${dest.host} resolves to ${address}, ${bad}; Airlock's egress proxy does not connect there` };
      }
    }
    const address = addresses[0];
    if (!address) {
      finish(false, 'unresolvable');
      return { refused: `${dest.host} has no address` };
    }
    finish(true, why);
    return { address };
  }

  private async onConnect(req: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url ?? '');
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nAirlock: CONNECT needs host:port\n');
      return;
    }
    const verdict = await this.decide(target.host, target.port, 'CONNECT');
    if ('refused' in verdict) {
      client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Airlock: refused\r\n\r\nAirlock: ${verdict.refused}\n`);
      return;
    }
    const upstream = connect(target.port, verdict.address);
    upstream.on('error', (err) => client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\nAirlock: ${err.message}\n`));
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.on('close', () => upstream.destroy());
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '';
    if (url === HEALTH_PATH) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(this.healthToken);
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
      if (target.protocol !== 'http:') throw new Error('only http:// is proxied as a plain request; use CONNECT for https');
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`Airlock: not a proxy request (${(err as Error).message})\n`);
      return;
    }
    const port = Number(target.port || 80);
    const verdict = await this.decide(target.hostname, port, req.method ?? 'GET');
    if ('refused' in verdict) {
      res.writeHead(403, { 'Content-Type': 'text/plain', 'X-Airlock': 'refused' }).end(`Airlock: ${verdict.refused}\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: verdict.address, port, method: req.method, path: target.pathname + target.search, headers: { ...headers, host: target.host }, setHost: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`Airlock: ${err.message}\n`);
    });
    req.pipe(upstream);
  }
}

function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:/\s]+):(\d{1,5})$/.exec(authority);
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1], port };
}

export { HEALTH_PATH };
