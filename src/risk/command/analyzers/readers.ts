import type { Finding } from '../../types';
import type { SimpleCommand, Word } from '../model';
import { args, finding, hasFlag, optionValues, pathFindings, positionals, type AnalyzerContext, type CommandAnalyzer } from './context';
import { looksLikePath } from '../../shared/paths';

/**
 * Tools that only read and print. Their file arguments are checked for secrets and for places outside the
 * workspace; options that turn a reader into a writer or a runner are each named.
 */
const PURE = [
  'cat', 'head', 'tail', 'wc', 'nl', 'tac', 'rev', 'od', 'hexdump', 'strings', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'sha224sum', 'sha384sum', 'b2sum', 'cksum', 'sum',
  'file', 'stat', 'du', 'df', 'ls', 'dir', 'vdir', 'tree', 'realpath', 'readlink', 'basename', 'dirname', 'pwd', 'echo', 'printf', 'true', 'false', 'test', '[', '[[', 'sleep', 'seq', 'date',
  'whoami', 'id', 'uname', 'arch', 'groups', 'tty', 'nproc', 'free', 'uptime', 'ps', 'pgrep', 'pidof', 'locale', 'getconf', 'cal', 'expr', 'numfmt', 'factor', 'yes',
  'diff', 'cmp', 'comm', 'cut', 'tr', 'paste', 'join', 'column', 'fold', 'fmt', 'expand', 'unexpand', 'jq', 'yq', 'which', 'type', 'whereis', 'hash', 'base64', 'base32', 'basenc',
  'cd', 'pushd', 'popd', 'dirs', 'export', 'unset', 'set', 'shopt', 'declare', 'local', 'readonly', 'typeset', 'let', 'shift', 'return', 'exit', 'break', 'continue', 'getopts', 'umask',
  'ulimit', 'jobs', 'wait', 'read', 'mapfile', 'readarray', ':', 'times', 'alias', 'unalias', 'true', 'complete', 'compgen', 'caller', 'help', 'logout', 'disown', 'fg', 'bg',
  'lsof', 'ss', 'netstat', 'lsblk', 'lscpu', 'lsmod', 'lspci', 'lsusb', 'dmesg', 'vmstat', 'iostat', 'mpstat', 'env', 'printenv', 'tput', 'stty', 'clear', 'reset', 'mktemp', 'look', 'units', 'bc', 'dc',
  'sort', 'uniq', 'grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'zcat', 'zgrep', 'bzcat', 'xzcat', 'zless', 'xxd', 'iconv', 'sha3sum', 'tsort', 'ptx', 'pr', 'csplit', 'split', 'shuf', 'fmt',
  'cloc', 'tokei', 'wc', 'du', 'python-config', 'pkg-config', 'ldd', 'nm', 'objdump', 'readelf', 'size', 'pydoc', 'pydoc3', 'info', 'apropos', 'whatis', 'cut', 'strace-log', 'w', 'who', 'last', 'finger',
];

const SECRET_SEARCH_PATTERN = /pass(word|wd)?|secret|token|api[_-]?key|credential|private[_-]?key|BEGIN .*PRIVATE|aws_access|id_rsa|\.pem\b|authorization/i;

/** Arguments of these are patterns or text, not files: only the later positionals are files. */
const FIRST_ARG_IS_PATTERN = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack', 'zgrep', 'look']);
const NO_FILE_ARGS = new Set(['echo', 'printf', 'seq', 'expr', 'numfmt', 'factor', 'yes', 'sleep', 'date', 'which', 'type', 'whereis', 'hash', 'basename', 'dirname', 'export', 'unset', 'set', 'shopt', 'declare', 'local', 'readonly', 'typeset', 'let', 'alias', 'unalias', 'test', '[', '[[', 'true', 'false', 'getconf', 'printenv', 'env', 'tput', 'stty', 'id', 'groups', 'kill', 'read', 'return', 'exit', 'umask', 'ulimit', 'help', 'complete', 'compgen', 'mktemp', 'cal', 'bc', 'dc', 'units', 'jobs', 'wait', 'fg', 'bg', 'disown', 'ps', 'pgrep', 'pidof', 'cd', 'pushd', 'popd', 'realpath', 'readlink', 'pkg-config', 'python-config', 'apropos', 'whatis', 'info', 'pydoc', 'pydoc3', 'stat', 'w', 'who', 'last', 'finger', 'ls', 'dir', 'vdir', 'tree', 'du', 'file', 'ldd', 'lsof', 'df']);

