import type { Finding } from '../types';
import type { ParsedScript, SimpleCommand, Word } from './model';
import type { Span } from '../types';
import { programName } from './model';
import type { ShellParser } from './parser';
import { ScriptExtractor } from './extract';
import { finding, pathFindings, pathOf, type AnalyzerContext, type CommandAnalyzer } from './analyzers/context';
import { deceptiveCharacterFindings, hasConfusableLetters } from './analyzers/characters';
import { readersAnalyzer } from './analyzers/readers';
import { fileOpsAnalyzers } from './analyzers/fileOps';
import { gitAnalyzer } from './analyzers/git';
import { networkAnalyzers, networkFinding } from './analyzers/network';
import { interpretersAnalyzer } from './analyzers/interpreters';
import { SHELLS, shellAnalyzers } from './analyzers/shells';
import { packageAnalyzers } from './analyzers/packages';
import { buildToolsAnalyzer } from './analyzers/buildTools';
import { systemAnalyzers } from './analyzers/system';
import { findAnalyzer, wrappersAnalyzer } from './analyzers/find';
import { interpreterCode, interpreterSpec } from './interpreters';
import { scanCodeCached } from '../shared/inlineCode';
import { classifyHost, hostOf } from '../shared/network';
import type { PathEnvironment } from '../shared/paths';
import type { NetworkRules } from '../shared/network';

export interface RiskEnvironment {
  paths: PathEnvironment;
  network: NetworkRules;
}

const ALL: CommandAnalyzer[] = [
  readersAnalyzer,
  ...fileOpsAnalyzers,
  gitAnalyzer,
  ...networkAnalyzers,
  interpretersAnalyzer,
  ...shellAnalyzers,
  ...packageAnalyzers,
  buildToolsAnalyzer,
  ...systemAnalyzers,
  findAnalyzer,
  wrappersAnalyzer,
];

/** Later entries win: specific families are listed after the generic readers. */
const REGISTRY = new Map<string, CommandAnalyzer>();
for (const a of ALL) for (const n of a.names) REGISTRY.set(n, a);

export function analyzerFor(name: string): CommandAnalyzer | undefined {
  return REGISTRY.get(name) ?? (interpreterSpec(name) ? interpretersAnalyzer : undefined);
}

const SHELL_SET = new Set(SHELLS);
const WRAPPER_NAMES = new Set(wrappersAnalyzer.names);
const SHELL_PATH = /(^|[\s=:'"(,!])(\/usr)?\/bin\/(ba|da|z|k|c|tc|fi|mk|a)?sh\b|^(ba|da|z|k|c|tc|fi|mk)?sh$|exec:|system:/;
const FETCHERS = new Set(['curl', 'wget', 'wget2', 'fetch', 'aria2c', 'http', 'https', 'xh', 'nc', 'ncat', 'netcat', 'socat', 'lwp-request', 'GET', 'ftp', 'tftp', 'scp', 'ssh', 'gh', 'openssl', 'telnet']);
const DECODERS = new Set(['base64', 'base32', 'basenc', 'xxd', 'openssl', 'gzip', 'gunzip', 'zcat', 'bzip2', 'bunzip2', 'xz', 'unxz', 'rev', 'tr', 'uudecode', 'zstd', 'brotli']);
const SENDERS = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'scp', 'telnet', 'openssl', 'mail', 'mailx', 'sendmail', 'ftp', 'tftp', 'http', 'https', 'xh', 'dig', 'nslookup', 'host', 'ping', 'rsync', 'aws', 'gsutil', 'gh']);
const DANGEROUS_ENV = /^(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH|DYLD_INSERT_LIBRARIES|BASH_ENV|ENV|PROMPT_COMMAND|PS4|SHELLOPTS|PYTHONSTARTUP|PYTHONINSPECT|NODE_OPTIONS|PERL5OPT|PERL5DB|RUBYOPT|GIT_SSH|GIT_SSH_COMMAND|GIT_EXTERNAL_DIFF|GIT_PAGER|GIT_EDITOR|GIT_ASKPASS|SSH_ASKPASS|GIT_CONFIG_\w+|GIT_EXEC_PATH|GIT_TEMPLATE_DIR|PAGER|MANPAGER|EDITOR|VISUAL|BROWSER|LESSOPEN|LESSCLOSE|SYSTEMD_PAGER|TAR_OPTIONS|RSYNC_RSH|CVS_RSH|GIT_PROXY_COMMAND|PIP_INDEX_URL|PIP_EXTRA_INDEX_URL|NPM_CONFIG_REGISTRY|npm_config_registry|HTTPS?_PROXY|https?_proxy|ALL_PROXY|NO_PROXY|no_proxy)$/;

