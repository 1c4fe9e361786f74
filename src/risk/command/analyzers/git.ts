import type { Finding } from '../../types';
import type { SimpleCommand, Word } from '../model';
import { finding, hasFlag, hostKind, optionValues, pathFindings, positionals, type AnalyzerContext, type CommandAnalyzer } from './context';
import { hostOf } from '../../shared/network';
import { networkFinding } from './network';

/** Config keys whose value git runs as a program (or that load more config, or redirect transports). */
const EXEC_KEYS = /^(core\.(pager|sshcommand|editor|hookspath|fsmonitor|gitproxy|askpass)|alias\..*|diff\.external|diff\..*\.(command|textconv)|merge\..*\.driver|filter\..*\.(clean|smudge|process)|credential\.helper|credential\..*\.helper|protocol\..*\.allow|uploadpack\.packobjectshook|sequence\.editor|gpg\.program|gpg\..*\.program|pager\..*|web\.browser|browser\..*\.(cmd|path)|include\.path|includeif\..*|remote\..*\.(uploadpack|receivepack)|url\..*\.insteadof|url\..*\.pushinsteadof|man\..*\.cmd|difftool\..*\.cmd|mergetool\..*\.cmd|core\.worktree|sendemail\..*|safe\.directory|http\.sslverify)$/i;

/** A pager that only shows text. */
const HARMLESS_PAGER = /^(|cat|less( -[A-Za-z]+)*|more|false|true)$/;

const GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--config-env', '--list-cmds']);

const READ_ONLY = new Set(['status', 'log', 'diff', 'show', 'blame', 'grep', 'ls-files', 'ls-tree', 'rev-parse', 'rev-list', 'describe', 'shortlog', 'cat-file', 'name-rev', 'whatchanged', 'cherry', 'merge-base', 'for-each-ref', 'show-ref', 'count-objects', 'fsck', 'check-ignore', 'check-attr', 'var', 'help', 'version', 'annotate', 'diff-tree', 'diff-files', 'diff-index', 'range-diff', 'show-branch', 'verify-commit', 'verify-tag', 'get-tar-commit-id', 'check-ref-format', 'column', 'stripspace', 'hash-object', 'ls-remote-local', 'reflog', 'notes', 'bugreport', 'diagnose']);
const LOCAL_WRITE = new Set(['add', 'mv', 'switch', 'merge', 'cherry-pick', 'revert', 'am', 'apply', 'bisect', 'init', 'mergetool', 'difftool', 'rm', 'sparse-checkout', 'update-index', 'read-tree', 'write-tree', 'commit-tree', 'mktree', 'maintenance', 'rerere', 'format-patch', 'restore-staged', 'worktree', 'checkout-index', 'pack-refs', 'repack', 'prune-packed', 'unpack-objects', 'index-pack', 'citool', 'gui', 'gitk', 'lfs']);

interface GitInvocation {
  sub?: Word;
  rest: Word[];
  configs: Word[];
}

function splitGlobal(words: Word[]): GitInvocation {
  const configs: Word[] = [];
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (!w) break;
    const v = w.value;
    if (!v.startsWith('-')) break;
    if (v === '-c' && words[i + 1]) configs.push(words[i + 1] as Word);
    if (v.startsWith('--config-env=')) configs.push({ ...w, value: v.slice('--config-env='.length) });
    if (GLOBAL_WITH_VALUE.has(v)) i++;
    i++;
  }
  const sub = words[i];
  return { ...(sub ? { sub } : {}), rest: words.slice(i + 1), configs };
}

function configExec(key: string, value: string | undefined): boolean {
  const k = key.toLowerCase();
  if (!EXEC_KEYS.test(k)) return false;
  if (k === 'core.pager' || k.startsWith('pager.')) return !HARMLESS_PAGER.test((value ?? '').trim());
  if (k.startsWith('alias.')) return (value ?? '').trim().startsWith('!');
  if (k === 'safe.directory' || k === 'http.sslverify') return false;
  // git's own credential helpers store secrets but run nothing of the caller's choosing.
  if (/^credential\.(.*\.)?helper$/.test(k) && /^(store|cache|osxkeychain|manager|manager-core|libsecret|wincred)(\s|$)/.test((value ?? '').trim())) return false;
  return true;
}