const OPTIONS_WITH_VALUE: Record<string, string[]> = {
  grep: ['-e', '-f', '-m', '-A', '-B', '-C', '--include', '--exclude', '--exclude-dir', '-d', '-D', '--color', '--label'],
  rg: ['-e', '-g', '--glob', '-t', '--type', '-T', '-m', '-A', '-B', '-C', '--type-add', '-f', '-j', '-M', '--max-columns', '-r', '--replace'],
  head: ['-n', '-c'],
  tail: ['-n', '-c', '-s', '--pid'],
  sort: ['-k', '-t', '-o', '-S', '-T', '--parallel'],
  cut: ['-d', '-f', '-c', '-b'],
  jq: ['--arg', '--argjson', '--slurpfile', '--rawfile', '--indent', '-L'],
  xxd: ['-c', '-g', '-l', '-s', '-o', '-n'],
  diff: ['-U', '-C', '-x', '-X', '-I', '--label', '-L'],
  ls: ['-I', '--ignore', '-w', '--sort', '--format', '--time-style', '--color'],
  tree: ['-L', '-I', '-P', '--charset', '-o'],
  du: ['-d', '--max-depth', '--exclude', '-t'],
  wc: [],
  od: ['-A', '-t', '-N', '-j', '-w'],
  split: ['-l', '-b', '-n', '-a'],
  tr: [],
};

function readFindings(words: Word[], cmd: SimpleCommand, ctx: AnalyzerContext): Finding[] {
  return words.filter((w) => looksLikePath(w.value) || /^\.?[\w.-]+$/.test(w.value)).flatMap((w) => pathFindings(w, 'read', cmd, ctx));
}

