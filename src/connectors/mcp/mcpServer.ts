import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Broker } from '../../broker/broker';
import { callAirlockTool } from '../tools/callTool';
import { TOOLS } from '../tools/toolDefinitions';

export const MCP_SERVER_NAME = 'airlock';

/**
 * Airlock's tools over MCP. The server only translates: every call becomes one broker submission, with the
 * client's name as the agent, so assessment, batching, the sandbox and the audit log apply as for any connector.
 */
export function createAirlockMcpServer(broker: Broker, version: string): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version }, { instructions: 'Run commands, edit files and read files through Airlock: every action is risk-scored, low-risk ones run at once in a sandbox, others wait for a person or are refused with a reason you can act on.' });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.schema, annotations: { readOnlyHint: tool.readOnly, destructiveHint: !tool.readOnly, openWorldHint: tool.name === 'airlock_run' } },
      async (args: unknown, extra: { signal: AbortSignal }) => {
        const client = server.server.getClientVersion();
        // A client that cancels the call withdraws the action too, if it is still waiting for review.
        const reply = await callAirlockTool(broker, tool.name, args, { connector: 'mcp', agent: client ? `${client.name} ${client.version}` : 'mcp client', signal: extra.signal });
        return { content: [{ type: 'text' as const, text: reply.text }], isError: reply.isError };
      },
    );
  }
  return server;
}
