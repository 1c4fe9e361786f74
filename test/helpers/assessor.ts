import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assessor, type CommandAssessment } from '../../src/assessor';
import { combinePolicies } from '../../src/policy/layering';
import type { Policy } from '../../src/policy/schema';
import type { Context, Decision } from '../../src/risk/types';

export const WORKSPACE = '/work/project';
export const HOME = '/home/dev';

let shared: Promise<Assessor> | undefined;

/** One assessor with the default policy for a fixed workspace and home, shared by the table tests. */
export function defaultAssessor(): Promise<Assessor> {
  shared ??= Assessor.create({ policy: combinePolicies(undefined, undefined), workspace: WORKSPACE, home: HOME });
  return shared;
}

export function assessorWith(team: Policy | undefined, workspace: Policy | undefined): Promise<Assessor> {
  return Assessor.create({ policy: combinePolicies(team, workspace), workspace: WORKSPACE, home: HOME });
}

/** [command, expected decision, why it must be so] — one row per trap. */
export type Row = [command: string, expected: Decision, why: string];

function explain(command: string, r: CommandAssessment): string {
  return `${JSON.stringify(command)} → ${r.decision} (${r.score}); reasons: ${r.reasons.map((x) => `${x.rule}: ${x.message}`).join(' | ') || 'none'}`;
}

/** Runs a table: each row is its own test, named by its reason, failing with the full assessment. */
export function decisionTable(name: string, rows: Row[], context: Context = 'sandbox'): void {
  for (const [command, expected, why] of rows) {
    test(`${name}: ${why}`, async () => {
      const r = (await defaultAssessor()).assessCommand(command, { context });
      assert.equal(r.decision, expected, explain(command, r));
    });
  }
}

/** Asserts that a specific rule fired on the command (the decision alone can hide the wrong reason). */
export async function rulesOf(command: string, context: Context = 'sandbox'): Promise<string[]> {
  return (await defaultAssessor()).assessCommand(command, { context }).reasons.map((r) => r.rule);
}
