import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingReviews } from '../../src/ui/pendingReviews';
import { EditorPerson } from '../../src/ui/editorPerson';
import type { ReviewItem, ReviewRequest } from '../../src/broker/ports';

const item = (id: string, hash: string): ReviewItem => ({ id, hash, action: { kind: 'command', command: `echo ${id}` }, assessment: { score: 60, level: 'high', decision: 'ask', reasons: [], policyNotes: [] } });
const ask = (id: string): ReviewRequest => ({ kind: 'ask', item: item(id, `h-${id}`) });

test('answers go to the oldest review by default and carry the hashes that were shown', async () => {
  const p = new PendingReviews();
  const a = p.add(ask('a'), 1);
  const b = p.add({ kind: 'batch', batchId: 'b1', items: [item('b', 'h-b'), item('c', 'h-c')], groups: [] }, 2);
  assert.equal(p.list().length, 2);
  assert.equal(p.answer(undefined, true, 'tester'), true);
  assert.deepEqual(await a.answer, { kind: 'ask', approve: true, hash: 'h-a', by: 'tester' });
  assert.equal(p.answer(b.review.id, false, 'tester', 'no'), true);
  assert.deepEqual(await b.answer, { kind: 'batch', approve: false, hashes: { b: 'h-b', c: 'h-c' }, by: 'tester', reason: 'no' });
  assert.equal(p.answer(undefined, true, 'tester'), false);
});

test('change listeners fire on add and answer; declineAll answers everything', async () => {
  const p = new PendingReviews();
  let n = 0;
  p.onChange(() => n++);
  const x = p.add(ask('x'));
  const y = p.add(ask('y'));
  p.declineAll('extension', 'stopping');
  assert.equal((await x.answer).approve, false);
  assert.equal((await y.answer).approve, false);
  assert.equal(n, 4);
});

test('the editor person declines without asking in an untrusted workspace, and notifies only for asks', async () => {
  const p = new PendingReviews();
  const notified: string[] = [];
  let trusted = false;
  const person = new EditorPerson(p, { isTrusted: () => trusted, notify: (r) => notified.push(r.id) });
  const untrusted = await person.review(ask('u'));
  assert.equal(untrusted.approve, false);
  assert.match(untrusted.reason ?? '', /not trusted/);
  assert.equal(p.list().length, 0);
  trusted = true;
  const pendingAsk = person.review(ask('t'));
  const pendingBatch = person.review({ kind: 'batch', batchId: 'b', items: [item('b', 'h-b')], groups: [] });
  assert.equal(p.list().length, 2);
  assert.equal(notified.length, 1);
  p.answer(undefined, true, 'me');
  p.answer(undefined, true, 'me');
  assert.equal((await pendingAsk).approve, true);
  assert.equal((await pendingBatch).approve, true);
});
