#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { runAssessJsonl, parseAssessArgs, createAssessorFor, contractResult } from './cli/assessCommand';
import { runDemo } from './cli/demoCommand';
import { runAudit } from './cli/auditCommand';
import { runExec, runSandbox } from './cli/execCommand';
import { runMcp } from './cli/mcpCommand';
import { runHook } from './cli/hookCommand';
import { runStatus } from './cli/statusCommand';
import { formatDiffReport, formatReport } from './cli/report';
import { readDiffFile, workingTreeDiff } from './cli/gitDiff';
import { UsageError } from './cli/usageError';
import { PolicyError } from './policy/load';

const USAGE = `Usage: airlock <command> [options]

Commands:
  assess --jsonl [--context sandbox|host] [--policy FILE] [--workspace DIR]
        Read {"command": "..."} or {"diff": "..."} lines on stdin, write one assessment per line.
  assess [--context sandbox|host] [--policy FILE] [--workspace DIR] [--json] -- COMMAND...
        Assess one command and print a readable report (or the JSON result with --json).
  assess --diff FILE|- [--json] [options]
        Assess one unified diff (a file, or stdin with -) and print a per-file report.
  assess --git [REV] [--json] [options]
        Assess the working tree's changes (untracked files included) against REV (default HEAD).
  demo [--session ID|N] [--list] [--context sandbox|host] [--audit-log FILE] [--no-exec] [--backend B]
        Replay a recorded agent session through the broker (scripted person), run what it approves in the
        sandbox on a seeded demo workspace, and summarise the prompts (--no-exec: decisions only).
  exec [--backend devcontainer|bubblewrap] [--workspace DIR] [--policy FILE] [--timeout S] [--cwd DIR] [--grant ID] -- CMD...
        Run one command contained (assessed and decided first); stream its output; exit with its code.
        Staged writes: its changes reach DIR only as the diff gate decides (kept aside when nobody can be asked).
        Exit 126: refused (policy or person); 125: no containment available (nothing ran).
  sandbox check|down [--workspace DIR] [--backend B]
        check: start the sandbox and verify containment from inside; down: remove everything Airlock created.
  mcp [--workspace DIR] [--backend B] [--policy FILE] [--audit-log FILE] [--ask terminal|never]
        Serve airlock_run, airlock_apply_edit and airlock_read over MCP (stdio) for Claude Code, Codex, Cline, …
        Reviews go to Airlock's panel when VS Code is open on DIR; else to the terminal with --ask terminal;
        else they are refused.
  hook claude-code [--workspace DIR] [--policy FILE] [--audit-log FILE]
        A Claude Code PreToolUse hook: reads the event on stdin, answers allow / deny / ask as JSON. Bash commands
        are rewritten to run through \`airlock exec\` (contained). Exit 2 blocks the call when it cannot decide.
  status [--workspace DIR] [--json]
        Whether the extension, the sandbox, the MCP server and the Claude Code hook are up for DIR.
  audit verify [FILE] [--workspace DIR]
        Check the audit log's hash chain; exit 1 and name the first broken record if it was tampered with.
  audit show [FILE] [--workspace DIR] [--limit N]
        Print the audit log as a timeline.
  audit stats [FILE] [--workspace DIR]
        Fatigue figures over every session in the log: prompts per 100 actions, approval rate, time to decide.
  help  Show this text.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const style = { color: process.stdout.isTTY === true && !process.env.NO_COLOR };
  const write = (s: string) => process.stdout.write(s);
  switch (command) {
    case 'assess': {
      const jsonOut = rest.includes('--json');
      const opts = parseAssessArgs(rest.filter((a) => a !== '--json'));
      if (opts.jsonl) return runAssessJsonl(opts, process.stdin, write);
      if (opts.diff !== undefined || opts.git) {
        const text = opts.git ? await workingTreeDiff(opts.workspace, opts.positional[0] ?? 'HEAD') : await readDiffFile(opts.diff ?? '-');
        const assessor = await createAssessorFor(opts);
        const result = assessor.assessDiff(text, { context: opts.context });
        write(jsonOut ? JSON.stringify(contractResult(result)) + '\n' : formatDiffReport(result, style));
        return 0;
      }
      const text = opts.positional.length > 0 ? opts.positional.join(' ') : readFileSync(0, 'utf8');
      const assessor = await createAssessorFor(opts);
      const result = assessor.assessCommand(text, { context: opts.context });
      write(jsonOut ? JSON.stringify(contractResult(result)) + '\n' : formatReport(text, result, style));
      return 0;
    }
    case 'demo':
      return runDemo(rest, write, style);
    case 'exec':
      return runExec(rest, (s) => process.stderr.write(s), { color: process.stderr.isTTY === true && !process.env.NO_COLOR });
    case 'sandbox':
      return runSandbox(rest, write);
    case 'mcp':
      return runMcp(rest, (s) => process.stderr.write(s));
    case 'status':
      return runStatus(rest, write);
    case 'hook':
      return runHook(rest, write, (s) => process.stderr.write(s));
    case 'audit':
      return runAudit(rest, write, (s) => process.stderr.write(s));
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      process.stderr.write(`airlock: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (err instanceof PolicyError) {
      process.stderr.write(`airlock: ${err.message}\n`);
      process.exitCode = 3;
    } else {
      process.stderr.write(`airlock: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
