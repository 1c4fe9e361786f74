import { execFile } from 'node:child_process';

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a CLI (docker, iptables, the Dev Containers CLI) with arguments, never through a shell. */
export function runCli(file: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, env: opts.env ?? process.env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : (err as { code?: unknown }).code === 'ENOENT' ? 127 : 1) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr) || (err && !stderr ? err.message : ''), code });
    });
  });
}

export async function docker(args: string[], timeoutMs?: number): Promise<string> {
  const r = await runCli('docker', args, timeoutMs ? { timeoutMs } : {});
  if (r.code !== 0) throw new Error(`docker ${args.slice(0, 2).join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return r.stdout.trim();
}
