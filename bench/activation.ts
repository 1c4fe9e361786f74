// Activation cost in a real VS Code extension host (VS Code server + Chromium, as in the tests).
// Usage: npm run bench:activation   (needs sh scripts/vscode-test-setup)
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { makeWorkspace } from '../test/sandbox/containmentSuite';
import { CHROMIUM, CHROMIUM_ARGS, startServer, workbenchAvailable } from '../test/vscode/workbench';

async function main(): Promise<void> {
  const missing = workbenchAvailable();
  if (missing) throw new Error(missing);
  const ws = makeWorkspace();
  const state = mkdtempSync(join(tmpdir(), 'airlock-bench-act-'));
  const out = join(state, 'bench.json');
  // The bundle as shipped: minified, built with the same options as \`npm run package\`.
  const shipped = join(state, 'extension.prod.js');
  const { build } = await import('esbuild');
  const { bundleOptions } = (await import('../scripts/build/bundleOptions.mjs')) as { bundleOptions(production: boolean): Record<string, unknown> };
  await build({ ...bundleOptions(true), sourcemap: false, entryPoints: ['src/extension.ts'], outfile: shipped, external: ['vscode', 'fs/promises', 'module', './engine.js'] });
  const results = join(state, 'results.json');
  const server = await startServer({ folder: ws, settings: { 'security.workspace.trust.enabled': false }, env: { AIRLOCK_TEST_RESULTS: results, AIRLOCK_TEST_SUITE: 'bench', AIRLOCK_BENCH_OUT: out, AIRLOCK_BENCH_BUNDLE: shipped, XDG_STATE_HOME: state }, testsPath: 'dist/test/index.js' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    for (const until = Date.now() + 180_000; !existsSync(results) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 300));
    const b = JSON.parse(readFileSync(out, 'utf8')) as { bundleLoadMs: number; tinyLoadMs: number; activateMs: number; vscode: string };
    const total = b.bundleLoadMs + b.activateMs;
    console.log(`VS Code ${b.vscode} extension host, median of 15 loads:\n`);
    console.log('| what | ms |\n|---|---:|');
    console.log(`| load the shipped extension bundle (${Math.round(statSync(shipped).size / 1024)} KB, compile + evaluate) | ${b.bundleLoadMs.toFixed(1)} |`);
    console.log(`| load a one-line module (baseline, same run) | ${b.tinyLoadMs.toFixed(2)} |`);
    console.log(`| activate() | ${b.activateMs.toFixed(1)} |`);
    console.log(`| **total added by Airlock at activation** | **${total.toFixed(1)}** (target ≤ 50) |`);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
