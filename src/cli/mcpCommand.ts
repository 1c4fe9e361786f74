import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { NobodyToAsk, type PersonPort } from '../broker/ports';
import { createAirlockMcpServer } from '../connectors/mcp/mcpServer';
import { announce } from '../connectors/presence';
import { BridgePerson } from '../connectors/bridgePerson';
import { VERSION } from '../version';
import { airlockStateRoot, openContainedSession } from './containedSession';
import { TerminalPerson } from './terminalPerson';
import { UsageError } from './usageError';
import { policyFor, sessionFlags } from './commonFlags';

/**
 * The person an MCP server outside VS Code can reach. stdin/stdout carry the protocol, so a terminal can only be
 * the controlling one (/dev/tty), and only when asked for: an agent's own UI usually owns that terminal.
 */
function personFor(ask: string, log: (s: string) => void): PersonPort {
  if (ask === 'never') return new NobodyToAsk();
  if (ask !== 'terminal') throw new UsageError(`--ask must be terminal or never, got "${ask}"`);
  try {
    const fd = openSync('/dev/tty', 'r+');
    return new TerminalPerson(new ReadStream(fd), new WriteStream(fd), { color: !process.env.NO_COLOR });
  } catch (err) {
    log(`airlock mcp: --ask terminal, but there is no terminal to ask on (${(err as Error).message}); reviews will be refused\n`);
    return new NobodyToAsk();
  }
}

/** `airlock mcp`: Airlock's tools over MCP on stdio. Logs go to stderr; stdout is the protocol's. */
export async function runMcp(argv: string[], log: (s: string) => void): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { workspace: { type: 'string', default: '.' }, backend: { type: 'string' }, policy: { type: 'string' }, 'audit-log': { type: 'string' }, ask: { type: 'string', default: 'never' } }, strict: true });
  const workspace = resolve(values.workspace ?? '.');
  const policy = policyFor(workspace, values.policy);
  let clientName = 'MCP client';
  // With VS Code open on this workspace, reviews go to Airlock's panel there; otherwise --ask decides.
  const person = new BridgePerson({ stateRoot: airlockStateRoot(), workspace, agent: () => clientName, connector: 'mcp', fallback: personFor(values.ask ?? 'never', log) });
  const presence = announce(airlockStateRoot(), { kind: 'mcp', workspace, detail: 'sandbox not started (starts on the first command)' });
  const session = await openContainedSession({
    workspace,
    policy,
    person,
    ...sessionFlags(values),
    onState: (s) => {
      if (s.state === 'starting') log(`airlock mcp: ${s.step}\n`);
      if (s.state === 'failed') log(`airlock mcp: sandbox unavailable: ${s.reason}\n`);
      presence.update(s.state === 'ready' ? `sandbox ready: ${s.describe}` : s.state === 'failed' ? `sandbox failed: ${s.reason}` : `sandbox ${s.state}`);
    },
  });
  const server = createAirlockMcpServer(session.broker, VERSION);
  server.server.oninitialized = () => {
    const c = server.server.getClientVersion();
    if (c) clientName = `${c.name} ${c.version}`;
  };
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((done) => {
    transport.onclose = () => done();
    process.stdin.once('end', () => done());
  });
  await server.connect(transport);
  log(`airlock mcp: serving ${workspace} on stdio (audit log ${session.audit.file})\n`);
  const stop = async () => {
    presence.dispose();
    await session.close().catch(() => undefined);
  };
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  await closed;
  await server.close().catch(() => undefined);
  await stop();
  return 0;
}
