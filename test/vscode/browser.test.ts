import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';
import { makeWorkspace } from '../sandbox/containmentSuite';
import { CHROMIUM, CHROMIUM_ARGS, startServer, workbenchAvailable } from './workbench';

// A real browser on the real workbench: the panel renders the reviews, a person clicks through a batch and
// two asks (one by keyboard), and screenshots of the panel in a dark and a light theme land in docs/screenshots/.
const SHOTS = resolve('docs/screenshots');

// Predicates run in the page as functions (the panel's strict CSP forbids evaluating strings), self-contained.
type PageDocument = { querySelectorAll(selector: string): { length: number } };

/**
 * Waits until the panel shows `n` reviews and returns its frame, looking it up afresh each time: VS Code may
 * replace a webview's frame (the panel keeps its state), and a frame held from before would be detached.
 */
async function panelShowing(page: Page, n: number, timeoutMs: number): Promise<Frame> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await page.waitForTimeout(200)) {
    for (const f of page.frames()) {
      const count = await f.evaluate(() => {
        const doc = (globalThis as unknown as { document: PageDocument & { querySelector(s: string): unknown } }).document;
        return doc.querySelector('main#root') ? doc.querySelectorAll('main#root section.review').length : -1;
      }).catch(() => -1);
      if (count === n) return f;
    }
  }
  throw new Error(`the Airlock panel never showed ${n} review(s)`);
}

const waitFile = async (f: string, ms: number) => {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) if (existsSync(f)) return;
  throw new Error(`timed out waiting for ${f}`);
};

test('browser: click through a batch review and asks in the panel; screenshots in dark and light themes', { timeout: 480_000 }, async () => {
  const missing = workbenchAvailable();
  if (missing) throw new Error(missing);
  const ws = makeWorkspace();
  const state = mkdtempSync(join(tmpdir(), 'airlock-ui-state-'));
  const sync = join(state, 'sync');
  mkdirSync(sync);
  const results = join(state, 'results.json');
  const settings = { 'security.workspace.trust.enabled': false, 'workbench.colorTheme': 'Default Dark Modern', 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'chat.commandCenter.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden' };
  const server = await startServer({ folder: ws, settings, env: { AIRLOCK_TEST_RESULTS: results, AIRLOCK_TEST_SUITE: 'ui', AIRLOCK_UI_SYNC: sync, XDG_STATE_HOME: state }, testsPath: 'dist/test/index.js' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(server.url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await waitFile(join(sync, 'ready'), 240_000);
    // Widen the side bar so the panel is readable in the screenshots.
    const sidebar = page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 620, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
    }
    const frame = await panelShowing(page, 3, 60_000);
    const sections = await frame.$$eval('section.review', (s) => s.map((x) => ({ kind: x.className, text: x.textContent ?? '', label: x.getAttribute('aria-label') ?? '' })));
    assert.equal(sections.filter((s) => s.kind.includes('batch')).length, 1);
    assert.match(sections.find((s) => s.kind.includes('batch'))?.text ?? '', /Approve all 3/);
    assert.match(sections.map((s) => s.text).join(), /⟨RIGHT-TO-LEFT OVERRIDE⟩/, 'the hidden character is shown');
    assert.ok(sections.every((s) => /Press A to approve, R to reject/.test(s.label)), 'screen-reader labels');
    mkdirSync(SHOTS, { recursive: true });
    await page.waitForTimeout(800);
    await sidebar.screenshot({ path: join(SHOTS, 'panel-dark.png') });
    await page.screenshot({ path: join(SHOTS, 'workbench-dark.png') });
    await import('node:fs').then((fs) => fs.writeFileSync(join(sync, 'light'), ''));
    await waitFile(join(sync, 'light-ready'), 60_000);
    await page.waitForTimeout(800);
    await sidebar.screenshot({ path: join(SHOTS, 'panel-light.png') });

    // A batch approved with a click, an ask rejected with a click, the last one rejected from the keyboard.
    await (await panelShowing(page, 3, 30_000)).click('section.review.batch button.approve');
    await (await panelShowing(page, 2, 60_000)).click('section.review:has-text("git push --force") button.reject');
    const last = await panelShowing(page, 1, 60_000);
    await last.focus('section.review');
    await last.press('section.review', 'r');
    assert.match((await (await panelShowing(page, 0, 60_000)).textContent('main#root')) ?? '', /Nothing to review/);

    await waitFile(results, 240_000);
    const report = JSON.parse(readFileSync(results, 'utf8')) as { results: { title: string; state: string; error?: string }[] };
    assert.equal(report.results.length, 1);
    assert.equal(report.results[0]?.state, 'passed', report.results[0]?.error);
    for (const f of ['panel-dark.png', 'panel-light.png']) assert.ok(statSync(join(SHOTS, f)).size > 10_000, `${f} has content`);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
});