export const readersAnalyzer: CommandAnalyzer = {
  names: PURE,
  analyze(cmd, ctx) {
    const name = cmd.argv[0]?.value.split('/').pop() ?? '';
    const a = args(cmd);
    const out: Finding[] = [];
    const pos = positionals(a, OPTIONS_WITH_VALUE[name] ?? []);

    // Options that make a reader write or run something.
    if (name === 'sort') {
      for (const o of optionValues(a, '-o', '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
      if (hasFlag(a, null, '--compress-program')) out.push(finding('hidden-shell', 'sort --compress-program runs a program of the caller\'s choosing', cmd));
    }
    if (name === 'uniq' && pos.length >= 2 && pos[1]) out.push(...pathFindings(pos[1], 'write', cmd, ctx));
    if (name === 'xxd' && hasFlag(a, 'r', '--revert') && pos[1]) out.push(...pathFindings(pos[1], 'write', cmd, ctx));
    if (name === 'iconv') for (const o of optionValues(a, '-o', '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
    if (name === 'tree') for (const o of optionValues(a, '-o')) out.push(...pathFindings(o, 'write', cmd, ctx));
    if (name === 'split' || name === 'csplit') {
      const prefix = pos[1];
      if (prefix) out.push(...pathFindings(prefix, 'write', cmd, ctx));
    }
    if (name === 'yes' && (!cmd.pipeline || cmd.pipeline.stage === cmd.pipeline.stages - 1)) out.push(finding('resource-exhaustion', 'yes with nothing to stop it prints forever', cmd));
    if (name === 'date' && (hasFlag(a, 's', '--set') || a.some((w) => /^\d{8,}/.test(w.value)))) out.push(finding('timestomp', 'sets the system clock', cmd));
    if ((name === 'env' || name === 'printenv' || name === 'set' || name === 'export' || name === 'declare') && pos.length === 0 && (name !== 'export' && name !== 'declare' ? true : hasFlag(a, 'p'))) {
      if (greppedForSecrets(cmd, ctx)) out.push(finding('secret-search', `${name} piped into a search for keys, tokens or passwords`, cmd));
      else if (!cmd.pipeline || cmd.pipeline.stage === cmd.pipeline.stages - 1 || !isFilteredForNonSecrets(cmd, ctx)) {
        out.push(finding('env-dump', `${name} prints every environment variable, tokens included`, cmd));
      }
    }
    if (name === 'unset' && a.some((w) => /^HIST/.test(w.value))) out.push(finding('history-tamper', 'unsets shell history variables', cmd));
    if ((name === 'export' || name === 'set') && a.some((w) => /^HIST(FILE|SIZE|FILESIZE)=(\/dev\/null|0)?$/.test(w.value))) {
      out.push(finding('history-tamper', 'disables shell history', cmd));
    }
    if (name === 'set' && a.some((w, i) => w.value === '+o' && a[i + 1]?.value === 'history')) out.push(finding('history-tamper', 'disables shell history', cmd));
    if (name === 'export' || name === 'declare' || name === 'typeset' || name === 'local' || name === 'readonly') {
      for (const w of a) {
        if (/^(LD_PRELOAD|LD_LIBRARY_PATH|PROMPT_COMMAND|BASH_ENV|ENV|PYTHONSTARTUP|NODE_OPTIONS|PERL5OPT|GIT_SSH_COMMAND|GIT_EXTERNAL_DIFF|GIT_PAGER|PAGER|EDITOR|VISUAL)=/.test(w.value)) {
          out.push(finding('hidden-shell', `sets ${w.value.split('=')[0]}, which makes later programs run code of its choosing`, cmd, w.span));
        }
      }
    }
    if ((FIRST_ARG_IS_PATTERN.has(name) && hasFlag(a, 'r', '--recursive', '-R')) || name === 'rg' || name === 'ag' || name === 'ack') {
      const pattern = optionValues(a, '-e', '--regexp')[0]?.value ?? pos[0]?.value ?? '';
      const roots = pos.slice(optionValues(a, '-e', '--regexp').length ? 0 : 1);
      const broad = roots.some((r) => /^(\/|~|\$HOME|\/home|\/root|\/etc)/.test(r.value) || r.value === '~');
      if (SECRET_SEARCH_PATTERN.test(pattern) && (broad || roots.length === 0 && !ctx.paths.workspace)) {
        out.push(finding('secret-search', `searches ${roots.map((r) => r.text).join(' ') || 'everything'} for "${pattern}"`, cmd));
      }
    }

    if (NO_FILE_ARGS.has(name)) {
      if (['ls', 'dir', 'vdir', 'tree', 'du', 'stat', 'file', 'realpath', 'readlink', 'cd', 'pushd', 'df'].includes(name)) {
        // Listing a secret directory is not reading it; listing ~/.ssh still tells what keys exist.
        for (const w of pos) {
          const f = pathFindings(w, 'read', cmd, ctx).filter((x) => x.rule === 'secret-read' && name !== 'cd' && name !== 'pushd');
          out.push(...f.map((x) => ({ ...x, rule: 'secret-search', message: x.message.replace('reads', 'lists') })));
        }
      }
      return out;
    }
    const files = FIRST_ARG_IS_PATTERN.has(name) && optionValues(a, '-e', '--regexp').length === 0 && optionValues(a, '-f', '--file').length === 0 ? pos.slice(1) : pos;
    for (const f of optionValues(a, '-f', '--file')) out.push(...pathFindings(f, 'read', cmd, ctx));
    out.push(...readFindings(files, cmd, ctx));
    return out;
  },
};

function greppedForSecrets(cmd: SimpleCommand, ctx: AnalyzerContext): boolean {
  const next = ctx.script.commands.find((c) => c.pipeline?.id === cmd.pipeline?.id && c.pipeline?.stage === (cmd.pipeline?.stage ?? 0) + 1);
  if (!next || !['grep', 'egrep', 'rg', 'awk', 'sed'].includes(next.argv[0]?.value ?? '')) return false;
  return next.argv.slice(1).some((w) => SECRET_SEARCH_PATTERN.test(w.value) || /key|tok|pass|secret|auth|cred/i.test(w.value));
}

/** `env | grep -i python` filters to something specific; `env | curl -d @-` does not. */
function isFilteredForNonSecrets(cmd: SimpleCommand, ctx: AnalyzerContext): boolean {
  const next = ctx.script.commands.find((c) => c.pipeline?.id === cmd.pipeline?.id && c.pipeline?.stage === (cmd.pipeline?.stage ?? 0) + 1);
  if (!next) return false;
  const name = next.argv[0]?.value;
  if (name !== 'grep' && name !== 'rg') return false;
  const pattern = positionals(args(next), OPTIONS_WITH_VALUE.grep ?? [])[0]?.value ?? '';
  return pattern !== '' && !SECRET_SEARCH_PATTERN.test(pattern) && !/key|tok|pass|secret|auth|cred/i.test(pattern);
}
