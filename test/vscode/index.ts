// Runs inside the real VS Code extension host (extensionTestsPath): drives mocha over the bundled suites and
// writes every result to the file the harness named, so a missing or failing result fails the harness.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Result {
  title: string;
  state: 'passed' | 'failed';
  error?: string;
  durationMs?: number;
}

export function run(): Promise<void> {
  const out = process.env.AIRLOCK_TEST_RESULTS;
  const only = process.env.AIRLOCK_TEST_SUITE ?? 'trusted';
  const mocha = new Mocha({ ui: 'tdd', timeout: 180_000, color: false, reporter: class {} as unknown as Mocha.ReporterConstructor });
  const dir = join(__dirname, 'suite');
  for (const f of readdirSync(dir).filter((n) => n.startsWith(`${only}.`) && n.endsWith('.js'))) mocha.addFile(join(dir, f));
  const results: Result[] = [];
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      if (out) writeFileSync(out, JSON.stringify({ suite: only, results }, null, 2));
      resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', ...(t.duration !== undefined ? { durationMs: t.duration } : {}) }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: `${err.message}\n${err.stack ?? ''}`.slice(0, 4000) }));
  });
}