/**
 * Everything Airlock notices about one command line. Pure: the same text and environment give the same
 * findings. Weights and the decision come later, from the rule catalog and the policy.
 */
export function analyzeCommand(text: string, parser: ShellParser, env: RiskEnvironment, cwd?: string): { findings: Finding[]; script: ParsedScript } {
  const findings: Finding[] = deceptiveCharacterFindings(text);
  if (text.trim() === '') {
    findings.push({ rule: 'empty-input', message: 'the command is empty' });
    return { findings, script: { commands: [], errors: [], functions: new Map(), written: new Map() } };
  }
  const extractor = new ScriptExtractor(parser, { cwd: cwd ?? env.paths.workspace });
  const script = extractor.extract(text);
  for (const span of script.errors.slice(0, 3)) {
    const snippet = text.slice(span[0], Math.min(span[1], span[0] + 40));
    findings.push({ rule: 'parse-error', message: `the shell parser could not account for ${JSON.stringify(snippet)} at offset ${span[0]}`, span });
  }
  const ctx: AnalyzerContext = { text, script, paths: env.paths, network: env.network };
  for (const cmd of script.commands) findings.push(...commandFindings(cmd, ctx));
  findings.push(...dataFlowFindings(script, findings, ctx));
  return { findings, script };
}

/** Programs whose arguments are text, names or patterns rather than files to open. */
const TEXT_ARGUMENTS = new Set(['echo', 'printf', 'export', 'declare', 'local', 'readonly', 'typeset', 'set', 'unset', 'alias', 'test', '[', '[[', 'which', 'type', 'command', 'hash', 'whereis', 'basename', 'dirname', 'realpath', 'readlink', 'cd', 'pushd', 'seq', 'expr', 'sleep', 'true', 'false', ':', 'trap', 'return', 'exit', 'let', 'read', 'getopts', 'printenv', 'env', 'kill', 'pkill', 'pgrep', 'ps', 'ssh', 'scp', 'rsync', 'sftp', 'curl', 'wget', 'docker', 'podman', 'kubectl']);
/** Programs whose whole arguments may name a shell binary without running it. */
const MAY_NAME_SHELLS = new Set([...TEXT_ARGUMENTS, 'ls', 'file', 'stat', 'cat', 'head', 'tail', 'grep', 'rg', 'wc', 'md5sum', 'sha256sum', 'strings', 'readelf', 'objdump', 'ldd', 'du', 'diff', 'cmp', 'cp', 'mv', 'ln', 'chmod', 'chown', 'find', 'apt', 'apt-get', 'dpkg', 'apk', 'yum', 'dnf', 'brew', 'update-alternatives', 'chsh', 'man', 'info', 'tldr', 'sed', 'awk', 'jq']);
/** Their first argument is a program or pattern (sed scripts, awk programs, regexes), judged by their analyzers. */
const PATTERN_FIRST = new Set(['sed', 'gsed', 'awk', 'gawk', 'mawk', 'nawk', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'jq', 'yq', 'perl', 'tr', 'find']);
/** A path as people write them: no regex or shell metacharacters. */
const PLAIN_PATH = /^~?\/[^*?[\]{}()|^$\\;'"<>\n]*$/;
/** Tools whose only purpose is credential theft, privilege escalation or post-exploitation. */
const OFFENSIVE_TOOLS = new Set(['lazagne', 'mimikatz', 'mimipenguin', 'linpeas', 'linenum', 'lse', 'pspy', 'pspy64', 'autosuid', 'linux-exploit-suggester', 'les', 'sherlock', 'powerup', 'sharphound', 'bloodhound', 'rubeus', 'secretsdump', 'responder', 'crackmapexec', 'netexec', 'evil-winrm', 'stratus', 'ligolo', 'sliver', 'msfconsole', 'msfvenom', 'meterpreter', 'beef', 'sqlmap', 'hashcat', 'john', 'hydra', 'unshadow', 'firefox_decrypt', 'chrome_decrypt', 'dumpzilla', 'impacket', 'psexec', 'wmiexec', 'smbexec', 'dcomexec', 'kerbrute', 'pwncat', 'deepce', 'amicontained', 'botb', 'keylogger', 'logkeys']);
const LISTING = new Set(['ls', 'dir', 'vdir', 'tree', 'du', 'stat', 'df', 'realpath', 'readlink', 'exa', 'eza', 'lsd']);
const GENERIC_PATH_RULES = new Set(['read-outside-workspace', 'read-home', 'system-recon', 'secret-read']);
/** Files whose content decides what a tool runs; written and then used in one input, their content is judged. */
const BUILD_CONFIG = /(^|\/)(package\.json|composer\.json|Gemfile|Rakefile|Makefile|makefile|GNUmakefile|setup\.py|setup\.cfg|pyproject\.toml|Cargo\.toml|build\.rs|\.npmrc|\.yarnrc(\.yml)?|tox\.ini|noxfile\.py|conftest\.py|Justfile|Taskfile\.ya?ml|\.bundle\/config)$/;
const HISTORY_VARIABLES = /^HIST(FILE|SIZE|FILESIZE|CONTROL|IGNORE|TIMEFORMAT)$/;

function commandFindings(cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  const family = familyFindings(cmd, ctx);
  // A family analyzer's reading of a word wins over the generic path check on the same word.
  const judged = new Set(family.filter((f) => f.span).map((f) => f.span?.join(',')));
  const same = new Set(family.map((f) => `${f.rule}|${f.span?.join(',')}`));
  const generic = genericFindings(cmd, ctx).filter((f) => !same.has(`${f.rule}|${f.span?.join(',')}`) && !(GENERIC_PATH_RULES.has(f.rule) && judged.has(f.span?.join(','))));
  return [...family, ...generic];
}

function familyFindings(cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  const out: Finding[] = [];
  for (const a of cmd.assignments) {
    if (HISTORY_VARIABLES.test(a.name)) {
      const v = a.value?.value ?? '';
      if (a.name === 'HISTFILE' ? v === '' || v === '/dev/null' : a.name === 'HISTCONTROL' ? /ignore(space|both)/.test(v) : a.name === 'HISTIGNORE' ? v.includes('*') : /^0*$/.test(v)) {
        out.push(finding('history-tamper-env', `${a.name}=${a.value?.text ?? ''} stops commands from being recorded`, cmd, a.span));
      }
    }
    if (DANGEROUS_ENV.test(a.name)) out.push(finding(/PROXY|proxy|INDEX_URL|REGISTRY|registry/.test(a.name) ? 'network-unknown' : 'hidden-shell', `sets ${a.name}, which changes what later programs run or where they connect`, cmd, a.span));
  }
  for (const r of cmd.redirects) out.push(...redirectFindings(r, cmd, ctx));
  if (cmd.background && cmd.argv.length > 0) out.push(finding('background-process', 'runs in the background and keeps running after the command returns', cmd));
  const first = cmd.argv[0];
  if (!first) return out;
  if (first.dynamic) {
    out.push(finding('dynamic-command', `the program ${first.text} is only known at run time`, cmd, first.span));
    return out;
  }
  const name = programName(cmd) ?? '';
  if (hasConfusableLetters(name)) {
    out.push(finding('homoglyph-command', `the program name ${JSON.stringify(name)} contains non-Latin letters that look like Latin ones`, cmd, first.span));
    return out;
  }
  if (/^[!:]/.test(first.value) && first.value.length > 1) {
    out.push(finding('hidden-shell', `${first.text} is an escape that runs a shell command inside an interactive program`, cmd, first.span));
    return out;
  }
  if (first.value.includes('/')) {
    const info = pathOf(first, cmd, ctx);
    const known = analyzerFor(name);
    // A known tool stays itself wherever it lives: a `cloudflared` in the workspace still opens a tunnel.
    if (known && info.kind !== 'system' && !SHELL_SET.has(name) && !interpreterSpec(name)) out.push(...known.analyze(cmd, ctx));
    if (info.tags.includes('secret')) out.push(finding('secret-read', `runs ${first.text}, a secret file`, cmd, first.span));
    if (SHELL_SET.has(name) && info.kind !== 'system') out.push(finding('hidden-shell', `${first.text} is a copy of a shell outside the system directories`, cmd, first.span));
    else if (info.kind === 'outside' || info.kind === 'home' || info.kind === 'temp' || info.kind === 'device') {
      out.push(finding('run-outside-binary', `runs ${first.text}, a program from outside the workspace and system directories`, cmd, first.span));
      return out;
    } else if ((info.kind === 'workspace' || info.kind === 'build-output' || info.kind === 'unknown') && !(known && info.kind === 'unknown')) {
      out.push(finding('runs-workspace-code', `runs ${first.text} from the workspace`, cmd, first.span));
      out.push(...unknownArgumentFindings(cmd, ctx));
      return out;
    }
    if (!known) {
      out.push(finding('unknown-command', `${first.text} is not a program Airlock has rules for`, cmd, first.span));
      out.push(...unknownArgumentFindings(cmd, ctx));
      return out;
    }
  }
  const analyzer = analyzerFor(name);
  if (analyzer) {
    out.push(...analyzer.analyze(cmd, ctx));
    return out;
  }
  if (/\.(py|sh|js|ts|rb|pl|php|bash)$/.test(name)) {
    out.push(finding('runs-workspace-code', `runs ${first.text}`, cmd, first.span));
    return out;
  }
  out.push(finding('unknown-command', `${name} is not a program Airlock has rules for`, cmd, first.span));
  out.push(...unknownArgumentFindings(cmd, ctx));
  return out;
}

/**
 * Checks every command gets, whatever its family: absolute paths handed to it (as arguments, option
 * values or `@file`), shells hidden in its options, native libraries it is told to load. A family
 * analyzer that already judged a word takes precedence (see dedupe by span in the caller).
 */
function genericFindings(cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  const out: Finding[] = [];
  const name = programName(cmd) ?? '';
  if (cmd.argv.length === 0 || cmd.argv[0]?.dynamic) return out;
  const isShellOrWrapper = SHELL_SET.has(name) || WRAPPER_NAMES.has(name) || name === 'sudo' || name === 'doas' || !!interpreterSpec(name);
  out.push(...stdinScriptFindings(cmd, ctx, name));
  for (const w of cmd.argv) {
    const base = (w.value.split('/').pop() ?? '').toLowerCase().replace(/\.(py|sh|pl|rb|ps1|exe|bin|js)$/, '');
    if (OFFENSIVE_TOOLS.has(base)) out.push(finding('offensive-tool', `${w.text} is a known attack tool`, cmd, w.span));
  }
  for (const w of cmd.argv.slice(1)) {
    const v = w.value;
    if (!TEXT_ARGUMENTS.has(name) && /^([\w-]+\.)+[a-z]{2,}:\d{1,5}$|^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/i.test(v) && !analyzerFor(name)?.names.includes('curl')) {
      const host = v.split(':')[0] ?? v;
      out.push(...networkFinding(classifyHost(host, ctx.network), `${name} ${w.text}`, cmd, w, 'connect'));
      continue;
    }
    if (/\.(so(\.\d+)*|dylib|dll)$/.test(v.replace(/^-[\w-]*=?/, '')) && !['ls', 'file', 'ldd', 'nm', 'objdump', 'readelf', 'strings', 'stat', 'rm', 'cp', 'mv', 'find', 'strip', 'chmod', 'du', 'md5sum', 'sha256sum', 'gcc', 'cc', 'g++', 'clang', 'ld', 'make', 'cmake', 'ar', 'ranlib', 'install', 'patchelf', 'tar', 'zip', 'unzip'].includes(name)) {
      out.push(finding('native-code', `${name} is handed ${w.text}, a native library it may load`, cmd, w.span));
      continue;
    }
    if (!isShellOrWrapper && !TEXT_ARGUMENTS.has(name) && SHELL_PATH.test(v) && !(MAY_NAME_SHELLS.has(name) && /^(\/usr)?\/bin\/\w*sh$|^\w*sh$/.test(v))) {
      out.push(finding('hidden-shell', `${cmd.argv[0]?.text} is handed a shell (${w.text}): a known way to run commands through another program`, cmd, w.span));
      continue;
    }
    if (TEXT_ARGUMENTS.has(name) || PATTERN_FIRST.has(name) || SHELL_SET.has(name) || !!interpreterSpec(name)) continue;
    const embedded = v.replace(/^--?[\w-]+=/, '').replace(/^@/, '').replace(/^file:(\/\/)?/, '').replace(/\?.*$/, '').replace(/^-[a-zA-Z](?=\/)/, '');
    if ((embedded.startsWith('/') || embedded.startsWith('~/')) && PLAIN_PATH.test(embedded)) {
      // Listing a directory is not reading its files: only secrets count for listings.
      const found = pathFindings({ ...w, value: embedded }, 'read', cmd, ctx);
      out.push(...(LISTING.has(name) ? found.filter((f) => f.rule !== 'read-home' && f.rule !== 'read-outside-workspace') : found));
    }
    else if (/\s(\/[\w.-]+){2,}/.test(v)) {
      for (const m of v.matchAll(/(?:^|[\s'"=])((?:\/[\w.@-]+){2,})/g)) if (m[1]) out.push(...pathFindings({ ...w, value: m[1] }, 'read', cmd, ctx));
    }
  }
  return out;
}

/**
 * Text fed on stdin to a program that is not a shell or interpreter is often its own command language:
 * `ed` and `ftp` run `!cmd` lines, sqlite3 has `.shell`/`.system`/`.import`, gdb has `shell`.
 */
function stdinScriptFindings(cmd: SimpleCommand, ctx: AnalyzerContext, name: string): Finding[] {
  if (SHELL_SET.has(name) || interpreterSpec(name) || ['cat', 'tee', 'grep', 'sed', 'head', 'tail', 'wc', 'sort', 'patch', 'git', 'base64', 'xargs', 'diff', 'jq', 'crontab', 'mail', 'tr'].includes(name)) return [];
  const out: Finding[] = [];
  for (const r of cmd.redirects) {
    if (!r.body || (r.op !== '<<' && r.op !== '<<-' && r.op !== '<<<')) continue;
    const text = r.body.text;
    if (/^\s*(!|\.(shell|system)\b|shell\b|system\b|\\!)/m.test(text) || /(^|[\s'"(])\/(usr\/)?bin\/(ba|da|z|k|c|tc)?sh\b/.test(text)) {
      out.push(finding('hidden-shell', `the input given to ${name} contains shell escapes`, cmd, r.body.span));
    }
    for (const m of text.matchAll(/^\s*\.(import|read|load|open|output|once|backup|restore)\s+['"]?([^\s'"]+)/gm)) {
      const path = m[2] ?? '';
      out.push(...pathFindings({ text: path, value: path, dynamic: false, span: r.body.span }, /^(output|once|backup)$/.test(m[1] ?? '') ? 'write' : 'read', cmd, ctx));
      if (m[1] === 'load') out.push(finding('native-code', `${name} .load loads a native extension`, cmd, r.body.span));
    }
  }
  return out;
}

/**
 * For programs without rules: any path or URL in their arguments is taken at face value. (A shell handed
 * to them is caught by genericFindings, which every command gets.)
 */
function unknownArgumentFindings(cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  const out: Finding[] = [];
  for (const w of cmd.argv.slice(1)) {
    const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(w.value) ? hostOf(w.value) : /^[\w.-]+@[\w.-]+:/.test(w.value) ? hostOf(w.value) : undefined;
    if (host && !/^file:/i.test(w.value)) {
      out.push(...networkFinding(classifyHost(host, ctx.network), `${cmd.argv[0]?.text} ${w.text}`, cmd, w, 'connect'));
      continue;
    }
    const value = w.value.replace(/^--?[\w-]+=/, '').replace(/^-[a-zA-Z]/, (m) => (w.value.length > 2 && /^-[a-zA-Z]\//.test(w.value) ? '' : m));
    if (value.startsWith('/') || value.startsWith('~') || value.startsWith('../')) {
      const pw: Word = { ...w, value };
      out.push(...pathFindings(pw, 'read', cmd, ctx));
    }
  }
  return out;
}

function redirectFindings(r: SimpleCommand['redirects'][number], cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  if (!r.target || r.op === '<<' || r.op === '<<-' || r.op === '<<<') return [];
  const t = r.target;
  if ((r.op === '>&' || r.op === '<&') && (/^\d+-?$|^-$/.test(t.value))) return [];
  if (t.processSubstitution) return [];
  const mode = r.op === '<' ? 'read' : 'write';
  if (r.op === '<>') return [...pathFindings(t, 'read', cmd, ctx), ...pathFindings(t, 'write', cmd, ctx)];
  return pathFindings(t, mode, cmd, ctx);
}

/** Commands whose stdin is executed as code: shells without a script, interpreters reading stdin. */
function executesStdin(cmd: SimpleCommand): boolean {
  const name = programName(cmd) ?? '';
  if (SHELL_SET.has(name)) {
    const a = cmd.argv.slice(1);
    const hasScript = a.some((w, i) => (!w.value.startsWith('-') && !w.value.startsWith('+') && !(a[i - 1]?.value === '-o')) || /^-[a-z]*c/.test(w.value));
    return !hasScript || a.some((w) => w.value === '-s' || w.value === '/dev/stdin' || w.value === '-');
  }
  if ((name === 'source' || name === '.') && ['/dev/stdin', '-', '/proc/self/fd/0', '/dev/fd/0'].includes(cmd.argv[1]?.value ?? '')) return true;
  const ic = interpreterCode(cmd);
  if (ic && ic.fromPipe && ic.code === undefined && !ic.module && (!ic.file || ['-', '/dev/stdin'].includes(ic.file.value))) return true;
  return false;
}

/** Commands that execute their argument as code, whose argument came from a substitution. */
function executesArgument(cmd: SimpleCommand): boolean {
  const name = programName(cmd) ?? '';
  if (name === 'eval' || name === 'source' || name === '.') return true;
  if (SHELL_SET.has(name) && cmd.argv.some((w) => /^-[a-z]*c/.test(w.value))) return true;
  if (SHELL_SET.has(name) && cmd.argv.slice(1).find((w) => !w.value.startsWith('-'))?.processSubstitution) return true;
  const ic = interpreterCode(cmd);
  return !!ic && (ic.code !== undefined || !!ic.file);
}

function isFetcher(c: SimpleCommand): boolean {
  const name = programName(c) ?? '';
  if (FETCHERS.has(name)) return name !== 'openssl' || c.argv[1]?.value === 's_client';
  const ic = interpreterCode(c);
  return !!ic?.code && /urlopen|requests\.get|fetch\(|https?\.get|urllib|LWP|open-uri|Net::HTTP/.test(ic.code);
}

function isDecoder(c: SimpleCommand): boolean {
  const name = programName(c) ?? '';
  if (!DECODERS.has(name)) return false;
  const a = c.argv.slice(1).map((w) => w.value);
  if (name === 'base64' || name === 'base32' || name === 'basenc') return a.some((v) => /^-[a-zA-Z]*d|^--decode$|^-D$/.test(v));
  if (name === 'xxd') return a.some((v) => /^-[a-z]*r/.test(v));
  if (name === 'openssl') return a.some((v) => v === '-d' || v === 'base64' || v === 'enc');
  if (name === 'gzip' || name === 'bzip2' || name === 'xz' || name === 'zstd' || name === 'brotli') return a.some((v) => /^-[a-z]*d|^--decompress$/.test(v));
  if (name === 'tr') return a.some((v) => /A-Za-z|a-zA-Z|N-ZA-M|n-za-m/.test(v));
  return true;
}

const SECRET_SOURCES = new Set(['secret-read', 'env-dump', 'secret-search']);

const TEXT_FILTERS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'sed', 'awk', 'gawk', 'cut', 'tr', 'sort', 'uniq', 'head', 'tail', 'wc', 'cat', 'tee', 'less', 'more', 'jq', 'column', 'fold', 'fmt', 'nl', 'paste', 'rev', 'tac', 'base64', 'md5sum', 'sha256sum', 'od', 'xxd', 'hexdump', 'python', 'python3', 'node', 'perl', 'ruby', 'sh', 'bash', 'dash', 'zsh']);

function dataFlowFindings(script: ParsedScript, found: Finding[], ctx: AnalyzerContext): Finding[] {
  const out: Finding[] = [];
  const byCommand = new Map<number, Finding[]>();
  for (const f of found) if (f.commandIndex !== undefined) byCommand.set(f.commandIndex, [...(byCommand.get(f.commandIndex) ?? []), f]);
  const kids = new Map<number, SimpleCommand[]>();
  for (const c of script.commands) if (c.parent !== undefined) kids.set(c.parent, [...(kids.get(c.parent) ?? []), c]);
  const childrenOf = (index: number) => (kids.get(index) ?? []).filter((c) => c.origin === 'command-substitution' || c.origin === 'process-substitution');
  const descendants = (index: number): SimpleCommand[] => {
    const out: SimpleCommand[] = [];
    const stack = [...(kids.get(index) ?? [])];
    while (stack.length > 0 && out.length < 10_000) {
      const c = stack.pop() as SimpleCommand;
      out.push(c);
      stack.push(...(kids.get(c.index) ?? []));
    }
    return out;
  };
  const readsSecrets = (c: SimpleCommand) => (byCommand.get(c.index) ?? []).some((f) => SECRET_SOURCES.has(f.rule)) || descendants(c.index).some((d) => (byCommand.get(d.index) ?? []).some((f) => SECRET_SOURCES.has(f.rule)));
  const sends = (c: SimpleCommand) => SENDERS.has(programName(c) ?? '') || (byCommand.get(c.index) ?? []).some((f) => /^network-(unlisted|unknown|ip-literal|allowlisted|denied)$|^upload$|^remote-shell$/.test(f.rule));

  // Stages per pipeline, gathered in one pass; each consumer is judged against what flows into it, kept as
  // running totals so long pipelines stay linear.
  const stagesOf = new Map<number, SimpleCommand[][]>();
  for (const c of script.commands) {
    if (!c.pipeline || !['top', 'inline-script', 'wrapped', 'command-substitution', 'process-substitution'].includes(c.origin)) continue;
    const stages = stagesOf.get(c.pipeline.id) ?? Array.from({ length: c.pipeline.stages }, () => [] as SimpleCommand[]);
    stages[c.pipeline.stage]?.push(c);
    stagesOf.set(c.pipeline.id, stages);
  }
  const PLAIN = ['cat', 'echo', 'printf', 'head', 'tail', 'sed', 'grep', 'sort'];
  const NETCAT = ['nc', 'ncat', 'netcat', 'socat', 'telnet', 'openssl'];
  for (const byStage of stagesOf.values()) {
    const netcatAfter: boolean[] = new Array(byStage.length + 1).fill(false);
    for (let s = byStage.length - 1; s >= 0; s--) netcatAfter[s] = netcatAfter[s + 1] || (byStage[s] ?? []).some((d) => NETCAT.includes(programName(d) ?? ''));
    let fetcher: SimpleCommand | undefined;
    let decoder = false;
    let networkish = false;
    let plainOnly = true;
    let secrets = false;
    const echoedPaths: Word[] = [];
    const start = byStage[0]?.[0]?.span[0];
    for (let s = 0; s < byStage.length; s++) {
      if (s > 0) {
        for (const consumer of byStage[s] ?? []) {
          if (executesStdin(consumer)) {
            const span: Span = [start ?? consumer.span[0], consumer.span[1]];
            if (fetcher) out.push(finding('download-exec', `${consumer.argv[0]?.text} runs what ${fetcher.argv[0]?.text} downloads`, consumer, span));
            else if (decoder) out.push(finding('decode-exec', `${consumer.argv[0]?.text} runs a decoded payload`, consumer, span));
            else if (networkish) out.push(finding('reverse-shell', `${consumer.argv[0]?.text} runs commands arriving over the network`, consumer));
            else if (!plainOnly) out.push(finding('dynamic-script', `${consumer.argv[0]?.text} runs a script produced by other commands`, consumer));
          }
          // `echo /etc/shadow | cpio -o`: names printed upstream are files to a consumer that opens its input's names.
          if (!TEXT_FILTERS.has(programName(consumer) ?? '')) for (const w of echoedPaths) out.push(...pathFindings(w, 'read', consumer, ctx));
          if (secrets && sends(consumer)) out.push(finding('exfiltration', `${consumer.argv[0]?.text} sends data that came from secrets`, consumer));
          if ((SHELL_SET.has(programName(consumer) ?? '') || executesStdin(consumer)) && netcatAfter[s + 1]) out.push(finding('reverse-shell', "a shell's input and output are wired to a network connection", consumer));
        }
      }
      for (const u of byStage[s] ?? []) {
        if (!fetcher && isFetcher(u)) fetcher = u;
        decoder ||= isDecoder(u);
        networkish ||= FETCHERS.has(programName(u) ?? '') || sends(u);
        plainOnly &&= PLAIN.includes(programName(u) ?? '') && !u.argv.some((w) => w.dynamic) && !(byCommand.get(u.index) ?? []).some((f) => !/^write-(workspace|temp)$/.test(f.rule));
        secrets ||= readsSecrets(u);
        if ((programName(u) === 'echo' || programName(u) === 'printf') && echoedPaths.length < 100) for (const w of u.argv.slice(1)) if (w.value.startsWith('/') || w.value.startsWith('~')) echoedPaths.push(w);
      }
    }
  }

  for (const c of script.commands) {
    const subs = childrenOf(c.index);
    if (subs.length === 0) continue;
    if (executesArgument(c) || (c.argv[0]?.dynamic && c.argv[0].substitutionOnly)) {
      if (subs.some(isFetcher)) out.push(finding('download-exec', `${c.argv[0]?.text} runs code that ${subs.find(isFetcher)?.argv[0]?.text} downloads`, c));
      else if (subs.some(isDecoder)) out.push(finding('decode-exec', `${c.argv[0]?.text} runs a decoded payload`, c));
      else if (SHELL_SET.has(programName(c) ?? '') || programName(c) === 'eval' || c.argv[0]?.dynamic) out.push(finding('dynamic-script', `${c.argv[0]?.text} runs a script produced by ${subs.map((s) => s.argv[0]?.text).join(', ')}`, c));
    }
    if (sends(c) && subs.some(readsSecrets)) out.push(finding('exfiltration', `${c.argv[0]?.text} sends data read from secrets`, c));
    else if (sends(c) && subs.some((s) => s.argv.length > 0) && (byCommand.get(c.index) ?? []).some((f) => /^network-(unlisted|unknown|ip-literal)$/.test(f.rule))) {
      out.push(finding('upload', `${c.argv[0]?.text} puts command output into a request to an unlisted destination`, c));
    }
  }

  for (const [path, content] of script.written) {
    if (!BUILD_CONFIG.test(path)) continue;
    const signals = scanCodeCached(content.text);
    if (SHELL_PATH.test(content.text) || /["'](\/bin\/)?(ba|z|da)?sh\b|\bsystem\s*\(|`[^`]+`|\$\(/.test(content.text) || signals.shellCalls.length > 0 || signals.obfuscatedExec) {
      out.push({ rule: 'hidden-shell', message: `writes ${path.split('/').pop()} with commands that a build or install step will run`, span: content.span });
    }
  }
  for (const [name, fn] of script.functions) {
    if (fn.calls.includes(name) && (fn.background || fn.piped)) out.push({ rule: 'fork-bomb', message: `function ${name} calls itself in a pipe or in the background`, span: fn.span });
  }
  return out;
}
