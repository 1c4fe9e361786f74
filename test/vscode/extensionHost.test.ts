import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeWorkspace } from '../sandbox/containmentSuite';
import { CHROMIUM, CHROMIUM_ARGS, startServer, workbenchAvailable } from './workbench';

// The extension in a real VS Code extension host (VS Code server 1.139 from code-server, opened in Chromium):
// the mocha suites in test/vscode/suite run inside it and report to a file; a missing or failed result fails here.
interface Report {
  suite: string;
  results: { title: string; state: string; error?: string }[];
}

async function runSuite(suite: 'trusted' | 'untrusted', minimum: number): Promise<Report> {
  const missing = workbenchAvailable();
  if (missing) throw new Error(missing);
  const ws = makeWorkspace();
  writeFileSync(join(ws, '.env'), 'TOKEN=sk-live-vscode\n');
  const state = mkdtempSync(join(tmpdir(), 'airlock-vscode-state-'));
  const resultsFile = join(state, 'results.json');
  const settings = suite === 'trusted' ? { 'security.workspace.trust.enabled': false } : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false };
  const server = await startServer({ folder: ws, settings, env: { AIRLOCK_TEST_RESULTS: resultsFile, AIRLOCK_TEST_SUITE: suite, XDG_STATE_HOME: state }, testsPath: 'dist/test/index.js' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const until = Date.now() + 300_000;
    while (!existsSync(resultsFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(resultsFile), `the ${suite} suite wrote no results in 300 s. Server log:\n${server.serverLog().slice(-4000)}`);
    const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as Report;
    const failed = report.results.filter((r) => r.state !== 'passed');
    assert.deepEqual(failed, [], failed.map((f) => `${f.title}: ${f.error}`).join('\n\n'));
    assert.ok(report.results.length >= minimum, `only ${report.results.length} results`);
    return report;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

test('extension host: activation, commands, LM tools through vscode.lm.invokeTool, reviews from commands, bypass', { timeout: 420_000 }, async () => {
  const r = await runSuite('trusted', 6);
  for (const x of r.results) console.log(`  ✔ [vscode] ${x.title}`);
});

test('extension host: Workspace Trust — in an untrusted workspace nothing runs', { timeout: 420_000 }, async () => {
  const r = await runSuite('untrusted', 1);
  for (const x of r.results) console.log(`  ✔ [vscode] ${x.title}`);
});
