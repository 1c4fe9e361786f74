import type { Finding } from '../../types';
import type { SimpleCommand, Word } from '../model';
import { programName } from '../model';
import { finding, hasFlag, hostKind, optionValues, pathFindings, pathOf, type AnalyzerContext, type CommandAnalyzer } from './context';
import { interpreterCode, interpreterSpec } from '../interpreters';
import { scanCodeCached } from '../../shared/inlineCode';
import { networkFinding } from './network';
import { packageManagerFindings } from './packages';

/** `python -m X` modules that are ordinary development tools. */
const LISTEN_MODULES = new Set(['http.server', 'SimpleHTTPServer', 'smtpd', 'aiosmtpd', 'pyftpdlib', 'uploadserver', 'CGIHTTPServer']);

export function codeFindings(code: string, word: Word, cmd: SimpleCommand, ctx: AnalyzerContext, label: string): Finding[] {
  const s = scanCodeCached(code);
  const out: Finding[] = [];
  const span = word.span;
  if (s.obfuscatedExec) out.push(finding('inline-code-obfuscated', `${label} decodes a payload and executes it`, cmd, span));
  const opaque = s.shellCalls.filter((c) => c.literal === undefined);
  // Commands built from data that arrives over a socket: the shape of every scripted reverse shell.
  if ((opaque.length > 0 || s.namesShell) && (s.hosts.length > 0 || s.networkUnknown || s.listens || /\/inet\/(tcp|udp)\//.test(code))) {
    out.push(finding('reverse-shell', `${label} runs commands and talks to the network in the same program`, cmd, span));
  }
  if (opaque.length > 0) out.push(finding('inline-code-shell', `${label} runs commands through ${[...new Set(opaque.map((c) => c.api))].join(', ')} with arguments Airlock cannot read`, cmd, span));
  if (s.namesShell && s.shellCalls.every((c) => c.literal === undefined)) out.push(finding('hidden-shell', `${label} starts a shell`, cmd, span));
  const sends = s.fileRefs.some((r) => !r.write) || s.pathLiterals.length > 0;
  for (const host of s.hosts) out.push(...networkFinding(hostKind(host, ctx), `${label} contacts`, cmd, word, sends && s.writes === false && /post|send|upload|put\(|request\(|write\(/i.test(code) ? 'upload' : 'connect'));
  if (s.networkUnknown) out.push(finding('network-unknown', `${label} opens network connections to a destination Airlock cannot read`, cmd, span));
  if (s.listens) out.push(finding('network-listen', `${label} opens a listening socket`, cmd, span));
  if (s.privilege) out.push(finding('privilege-escalation', `${label} changes its user id`, cmd, span));
  if (s.nativeCode) out.push(finding('native-code', `${label} loads a native library`, cmd, span));
  if (s.appAutomation) out.push(finding('app-automation', `${label} drives other applications (keystrokes, dialogs, scripts in their context)`, cmd, span));
  const seen = new Set<string>();
  for (const ref of s.fileRefs) {
    seen.add(ref.path);
    out.push(...pathFindings({ ...word, value: ref.path, text: ref.path }, ref.write ? 'write' : 'read', cmd, ctx));
  }
  if ((s.hosts.length > 0 || s.networkUnknown) && out.some((f) => f.rule === 'secret-read')) {
    out.push(finding('exfiltration', `${label} reads a secret and talks to the network in the same program`, cmd, span));
  }
  for (const literal of s.pathLiterals) {
    if (seen.has(literal)) continue;
    const info = pathOf({ ...word, value: literal }, cmd, ctx);
    if (info.tags.includes('secret')) out.push(finding(s.hosts.length || s.networkUnknown ? 'exfiltration' : 'secret-read', `${label} names ${literal}, a secret file`, cmd, span));
    else if (s.writes && (info.tags.includes('persistence') || info.tags.includes('airlock') || info.tags.includes('protected'))) {
      out.push(...pathFindings({ ...word, value: literal, text: literal }, 'write', cmd, ctx));
    }
  }
  return out;
}

export const interpretersAnalyzer: CommandAnalyzer = {
  names: ['python', 'python2', 'python3', 'pypy', 'pypy3', 'py', 'node', 'nodejs', 'bun', 'deno', 'perl', 'ruby', 'php', 'lua', 'luajit', 'R', 'Rscript', 'julia', 'octave', 'octave-cli', 'osascript', 'expect', 'tclsh', 'wish', 'awk', 'gawk', 'mawk', 'nawk', 'groovy', 'jjs', 'jshell', 'pwsh', 'powershell', 'irb', 'ipython'],
  analyze(cmd, ctx) {
    const ic = interpreterCode(cmd);
    const name = programName(cmd) ?? '';
    if (!ic) return [finding('unknown-command', `${name} is not an interpreter Airlock knows`, cmd)];
    const out: Finding[] = [];
    const a = cmd.argv.slice(1);
    if (ic.spec.family === 'powershell' && a.some((w) => /^-(e|enc|encodedcommand)$/i.test(w.value))) out.push(finding('inline-code-obfuscated', 'PowerShell runs a base64-encoded command', cmd));
    if (ic.spec.name === 'php' && hasFlag(a, null, '-S')) {
      const addr = optionValues(a, '-S')[0];
      if (addr && !/^(localhost|127\.|\[::1\])/.test(addr.value)) out.push(finding('network-listen', `php -S ${addr.text} serves files to the network`, cmd, addr.span));
    }
    if (ic.spec.name === 'node' && optionValues(a, '-r', '--require', '--import', '--loader').length) {
      for (const r of optionValues(a, '-r', '--require', '--import', '--loader')) if (r.value.includes('/')) out.push(...pathFindings(r, 'read', cmd, ctx));
    }
    if (ic.spec.name === 'deno' && a[0]?.value === 'run' && ic.file && /^https?:/.test(ic.file.value)) {
      out.push(finding('download-exec', `deno run ${ic.file.text} downloads and runs code`, cmd, ic.file.span));
      return out;
    }
    if (ic.module) {
      const m = ic.module.value;
      if (m === 'pip' || m === 'pip3') return [...out, ...packageManagerFindings('pip', ic.programArgs, cmd, ctx)];
      if (LISTEN_MODULES.has(m)) {
        const bind = optionValues(ic.programArgs, '-b', '--bind')[0]?.value;
        out.push(bind && /^(localhost|127\.|::1)/.test(bind) ? finding('network-local', `python -m ${m} serves files on ${bind}`, cmd) : finding('network-listen', `python -m ${m} serves the current directory to the network`, cmd, ic.module.span));
        return out;
      }
      if (m === 'pty') out.push(finding('interactive-shell', 'python -m pty spawns a terminal shell', cmd, ic.module.span));
      out.push(finding('runs-workspace-code', `runs the Python module ${m}`, cmd, ic.module.span));
      return out;
    }
    if (ic.spec.family === 'applescript') out.push(finding('app-automation', 'osascript drives other applications', cmd));
    if (ic.spec.name === 'ruby' && a.some((w) => w.value === '-run') && /^\s*httpd\b/.test(ic.code ?? '')) out.push(finding('network-listen', 'ruby -run -e httpd serves files to the network', cmd));
    if (ic.code !== undefined && ic.codeWord) {
      if (ic.codeWord.dynamic && ic.code.includes('\u{FFFC}') && ic.codeWord.substitutionOnly) {
        out.push(finding('dynamic-script', `${name} runs code produced at run time`, cmd, ic.codeWord.span));
      }
      const found = codeFindings(ic.code, ic.codeWord, cmd, ctx, `${name} code`);
      out.push(...found);
      if (found.length === 0) out.push(finding('inline-code', `runs inline ${ic.spec.family} code`, cmd, ic.codeWord.span));
      // awk's and perl -n's remaining arguments are input files; for others they are at least paths handed over.
      for (const f of ic.programArgs.filter((w) => !/^\w+=/.test(w.value) && (ic.spec.programIsFirstArg || w.value.startsWith('/') || w.value.startsWith('~')))) out.push(...pathFindings(f, 'read', cmd, ctx));
      return out;
    }
    if (ic.file) {
      const info = pathOf(ic.file, cmd, ctx);
      if (info.tags.includes('secret')) out.push(finding('secret-read', `runs ${ic.file.text}, a secret file, as code`, cmd, ic.file.span));
      else if (info.kind === 'outside' || info.kind === 'home') out.push(finding('run-outside-binary', `runs ${ic.file.text}, a script from outside the workspace`, cmd, ic.file.span));
      else if (info.kind === 'device' || info.kind === 'network-device') out.push(finding('hidden-shell', `runs code read from ${ic.file.text}`, cmd, ic.file.span));
      else if (/^https?:\/\//.test(ic.file.value)) out.push(finding('download-exec', `runs ${ic.file.text} straight from the network`, cmd, ic.file.span));
      else out.push(finding('runs-workspace-code', `runs ${ic.file.text}`, cmd, ic.file.span));
      return out;
    }
    if (ic.fromPipe) return out; // judged with what feeds it, in the pipeline analyzer
    if (a.some((w) => /^(-V|--version|-h|--help|-v)$/.test(w.value))) return out;
    out.push(finding('interactive-program', `${name} with no program starts an interactive session`, cmd));
    return out;
  },
};

export function isInterpreter(name: string): boolean {
  return interpreterSpec(name) !== undefined;
}
