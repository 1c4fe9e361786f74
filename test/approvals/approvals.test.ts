import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, isFinal, type ItemState } from '../../src/approvals/stateMachine';
import { ApprovalQueue, StaleApproval } from '../../src/approvals/queue';
import { IllegalTransition } from '../../src/approvals/stateMachine';
import { contentHash, parseAction } from '../../src/approvals/action';
import { Batcher, type Batch, type Timers } from '../../src/approvals/batcher';
import { FatigueMetrics } from '../../src/approvals/fatigue';
import { proposeRule } from '../../src/approvals/learnRule';
import type { Assessment } from '../../src/risk/types';

const assessment = (decision: Assessment['decision'], rule = 'package-install', level: Assessment['level'] = 'medium'): Assessment => ({ score: 35, level, decision, reasons: [{ rule, message: rule, level, score: 35 }], policyNotes: [] });

const TRANSITIONS: [ItemState, ItemState, boolean][] = [
  ['pending', 'approved', true],
  ['pending', 'denied', true],
  ['pending', 'expired', true],
  ['pending', 'cancelled', true],
  ['pending', 'running', false],
  ['approved', 'running', true],
  ['approved', 'denied', false],
  ['running', 'done', true],
  ['running', 'failed', true],
  ['running', 'approved', false],
  ['denied', 'approved', false],
  ['done', 'running', false],
  ['expired', 'approved', false],
];

for (const [from, to, ok] of TRANSITIONS) {
  test(`state machine: ${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => assert.equal(canTransition(from, to), ok));
}

test('final states have no way out', () => {
  for (const s of ['denied', 'expired', 'cancelled', 'done', 'failed'] as const) assert.ok(isFinal(s));
});

test('an illegal transition throws', () => {
  const q = new ApprovalQueue();
  const item = q.add({ kind: 'command', command: 'ls' }, assessment('ask'));
  assert.throws(() => q.transition(item.id, 'running'), IllegalTransition);
});

test('an approval is bound to the exact content shown: a changed action is not covered', () => {
  const q = new ApprovalQueue();
  const item = q.add({ kind: 'command', command: 'pip install requests' }, assessment('batch'));
  const seenBefore = contentHash({ kind: 'command', command: 'pip install requests' });
  const changed = contentHash({ kind: 'command', command: 'pip install requestz' });
  assert.throws(() => q.approve(item.id, changed, 'me'), StaleApproval);
  assert.equal(q.get(item.id)?.state, 'pending');
  q.approve(item.id, seenBefore, 'me');
  assert.equal(q.get(item.id)?.state, 'approved');
});

test('content hashes differ for any change of command, cwd or diff', () => {
  const a = contentHash({ kind: 'command', command: 'ls' });
  assert.notEqual(a, contentHash({ kind: 'command', command: 'ls ' }));
  assert.notEqual(a, contentHash({ kind: 'command', command: 'ls', cwd: 'src' }));
  assert.notEqual(contentHash({ kind: 'edit', diff: 'a' }), contentHash({ kind: 'edit', diff: 'b' }));
});

test('claimForRun succeeds exactly once', () => {
  const q = new ApprovalQueue();
  const item = q.add({ kind: 'command', command: 'ls' }, assessment('auto'));
  q.transition(item.id, 'approved', 'policy');
  assert.equal(q.claimForRun(item.id), true);
  assert.equal(q.claimForRun(item.id), false);
});

test('caller fields that could lower a decision are stripped and reported', () => {
  const { action, ignoredFields } = parseAction({ kind: 'command', command: 'git push', safe: true, risk: 'low', sandbox: false });
  assert.deepEqual(action, { kind: 'command', command: 'git push' });
  assert.deepEqual(ignoredFields.sort(), ['risk', 'safe', 'sandbox']);
  assert.throws(() => parseAction({ kind: 'command' }), /not a valid action/);
});

class ManualTimers implements Timers {
  fns: (() => void)[] = [];
  set(fn: () => void): unknown {
    this.fns.push(fn);
    return this.fns.length;
  }
  clear(): void {
    this.fns = [];
  }
  fire(): void {
    const f = this.fns;
    this.fns = [];
    for (const fn of f) fn();
  }
}

test('batching: items collect for the window, then one batch grouped by kind and effect', () => {
  const q = new ApprovalQueue();
  const timers = new ManualTimers();
  const batches: Batch[] = [];
  const b = new Batcher(2000, 50, (x) => batches.push(x), timers);
  for (const c of ['pip install a', 'pip install b', 'npm install c']) b.add(q.add({ kind: 'command', command: c }, assessment('batch')));
  b.add(q.add({ kind: 'command', command: 'rm -rf dist' }, assessment('batch', 'delete-build-output')));
  assert.equal(batches.length, 0);
  timers.fire();
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0]?.groups.map((g) => g.title), ['3 dependency installs from the registry', '1 deletion of build output']);
});

test('batching: a full batch is handed over at once', () => {
  const q = new ApprovalQueue();
  const batches: Batch[] = [];
  const b = new Batcher(60_000, 3, (x) => batches.push(x), new ManualTimers());
  for (let i = 0; i < 7; i++) b.add(q.add({ kind: 'command', command: `pip install p${i}` }, assessment('batch')));
  assert.deepEqual(batches.map((x) => x.items.length), [3, 3]);
  assert.equal(b.pending, 1);
});

test('fatigue: approvals of high-risk items faster than they can be read raise a warning', () => {
  const m = new FatigueMetrics();
  m.recordAction('ask');
  m.recordReview('ask', true, 400, 'high');
  m.recordReview('ask', true, 300, 'high');
  assert.equal(m.snapshot().warnings.length, 0);
  m.recordReview('ask', true, 200, 'critical');
  assert.equal(m.snapshot().warnings.length, 1);
  const s = m.snapshot();
  assert.equal(s.promptsShown, 3);
  assert.equal(s.approvalRate, 1);
  assert.equal(s.medianDecideMs, 300);
});

test('fatigue: a careful approval resets the streak', () => {
  const m = new FatigueMetrics();
  m.recordReview('ask', true, 400, 'high');
  m.recordReview('ask', true, 400, 'high');
  m.recordReview('ask', true, 5000, 'high');
  m.recordReview('ask', true, 400, 'high');
  assert.equal(m.snapshot().warnings.length, 0);
});

test('learned rules are argument-aware and never a bare program', () => {
  const w = (...v: string[]) => v.map((value) => ({ value, dynamic: false }));
  assert.deepEqual(proposeRule({ kind: 'command', command: 'x' }, w('pip', 'install', 'requests', '--user')), { match: 'pip install', decision: 'auto', context: 'sandbox', reason: 'allowed by a person ("always allow this")' });
  assert.equal((proposeRule({ kind: 'command', command: 'x' }, w('npm', 'run', 'build')) as { match: string }).match, 'npm run build');
  assert.equal((proposeRule({ kind: 'command', command: 'x' }, w('python3', '-m', 'pip', 'install', 'x')) as { match: string }).match, 'pip install');
  assert.ok('refused' in proposeRule({ kind: 'command', command: 'x' }, w('rm', '-rf', 'build')));
  assert.ok('refused' in proposeRule({ kind: 'command', command: 'x' }, [{ value: 'pip', dynamic: false }, { value: '\u{FFFC}', dynamic: true }]));
  assert.ok('refused' in proposeRule({ kind: 'edit', diff: '' }, []));
});
