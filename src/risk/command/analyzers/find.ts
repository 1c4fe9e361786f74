import type { Finding } from '../../types';
import { finding, pathFindings, type CommandAnalyzer } from './context';

/** Names that are credential files wherever they are found. */
const SECRET_FILE = /id_rsa|id_dsa|id_ecdsa|id_ed25519|\.pem\b|\.key\b|\.p12|\.pfx|\.kdbx|(^|[^\w])\.env\b|credentials|\.aws|\.ssh|\.gnupg|\.netrc|\.git-credentials|\.npmrc|\.pypirc|shadow|authorized_keys|\.tfstate|wallet\.dat|keychain|\.kube|gcloud|access_tokens|\.keystore|\.jks|_history/i;
/** Words that suggest secrets: only a hunt when the search covers home, root or system directories. */
const SECRET_WORD = /secret|token|passw|api[_-]?key/i;

const TESTS_WITH_VALUE = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-type', '-xtype', '-perm', '-user', '-group', '-uid', '-gid', '-size', '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-newer', '-anewer', '-cnewer', '-maxdepth', '-mindepth', '-links', '-inum', '-samefile', '-lname', '-ilname', '-used', '-fstype', '-printf', '-context', '-regextype', '-newermt', '-D', '-O']);

/** find: roots are read; -delete deletes under them; -fprint* writes; -exec is unwrapped elsewhere. */
export const findAnalyzer: CommandAnalyzer = {
  names: ['find', 'gfind', 'bfs', 'fd', 'fdfind', 'locate', 'mlocate', 'plocate'],
  analyze(cmd, ctx) {
    const a = cmd.argv.slice(1);
    const name = cmd.argv[0]?.value.split('/').pop() ?? 'find';
    const out: Finding[] = [];
    if (name === 'locate' || name === 'mlocate' || name === 'plocate') {
      const pattern = a.find((w) => !w.value.startsWith('-'));
      if (pattern && (SECRET_FILE.test(pattern.value) || SECRET_WORD.test(pattern.value))) out.push(finding('secret-search', `${name} ${pattern.text} looks for credential files`, cmd, pattern.span));
      return out;
    }
    const roots = [];
    let i = 0;
    while (i < a.length && name !== 'fd' && name !== 'fdfind') {
      const w = a[i];
      if (!w || /^[-(!]/.test(w.value) && !['-H', '-L', '-P'].includes(w.value)) break;
      if (!['-H', '-L', '-P'].includes(w.value)) roots.push(w);
      i++;
    }
    if (name === 'fd' || name === 'fdfind') roots.push(...a.filter((w) => !w.value.startsWith('-')).slice(1));
    const broad = roots.some((r) => /^(\/|~|\/home|\/root|\/etc|\/Users|\/var)\/?$/.test(r.value) || r.value === '~' || /^\/\/\.?\w/.test(r.value));
    let deletes = false;
    for (let j = 0; j < a.length; j++) {
      const w = a[j];
      if (!w) continue;
      const v = w.value;
      if (v === '-exec' || v === '-execdir' || v === '-ok' || v === '-okdir') {
        while (j < a.length && a[j]?.value !== ';' && a[j]?.value !== '+') j++;
        continue;
      }
      if (v === '-delete') deletes = true;
      if ((v === '-fprint' || v === '-fprint0' || v === '-fls' || v === '-fprintf') && a[j + 1]) out.push(...pathFindings(a[j + 1]!, 'write', cmd, ctx));
      if ((v === '-name' || v === '-iname' || v === '-path' || v === '-ipath' || v === '-regex' || v === '-iregex' || v === '-wholename') && a[j + 1] && (SECRET_FILE.test(a[j + 1]!.value) || (broad && SECRET_WORD.test(a[j + 1]!.value)))) {
        out.push(finding('secret-search', `find ${v} ${a[j + 1]!.text} looks for credential files`, cmd, a[j + 1]!.span));
      }
      if (v === '-perm' && a[j + 1] && /^[-/]?(u=s|g=s|[246]000|-[246]000)$|[46]000/.test(a[j + 1]!.value)) out.push(finding('system-recon', 'find -perm looks for setuid/setgid programs', cmd, a[j + 1]!.span));
      if (TESTS_WITH_VALUE.has(v)) j++;
    }
    const filtered = a.some((w) => /^-(i?name|i?path|i?wholename|i?regex|type|newer|mtime|mmin|size|empty)$/.test(w.value));
    for (const r of roots) {
      // With a filter, -delete removes the matching files, not the tree.
      if (deletes) out.push(...pathFindings(r, 'delete', cmd, ctx, { recursive: !filtered }).map((f) => (filtered && (f.rule === 'delete-workspace-root' || f.rule === 'delete-workspace-tree') ? { ...f, rule: 'delete-workspace-file', message: `deletes the files under ${r.text} that match the filter` } : f)));
      else out.push(...pathFindings(r, 'read', cmd, ctx).map((f) => (f.rule === 'secret-read' ? { ...f, rule: 'secret-search', message: f.message.replace('reads', 'searches') } : f)));
    }
    return out;
  },
};

/** Wrappers add nothing themselves; the command they run is judged as its own entry. */
export const wrappersAnalyzer: CommandAnalyzer = {
  names: ['timeout', 'nice', 'ionice', 'chrt', 'taskset', 'nohup', 'time', 'command', 'builtin', 'exec', 'stdbuf', 'setsid', 'unbuffer', 'xvfb-run', 'caffeinate', 'flock', 'strace', 'ltrace', 'valgrind', 'catchsegv', 'xargs', 'watch', 'script', 'eval', 'trap', 'parallel', 'entr', 'poetry', 'pipenv', 'firejail', 'torsocks', 'proxychains', 'proxychains4'],
  analyze(cmd) {
    const name = cmd.argv[0]?.value.split('/').pop() ?? '';
    const a = cmd.argv.slice(1);
    const inner = a.filter((w) => !w.value.startsWith('-'));
    const out: Finding[] = [];
    if (name === 'eval' && a.some((w) => w.dynamic) && !a.every((w) => w.substitutionOnly)) out.push(finding('dynamic-script', 'eval runs a string only known at run time', cmd));
    if (name === 'exec' && inner.length === 0) return out;
    if (name === 'trap' && a[0]?.dynamic) out.push(finding('dynamic-script', 'trap installs a handler only known at run time', cmd, a[0].span));
    if (name === 'trap' && a.some((w) => /^(DEBUG|RETURN|ERR)$/.test(w.value))) out.push(finding('persistence', `trap … ${a.at(-1)?.text} runs code before or after every command`, cmd));
    if (name === 'script' && !a.some((w) => w.value === '-c' || w.value.startsWith('--command'))) out.push(finding('interactive-shell', 'script without -c records an interactive shell', cmd));
    if ((name === 'poetry' || name === 'pipenv') && a[0]?.value !== 'run') return out;
    if ((name === 'watch' || name === 'script' || name === 'parallel' || name === 'entr') && a.some((w) => w.dynamic)) out.push(finding('dynamic-script', `${name} runs a command only known at run time`, cmd));
    if ((name === 'torsocks' || name === 'proxychains' || name === 'proxychains4')) out.push(finding('network-unknown', `${name} routes traffic around the egress proxy`, cmd));
    return out;
  },
};
