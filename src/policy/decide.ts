import { ruleSpec } from '../risk/rules';
import type { Assessment, Context, Decision, Finding, Level, Reason, Span } from '../risk/types';
import { decisionRank, LEVEL_BANDS, levelOfScore, maxDecision } from '../risk/types';
import { DEFAULT_THRESHOLDS } from './defaults';
import type { EffectivePolicy, LayeredRule } from './layering';
import { ruleMatches, type MatchableCommand } from './ruleMatch';
import type { Thresholds } from './schema';

export interface DecideCommand extends MatchableCommand {
  index: number;
  /** Span of the program and its arguments; findings outside it (redirections, assignments) stay as they are. */
  argvSpan?: Span;
}

interface View {
  levels: Record<string, Level>;
  thresholds: Thresholds;
}

function weigh(f: Finding, context: Context, view: View): Reason {
  const spec = ruleSpec(f.rule);
  let score = context === 'host' ? (spec.hostScore ?? spec.score) : spec.score;
  const override = view.levels[f.rule];
  if (override) {
    const [lo, hi] = LEVEL_BANDS[override];
    score = Math.min(Math.max(score, lo), hi);
  }
  return {
    rule: f.rule,
    message: f.message,
    level: levelOfScore(score),
    score,
    ...(f.span ? { span: f.span } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
    ...(f.side ? { side: f.side } : {}),
  };
}

export function decisionForScore(score: number, t: Thresholds): Decision {
  if (score <= t.auto) return 'auto';
  if (score <= t.batch) return 'batch';
  if (score <= t.ask) return 'ask';
  return 'deny';
}

function floorOf(rule: string): Decision {
  return ruleSpec(rule).floor ?? 'auto';
}

function findingsDecision(findings: Finding[], context: Context, view: View): Decision {
  let d: Decision = 'auto';
  for (const f of findings) d = maxDecision(d, maxDecision(decisionForScore(weigh(f, context, view).score, view.thresholds), floorOf(f.rule)));
  return d;
}

function strictest(rules: LayeredRule[]): LayeredRule | undefined {
  return rules.reduce<LayeredRule | undefined>((best, r) => (!best || decisionRank(r.decision) > decisionRank(best.decision) ? r : best), undefined);
}

function within(span: Span | undefined, outer: Span | undefined): boolean {
  if (!span || !outer) return true;
  return span[0] >= outer[0] && span[1] <= outer[1];
}

/**
 * Turns findings into a decision under a policy. Order of strength: floors (no rule or threshold goes
 * below them) > team rules > workspace rules (which may not loosen what the team policy tightened) >
 * thresholds over the findings' scores. A caller's own claims play no part: there is no input for them.
 */
export function decide(findings: Finding[], commands: DecideCommand[], context: Context, policy: EffectivePolicy): Assessment {
  const effective: View = { levels: policy.ruleLevels, thresholds: policy.thresholds[context] };
  const teamView: View = { levels: policy.team?.ruleLevels ?? {}, thresholds: policy.team?.thresholds[context] ?? DEFAULT_THRESHOLDS[context] };
  const defaultsView: View = { levels: {}, thresholds: DEFAULT_THRESHOLDS[context] };
  const notes = [...policy.ignored];
  const reasons = findings.map((f) => weigh(f, context, effective));
  let decision: Decision = 'auto';

  const byCommand = new Map<number | undefined, Finding[]>();
  for (const f of findings) byCommand.set(f.commandIndex, [...(byCommand.get(f.commandIndex) ?? []), f]);

  for (const cmd of commands) {
    const own = byCommand.get(cmd.index) ?? [];
    byCommand.delete(cmd.index);
    const applicable = policy.rules.filter((r) => (r.context === 'any' || r.context === context) && ruleMatches(r.match, cmd));
    const argvFindings = own.filter((f) => within(f.span, cmd.argvSpan));
    const sideFindings = own.filter((f) => !within(f.span, cmd.argvSpan));
    const computed = findingsDecision(argvFindings, context, effective);
    let commandDecision = computed;
    if (applicable.length > 0) {
      const team = strictest(applicable.filter((r) => r.layer === 'team'));
      const ws = strictest(applicable.filter((r) => r.layer === 'workspace'));
      let ruleDecision: Decision | undefined = team?.decision;
      if (ws) {
        const teamBound = team ? team.decision : policy.team && decisionRank(findingsDecision(argvFindings, context, teamView)) > decisionRank(findingsDecision(argvFindings, context, defaultsView)) ? findingsDecision(argvFindings, context, teamView) : undefined;
        if (teamBound && decisionRank(ws.decision) < decisionRank(teamBound)) {
          notes.push(`workspace rule "${ws.match}" (${ws.decision}) ignored: the team policy ${team ? `rule "${team.match}" says ${team.decision}` : `makes it ${teamBound}`}`);
          ruleDecision ??= computed;
        } else {
          ruleDecision = team ? maxDecision(team.decision, ws.decision) : ws.decision;
        }
      }
      if (ruleDecision) {
        const floor = argvFindings.reduce<Decision>((d, f) => maxDecision(d, floorOf(f.rule)), 'auto');
        commandDecision = maxDecision(ruleDecision, floor);
        const rule = [team, ws].find((r) => r?.decision === ruleDecision) ?? team ?? ws;
        if (rule) notes.push(`${rule.layer} rule "${rule.match}" → ${rule.decision}${rule.reason ? ` (${rule.reason})` : ''}${decisionRank(floor) > decisionRank(rule.decision) ? `; raised to ${floor} by a rule no policy can lower` : ''}`);
      }
    }
    decision = maxDecision(decision, maxDecision(commandDecision, findingsDecision(sideFindings, context, effective)));
  }
  for (const rest of byCommand.values()) decision = maxDecision(decision, findingsDecision(rest, context, effective));

  const score = reasons.reduce((m, r) => Math.max(m, r.score), 0);
  reasons.sort((a, b) => b.score - a.score || (a.span?.[0] ?? 0) - (b.span?.[0] ?? 0));
  return { score, level: levelOfScore(score), decision, reasons, policyNotes: notes };
}