function remoteFindings(words: Word[], cmd: SimpleCommand, ctx: AnalyzerContext, verb: string): Finding[] {
  const out: Finding[] = [];
  for (const w of words) {
    if (w.value.startsWith('ext::') || w.value.startsWith('fd::')) {
      out.push(finding('git-config-exec', `${verb} through the ${w.value.split('::')[0]}:: transport, which runs a program`, cmd, w.span));
      continue;
    }
    const host = hostOf(w.value);
    if (host) out.push(...networkFinding(hostKind(host, ctx), `git ${verb} ${w.text}`, cmd, w, 'fetch'));
  }
  return out;
}

export const gitAnalyzer: CommandAnalyzer = {
  names: ['git'],
  analyze(cmd, ctx) {
    const words = cmd.argv.slice(1);
    const { sub, rest, configs } = splitGlobal(words);
    const out: Finding[] = [];
    for (const c of configs) {
      const [key = '', ...valueParts] = c.value.split('=');
      if (configExec(key, valueParts.join('='))) out.push(finding('git-config-exec', `git -c ${c.text} makes git run a program`, cmd, c.span));
    }
    for (const w of words) {
      if (/^--(exec-path|upload-pack|receive-pack)=/.test(w.value) || w.value === '--upload-pack' || w.value === '--receive-pack') {
        out.push(finding('git-config-exec', `${w.text} makes git run a program`, cmd, w.span));
      }
    }
    for (const d of optionValues(words.slice(0, words.indexOf(sub as Word) >= 0 ? words.indexOf(sub as Word) : words.length), '-C', '--git-dir', '--work-tree')) {
      out.push(...pathFindings(d, 'read', cmd, ctx));
    }
    if (!sub) return out;
    const name = sub.value;
    const pos = positionals(rest);
    const add = (rule: Parameters<typeof finding>[0], message: string) => out.push(finding(rule, message, cmd));

    switch (name) {
      case 'branch':
        if (hasFlag(rest, 'd', '--delete') || hasFlag(rest, 'D')) add('git-branch-delete', `git branch ${rest.map((w) => w.text).join(' ')} deletes branches`);
        else if (hasFlag(rest, 'm', '--move') || hasFlag(rest, 'M') || hasFlag(rest, 'c', '--copy') || hasFlag(rest, 'C') || hasFlag(rest, 'u', '--set-upstream-to') || (pos.length > 0 && !hasFlag(rest, 'l', '--list', '--contains', '--merged', '--no-merged', '--points-at', '-a', '-r', '--all', '--remotes', '--show-current', '-v', '-vv'))) add('git-local-write', 'creates or changes a branch');
        break;
      case 'tag':
        if (hasFlag(rest, 'd', '--delete')) add('git-branch-delete', 'deletes tags');
        else if (pos.length > 0 && !hasFlag(rest, 'l', '--list', '--contains', '--points-at', '-n')) add('git-local-write', 'creates a tag');
        break;
      case 'checkout': {
        const dashes = rest.some((w) => w.value === '--');
        const force = hasFlag(rest, 'f', '--force');
        const creates = hasFlag(rest, 'b') || hasFlag(rest, 'B') || hasFlag(rest, null, '--orphan');
        const pathLike = pos.some((p) => p.value === '.' || /[./]/.test(p.value) && !/^(origin|upstream)\//.test(p.value) && !/^[0-9a-f]{7,40}$/.test(p.value) && !/^v?\d+(\.\d+)+$/.test(p.value) && !/^(HEAD|@)([~^]\d*)*$/.test(p.value));
        if (force || dashes || (pathLike && !creates)) add('git-discard', 'git checkout over files discards their uncommitted changes');
        else add('git-local-write', 'switches branches');
        break;
      }
      case 'restore':
        if (hasFlag(rest, 'S', '--staged') && !hasFlag(rest, 'W', '--worktree')) add('git-local-write', 'unstages changes');
        else add('git-discard', 'git restore discards uncommitted changes in the working tree');
        break;
      case 'reset':
        if (hasFlag(rest, null, '--hard', '--merge', '--keep')) add('git-discard', 'git reset --hard discards uncommitted work');
        else if (pos.some((p) => /^(HEAD|@)?[~^]\d*|^(HEAD|@)[~^]|^[0-9a-f]{7,40}$|^origin\//.test(p.value)) && !rest.some((w) => w.value === '--')) add('git-history-rewrite', 'moves the branch to another commit');
        else add('git-local-write', 'unstages changes');
        break;
      case 'clean':
        if (hasFlag(rest, 'n', '--dry-run')) break;
        if (hasFlag(rest, 'f', '--force') || hasFlag(rest, 'x') || hasFlag(rest, 'X')) add('git-discard', 'git clean deletes untracked files for good');
        else add('git-local-write', 'git clean (refuses without -f)');
        break;
      case 'stash': {
        const action = pos[0]?.value ?? 'push';
        if (action === 'drop' || action === 'clear') add('git-discard', `git stash ${action} throws away stashed work`);
        else if (action === 'list' || action === 'show') break;
        else add('git-local-write', `git stash ${action}`);
        break;
      }
      case 'commit':
        if (hasFlag(rest, null, '--amend')) add('git-history-rewrite', 'amends the last commit');
        else add('git-commit', 'creates a commit');
        break;
      case 'rebase':
        for (const x of optionValues(rest, '-x', '--exec')) out.push(finding('git-config-exec', `git rebase --exec runs ${x.text} on every commit`, cmd, x.span));
        if (hasFlag(rest, null, '--abort', '--quit', '--show-current-patch', '--continue', '--skip', '--edit-todo')) add('git-local-write', 'continues or stops a rebase already under way');
        else add('git-history-rewrite', 'rewrites history');
        break;
      case 'filter-branch':
      case 'filter-repo':
      case 'replace':
        add('git-history-rewrite', `git ${name} rewrites history`);
        break;
      case 'gc':
      case 'prune':
        if (rest.some((w) => /^--prune(=now)?$/.test(w.value) || w.value === '--aggressive') || name === 'prune') add('git-discard', 'prunes unreachable objects for good');
        else add('git-local-write', 'git gc');
        break;
      case 'update-ref':
        add(hasFlag(rest, 'd') ? 'git-branch-delete' : 'git-history-rewrite', 'moves or deletes a ref directly');
        break;
      case 'push': {
        const force = hasFlag(rest, 'f', '--force', '--force-with-lease', '--force-if-includes', '--mirror') || pos.some((p) => p.value.startsWith('+'));
        const deletes = hasFlag(rest, 'd', '--delete') || pos.some((p) => p.value.startsWith(':'));
        if (deletes) add('git-branch-delete', 'deletes a branch on the remote');
        add(force ? 'git-force-push' : 'git-push', force ? 'force-pushes, overwriting remote history' : 'pushes to a remote');
        out.push(...remoteFindings(pos, cmd, ctx, 'push'));
        break;
      }
      case 'fetch':
      case 'pull':
      case 'clone':
      case 'ls-remote':
      case 'submodule': {
        add('git-fetch', `git ${name} talks to a remote`);
        if (name === 'clone') {
          for (const u of optionValues(rest, '-u', '--upload-pack')) out.push(finding('git-config-exec', `--upload-pack ${u.text} runs a program`, cmd, u.span));
          for (const c of optionValues(rest, '-c', '--config')) {
            const [key = '', ...v] = c.value.split('=');
            if (configExec(key, v.join('='))) out.push(finding('git-config-exec', `clone --config ${c.text} makes git run a program`, cmd, c.span));
          }
          const target = positionals(rest, ['-b', '--branch', '-o', '--origin', '--depth', '-c', '--config', '--reference', '-u', '--upload-pack', '-j', '--jobs', '--filter', '--template', '--separate-git-dir', '--shallow-since', '--shallow-exclude'])[1];
          if (target) out.push(...pathFindings(target, 'write', cmd, ctx));
          if (rest.some((w) => w.value.startsWith('--template'))) add('git-config-write', 'clone --template installs hooks from a template directory');
        }
        if (name === 'pull' && hasFlag(rest, null, '--rebase', '-r')) add('git-local-write', 'pull --rebase');
        out.push(...remoteFindings(pos, cmd, ctx, name));
        break;
      }
      case 'remote': {
        const action = pos[0]?.value;
        if (action === 'add' || action === 'set-url' || action === 'rename') {
          add('git-config-write', `git remote ${action} changes where the repository fetches from and pushes to`);
          out.push(...remoteFindings(pos.slice(1), cmd, ctx, `remote ${action}`));
        } else if (action === 'remove' || action === 'rm') add('git-config-write', 'removes a remote');
        else if (action === 'update' || action === 'prune') add('git-fetch', `git remote ${action} fetches`);
        break;
      }
      case 'config': {
        const reading = hasFlag(rest, 'l', '--list', '--get', '--get-all', '--get-regexp', '--get-urlmatch', '--show-origin', '--show-scope') || (pos.length <= 1 && !hasFlag(rest, null, '--unset', '--unset-all', '--add', '--replace-all', '--remove-section', '--rename-section', '-e', '--edit'));
        if (reading) {
          if (pos.some((p) => /credential|token|password/i.test(p.value))) add('secret-read', 'reads credentials from git config');
          break;
        }
        const key = pos[0]?.value ?? '';
        const value = pos.slice(1).map((w) => w.value).join(' ');
        if (configExec(key, value)) out.push(finding('git-config-exec', `git config ${key} makes git run a program`, cmd, pos[0]?.span));
        else add('git-config-write', `git config ${key}${hasFlag(rest, null, '--global', '--system') ? ' (global)' : ''} changes git's configuration`);
        break;
      }
      case 'credential':
      case 'credential-store':
      case 'credential-cache':
        add('secret-read', 'asks git for stored credentials');
        break;
      case 'daemon':
      case 'instaweb':
        add('network-listen', `git ${name} serves the repository over the network`);
        break;
      case 'send-email':
      case 'request-pull':
        add('upload', `git ${name} sends repository content out`);
        break;
      case 'archive':
        for (const o of optionValues(rest, '-o', '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
        if (rest.some((w) => w.value.startsWith('--remote'))) add('git-fetch', 'git archive --remote');
        break;
      case 'hook':
        add('runs-workspace-code', 'runs a repository hook');
        break;
      case 'worktree':
        if (pos[0]?.value === 'remove' && hasFlag(rest, 'f', '--force')) add('git-discard', 'removes a worktree with its uncommitted changes');
        else if (pos[0]?.value === 'add' || pos[0]?.value === 'remove' || pos[0]?.value === 'prune') add('git-local-write', `git worktree ${pos[0]?.value}`);
        break;
      case 'reflog':
        if (pos[0]?.value === 'expire' || pos[0]?.value === 'delete') add('git-discard', 'expires reflog entries, making lost commits unrecoverable');
        break;
      case 'notes':
        if (pos[0] && pos[0].value !== 'show' && pos[0].value !== 'list') add('git-local-write', 'changes notes');
        break;
      default:
        if (READ_ONLY.has(name)) {
          if (name === 'diff' || name === 'log' || name === 'show') {
            if (rest.some((w) => w.value === '--ext-diff' || w.value.startsWith('--output'))) {
              for (const o of optionValues(rest, null, '--output')) out.push(...pathFindings(o, 'write', cmd, ctx));
              if (rest.some((w) => w.value === '--ext-diff')) add('git-config-exec', 'git --ext-diff runs the configured external diff program');
            }
          }
          if (name === 'grep' && rest.some((w) => /^(-O|--open-files-in-pager)/.test(w.value))) add('hidden-shell', 'git grep -O runs a pager program');
          if (name === 'show' || name === 'cat-file') {
            for (const p of pos) if (/:(.*\/)?(\.env|id_rsa|.*\.pem)$/.test(p.value)) out.push(finding('secret-read', `reads ${p.text} from history`, cmd, p.span));
          }
        } else if (LOCAL_WRITE.has(name)) {
          add('git-local-write', `git ${name}`);
          if (name === 'apply') {
            for (const d of optionValues(rest, null, '--directory')) out.push(...pathFindings(d, 'write', cmd, ctx));
            if (rest.some((w) => w.value === '--unsafe-paths')) add('write-outside-workspace', 'git apply --unsafe-paths writes outside the repository');
          }
          if (name === 'init') {
            const target = positionals(rest, ['--template', '--separate-git-dir', '-b', '--initial-branch', '--object-format'])[0];
            if (target) out.push(...pathFindings(target, 'write', cmd, ctx));
            if (rest.some((w) => w.value.startsWith('--template'))) add('git-config-write', 'git init --template installs hooks from a template directory');
          }
        } else {
          add('unknown-command', `git ${name} is not a subcommand Airlock knows (it may be an alias that runs a program)`);
        }
    }
    return out;
  },
};
