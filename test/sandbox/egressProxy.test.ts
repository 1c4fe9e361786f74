import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { EgressProxy, HEALTH_PATH, type EgressEvent } from '../../src/sandbox/egressProxy';
import { forbiddenAddress } from '../../src/sandbox/addressRules';
import { classifyHost } from '../../src/risk/shared/network';

// A real proxy on real sockets; the upstream is a local server the test resolver maps allowed names to.
let upstream: Server;
let upstreamPort: number;
let proxy: EgressProxy;
let proxyPort: number;
const events: EgressEvent[] = [];
const asked: string[] = [];

const NAMES: Record<string, string[]> = {
  'registry.npmjs.org': ['127.0.0.1'],
  'approved.example': ['127.0.0.1'],
  'declined.example': ['127.0.0.1'],
  'rebind.example': ['169.254.169.254'],
  'loopback.example': ['127.0.0.2'],
  'mixed.example': ['127.0.0.1', '10.0.0.1'],
};

before(async () => {
  upstream = createServer((req, res) => res.end(`upstream saw ${req.method} ${req.url} host=${req.headers.host}`));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (upstream.address() as { port: number }).port;
  proxy = new EgressProxy({
    rules: { allow: ['registry.npmjs.org', '*.allowed.example', 'rebind.example', 'loopback.example', 'mixed.example'], deny: ['evil.example', 'registry.npmjs.org.evil.example'] },
    classify: classifyHost,
    askUnlisted: (host) => {
      asked.push(host);
      return Promise.resolve(host === 'approved.example');
    },
    onEvent: (e) => events.push(e),
    resolve: (host) => (NAMES[host] ? Promise.resolve(NAMES[host]) : Promise.reject(new Error('ENOTFOUND'))),
    // The upstream stands in for the internet on 127.0.0.1; every other rule is the real one.
    forbidden: (a) => (a === '127.0.0.1' ? undefined : (forbiddenAddress(a) ?? (a.startsWith('10.') ? 'private' : undefined))),
  });
  proxyPort = (await proxy.listen('127.0.0.1', 0)).port;
});

after(async () => {
  await proxy.close();
  upstream.close();
});

function viaProxy(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, method: 'GET', path: url, headers: { host: new URL(url).host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connectVia(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(proxyPort, '127.0.0.1', () => s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    s.once('data', (d) => {
      resolve(d.toString().split('\r\n')[0] ?? '');
      s.destroy();
    });
    s.on('error', reject);
  });
}

test('the health path answers with the token (how the sandbox proves it reaches this proxy)', async () => {
  const r = await new Promise<string>((resolve) => {
    request({ host: '127.0.0.1', port: proxyPort, path: HEALTH_PATH }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c.toString()));
      res.on('end', () => resolve(b));
    }).end();
  });
  assert.equal(r, proxy.healthToken);
});

const plainCases: [string, number, string][] = [
  [`http://registry.npmjs.org:${0}/zod`, 200, 'allowlisted host: forwarded to the resolved address'],
  ['http://evil.example/', 403, 'denied'],
  ['http://registry.npmjs.org.evil.example/', 403, 'deny wins, and a lookalike of an allowed name is not allowed'],
  ['http://1.1.1.1/', 403, 'IP literal'],
  ['http://2130706433/', 403, 'decimal IP literal (127.0.0.1)'],
  ['http://0x7f000001/', 403, 'hex IP literal'],
  ['http://[::1]/', 403, 'IPv6 loopback literal'],
  ['http://localhost/', 403, 'localhost'],
  ['http://metadata.google.internal/', 403, 'metadata name'],
  ['http://169.254.169.254/latest/meta-data/', 403, 'metadata address'],
  ['http://rebind.example/', 403, 'a name that resolves to the metadata address'],
  ['http://loopback.example/', 403, 'a name that resolves to loopback'],
  ['http://declined.example/', 403, 'unlisted, and the broker said no'],
  ['http://nxdomain.example/', 403, 'unlisted: declined before any DNS query is made'],
];

for (const [url, status, why] of plainCases) {
  test(`plain HTTP ${url} → ${status} (${why})`, async () => {
    const u = url.replace(':0/', `:${upstreamPort}/`);
    const r = await viaProxy(u);
    assert.equal(r.status, status, r.body);
    if (status === 200) assert.match(r.body, /upstream saw GET \/zod host=registry\.npmjs\.org/);
    else assert.match(r.body, /^Airlock: /);
  });
}

const connectCases: [string, string, string][] = [
  ['registry.npmjs.org:PORT', '200', 'allowlisted'],
  ['approved.example:PORT', '200', 'unlisted, approved by the broker'],
  ['declined.example:443', '403', 'unlisted, declined'],
  ['127.0.0.1:22', '403', 'loopback literal'],
  ['localhost:22', '403', 'localhost'],
  ['[::ffff:127.0.0.1]:22', '403', 'IPv4-mapped loopback'],
  ['169.254.169.254:80', '403', 'metadata'],
  ['rebind.example:443', '403', 'resolves to metadata'],
  ['mixed.example:443', '403', 'any resolved address off limits refuses the name'],
  ['no-port.example', '400', 'not host:port'],
  ['registry.npmjs.org:99999', '400', 'port out of range'],
];

for (const [target, code, why] of connectCases) {
  test(`CONNECT ${target} → ${code} (${why})`, async () => {
    const line = await connectVia(target.replace('PORT', String(upstreamPort)));
    assert.match(line, new RegExp(`^HTTP/1\\.1 ${code}`), line);
  });
}

// Unlisted names are not even resolved before someone approves them: a DNS query can carry data out.
test('unlisted hosts are asked once per session; every request is logged with its verdict', async () => {
  const before = asked.filter((h) => h === 'approved.example').length;
  await connectVia(`approved.example:${upstreamPort}`);
  assert.equal(asked.filter((h) => h === 'approved.example').length, before, 'an approved host is not asked again');
  assert.ok(events.some((e) => e.host === 'declined.example' && !e.allowed && e.why === 'unlisted-declined'));
  assert.ok(events.some((e) => e.host === 'registry.npmjs.org' && e.allowed && e.why === 'allowlisted'));
  assert.ok(events.some((e) => e.host === 'rebind.example' && e.why === 'forbidden-address'));
  assert.ok(!events.some((e) => e.host === 'nxdomain.example' && e.why === 'unresolvable'), 'an unlisted name is never resolved before approval');
});

test('the commands running when a request is made are attached to it', async () => {
  const done = proxy.commandStarted('npm install left-pad');
  await viaProxy('http://declined.example/');
  done();
  assert.deepEqual(events.at(-1)?.commands, ['npm install left-pad']);
});

test('forbiddenAddress: the real table', () => {
  for (const a of ['127.0.0.1', '127.9.9.9', '0.0.0.0', '169.254.169.254', '100.100.100.200', '::1', '::', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1', 'fd00:ec2::254']) assert.ok(forbiddenAddress(a), a);
  for (const a of ['104.16.0.1', '2606:4700::1']) assert.equal(forbiddenAddress(a), undefined, a);
  assert.ok(forbiddenAddress('not-an-ip'));
});
