import type { Finding } from '../../types';
import type { SimpleCommand } from '../model';
import { programName } from '../model';
import { finding, pathFindings, pathOf, positionals, type AnalyzerContext, type CommandAnalyzer } from './context';

export const SHELLS = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'csh', 'tcsh', 'fish', 'rbash', 'yash', 'posh', 'elvish', 'nu', 'xonsh'];

function scriptFileFindings(file: { text: string; value: string; span: [number, number]; dynamic: boolean }, cmd: SimpleCommand, ctx: AnalyzerContext, verb: string): Finding[] {
  const info = pathOf(file, cmd, ctx);
  if (info.tags.includes('secret')) return [finding('secret-read', `${verb} ${file.text}, a secret file`, cmd, file.span)];
  if (info.kind === 'network-device') return [finding('reverse-shell', `${verb} commands arriving over ${file.text}`, cmd, file.span)];
  if (info.kind === 'device' || info.kind === 'null-device') return file.value === '/dev/null' ? [] : [finding('hidden-shell', `${verb} commands from ${file.text}`, cmd, file.span)];
  if (info.kind === 'outside' || info.kind === 'home') return [finding('run-outside-binary', `${verb} ${file.text}, from outside the workspace`, cmd, file.span)];
  if (info.tags.includes('persistence') && verb === 'sources') return [];
  return [finding('runs-workspace-code', `${verb} ${file.text}`, cmd, file.span)];
}

const shells: CommandAnalyzer = {
  names: SHELLS,
  analyze(cmd, ctx) {
    const name = programName(cmd) ?? 'sh';
    const a = cmd.argv.slice(1);
    const out: Finding[] = [];
    let sawScriptFlag = false;
    for (let i = 0; i < a.length; i++) {
      const w = a[i];
      if (!w) continue;
      const v = w.value;
      if (v === '--') break;
      if (/^[-+][a-zA-Z]+$/.test(v)) {
        if (v.startsWith('-') && v.includes('p') && name !== 'fish') out.push(finding('privilege-escalation', `${name} -p keeps elevated privileges (setuid shells)`, cmd, w.span));
        if (v.startsWith('-') && v.includes('i')) out.push(finding('interactive-shell', `${name} -i starts an interactive shell`, cmd, w.span));
        if (v.startsWith('-') && v.includes('c')) {
          sawScriptFlag = true;
          const script = a[i + 1];
          if (!script) out.push(finding('interactive-shell', `${name} -c without a script`, cmd, w.span));
          else if (script.dynamic) {
            // A script built from a substitution is judged with what produced it (pipeline analyzer); a variable is not knowable.
            if (!script.substitutionOnly) out.push(finding('dynamic-script', `${name} -c runs a script only known at run time`, cmd, script.span));
          }
          return out;
        }
        if (v === '-o' || v === '+o' || v === '-O' || v === '+O') i++;
        continue;
      }
      if (v.startsWith('--')) {
        if (v === '--rcfile' || v === '--init-file') {
          const f = a[i + 1];
          if (f) out.push(...scriptFileFindings(f, cmd, ctx, 'sources'));
          i++;
        }
        continue;
      }
      if (w.dynamic) out.push(finding('dynamic-script', `${name} runs ${w.text}, a script only known at run time`, cmd, w.span));
      else out.push(...scriptFileFindings(w, cmd, ctx, 'runs'));
      return out;
    }
    if (cmd.via === 'xargs' || cmd.via?.startsWith('find -')) {
      out.push(finding('hidden-shell', `${cmd.via} starts ${name} without a script`, cmd));
      return out;
    }
    if (sawScriptFlag) return out;
    const stdin = cmd.redirects.find((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<' || r.op === '<');
    if (stdin?.op === '<' && stdin.target) out.push(...scriptFileFindings(stdin.target, cmd, ctx, 'runs'));
    else if (stdin?.op === '<<<' && stdin.target?.dynamic) out.push(finding('dynamic-script', `${name} runs a script only known at run time`, cmd, stdin.target.span));
    else if (!stdin && !(cmd.pipeline && cmd.pipeline.stage > 0)) out.push(finding('interactive-shell', `${name} with no command starts an interactive shell`, cmd));
    return out;
  },
};

const source: CommandAnalyzer = {
  names: ['source', '.'],
  analyze(cmd, ctx) {
    const file = positionals(cmd.argv.slice(1))[0];
    if (!file) return [];
    if (file.processSubstitution || file.substitutionOnly) return [];
    return scriptFileFindings(file, cmd, ctx, 'sources');
  },
};

const enable: CommandAnalyzer = {
  names: ['enable'],
  analyze(cmd, ctx) {
    const a = cmd.argv.slice(1);
    const at = a.findIndex((w) => w.value === '-f');
    const lib = at >= 0 ? a[at + 1] : undefined;
    if (!lib) return [];
    return [finding('hidden-shell', `enable -f loads native code from ${lib.text} into the shell`, cmd, lib.span), ...pathFindings(lib, 'read', cmd, ctx)];
  },
};

export const shellAnalyzers = [shells, source, enable];
