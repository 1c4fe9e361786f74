import type { SimpleCommand, Word } from './model';
import { programName } from './model';
import type { ScriptExtractor } from './extract';
import { interpreterCode, interpreterSpec } from './interpreters';
import { scanCodeCached } from '../shared/inlineCode';

/**
 * Wrappers run another command. Each entry finds that inner command so it is judged on its own: approving
 * `timeout` must never approve what `timeout` runs. A wrapper whose inner command cannot be found (dynamic,
 * or an option Airlock does not know) leaves the finding to the analyzers, which treat it as unknown.
 */
type Unwrapper = (cmd: SimpleCommand, args: Word[], x: ScriptExtractor) => void;

/** Options of each wrapper that take a value, so the value is not mistaken for the inner command. */
function skipOptions(args: Word[], withValue: ReadonlySet<string>, opts: { stopAtFirstPositional?: boolean; longWithValue?: RegExp } = {}): number {
  let i = 0;
  while (i < args.length) {
    const a = args[i]?.value ?? '';
    if (a === '--') return i + 1;
    if (!a.startsWith('-') || a === '-') return i;
    if (a.startsWith('--')) {
      if (!a.includes('=') && opts.longWithValue?.test(a)) i++;
      i++;
      continue;
    }
    // Short option clusters: `-u root`, `-uroot`, `-nE`.
    const flag = a.slice(0, 2);
    if (withValue.has(flag) && a.length === 2) i++;
    i++;
  }
  return i;
}

function runRest(via: string, withValue: string[], longWithValue?: RegExp, leadingPositionals = 0): Unwrapper {
  const set = new Set(withValue);
  return (cmd, args, x) => {
    let i = skipOptions(args, set, longWithValue ? { longWithValue } : {});
    i += leadingPositionals;
    const inner = args.slice(i);
    if (inner.length > 0) x.addWrapped(cmd, inner, via);
  };
}

function shellDashC(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  const name = programName(cmd) ?? 'sh';
  const scriptFromStdin = (): void => {
    // `bash <<EOF … EOF` and `sh <<< "…"` run the here-document as a script; `echo … | sh` the echoed text.
    const body = cmd.redirects.find((r) => (r.op === '<<' || r.op === '<<-' || r.op === '<<<') && r.body);
    if (!body?.body) {
      const piped = x.pipedText(cmd);
      if (piped) x.runKnownScript(piped, cmd, `${name} <<`);
      return;
    }
    if (body.op === '<<<' && body.target?.dynamic) return;
    const host: Word = body.target ?? { text: body.body.text, value: body.body.text, dynamic: false, span: body.body.span };
    x.extractInline(body.op === '<<<' ? host.value : body.body.text, host, cmd, `${name} <<`);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]?.value ?? '';
    if (a === '-s') return scriptFromStdin();
    if (!a.startsWith('-') && !a.startsWith('+')) {
      // `bash script.sh` runs a file; when this input wrote that file, judge what it wrote.
      const written = args[i] ? x.writtenScript(args[i] as Word, cmd.cwd) : undefined;
      if (written) x.runKnownScript(written, cmd, `${name} ${args[i]?.value}`);
      return;
    }
    if (a === '--') return;
    if (!a.startsWith('--') && a.includes('c')) {
      const script = args[i + 1];
      if (script && !script.dynamic) x.extractInline(script.value, script, cmd, `${name} -c`);
      return;
    }
    if (a === '-o' || a === '+o' || a === '-O' || a === '+O' || a === '--rcfile' || a === '--init-file') i++;
  }
  scriptFromStdin();
}

function evalArgs(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  if (args.length === 0 || args.some((a) => a.dynamic)) return;
  const first = args[0];
  const last = args[args.length - 1];
  if (!first || !last) return;
  const script = args.map((a) => a.value).join(' ');
  const host: Word = args.length === 1 ? first : { text: script, value: script, dynamic: false, span: [first.span[0], last.span[1]] };
  x.extractInline(script, host, cmd, 'eval');
}

/** Joins the arguments into one script, as `watch` and `ssh`-like tools do. */
function joinedScript(via: string, withValue: string[]): Unwrapper {
  const set = new Set(withValue);
  return (cmd, args, x) => {
    const rest = args.slice(skipOptions(args, set));
    if (rest.length === 0 || rest.some((a) => a.dynamic)) return;
    const first = rest[0];
    const last = rest[rest.length - 1];
    if (!first || !last) return;
    const script = rest.map((a) => a.value).join(' ');
    const host: Word = rest.length === 1 ? first : { text: script, value: script, dynamic: false, span: [first.span[0], last.span[1]] };
    x.extractInline(script, host, cmd, via);
  };
}

function dashCScript(via: string): Unwrapper {
  return (cmd, args, x) => {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]?.value ?? '';
      const inline = /^--command=(.*)$/s.exec(a);
      if (inline?.[1] !== undefined && args[i]) {
        x.extractInline(inline[1], args[i] as Word, cmd, via);
        return;
      }
      if (a === '-c' || a === '--command' || (/^-[a-z]*c$/.test(a) && !a.startsWith('--'))) {
        const script = args[i + 1];
        if (script && !script.dynamic) x.extractInline(script.value, script, cmd, via);
        return;
      }
    }
  };
}

function envUnwrap(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  let i = 0;
  while (i < args.length) {
    const a = args[i]?.value ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-S' || a === '--split-string') {
      const s = args[i + 1];
      if (s && !s.dynamic) x.extractInline(s.value, s, cmd, 'env -S');
      return;
    }
    if (a === '-u' || a === '--unset' || a === '-C' || a === '--chdir') {
      i += 2;
      continue;
    }
    if (a.startsWith('-')) {
      i++;
      continue;
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
      i++;
      continue;
    }
    break;
  }
  const inner = args.slice(i);
  if (inner.length > 0) x.addWrapped(cmd, inner, 'env');
}

function xargsUnwrap(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  const withValue = new Set(['-a', '-d', '-E', '-e', '-I', '-L', '-l', '-n', '-P', '-s', '-i']);
  let i = 0;
  while (i < args.length) {
    const a = args[i]?.value ?? '';
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) break;
    if (withValue.has(a) && a !== '-i' && a !== '-e' && a !== '-l') i++;
    i++;
  }
  const inner = args.slice(i);
  // xargs with no command runs echo; its inner arguments arrive on stdin and are unknown.
  if (inner.length > 0) x.addWrapped(cmd, inner, 'xargs', { stdinArgs: true });
}

function findExec(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]?.value ?? '';
    if (a !== '-exec' && a !== '-execdir' && a !== '-ok' && a !== '-okdir') continue;
    let end = i + 1;
    while (end < args.length && args[end]?.value !== ';' && args[end]?.value !== '+') end++;
    const inner = args.slice(i + 1, end);
    if (inner.length > 0) x.addWrapped(cmd, inner, `find ${a}`);
    i = end;
  }
}

function dockerExec(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  if (args[0]?.value !== 'exec' && args[0]?.value !== 'run') return;
  const withValue = new Set(['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '-v', '--volume', '--name', '--network', '--entrypoint', '-p', '--publish', '--mount', '--platform', '-h', '--hostname', '--cap-add', '--security-opt', '--device', '-l', '--label', '--pid', '--ipc', '--userns', '--memory', '-m', '--cpus']);
  let i = 1;
  while (i < args.length) {
    const a = args[i]?.value ?? '';
    if (!a.startsWith('-')) break;
    if (withValue.has(a)) i++;
    i++;
  }
  // args[i] is the container or image; the rest is the command run inside it.
  const inner = args.slice(i + 1);
  if (inner.length > 0) x.addWrapped(cmd, inner, `docker ${args[0]?.value}`);
}

function afterDoubleDash(via: string): Unwrapper {
  return (cmd, args, x) => {
    const at = args.findIndex((a) => a.value === '--');
    if (at >= 0 && at + 1 < args.length) x.addWrapped(cmd, args.slice(at + 1), via);
  };
}

function trapUnwrap(cmd: SimpleCommand, args: Word[], x: ScriptExtractor): void {
  const script = args[0];
  if (script && !script.dynamic && !script.value.startsWith('-')) x.extractInline(script.value, script, cmd, 'trap');
}

export const UNWRAPPERS: Record<string, Unwrapper> = {
  sudo: runRest('sudo', ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T'], /^--(user|group|chdir|host|prompt|role|type|other-user|close-from|command-timeout)$/),
  doas: runRest('doas', ['-u', '-C']),
  pkexec: runRest('pkexec', ['--user'], /^--user$/),
  runuser: (cmd, args, x) => {
    if (args.some((a) => a.value === '-c' || a.value === '--command')) return dashCScript('runuser -c')(cmd, args, x);
    return runRest('runuser', ['-u', '-g', '-G'])(cmd, args, x);
  },
  su: dashCScript('su -c'),
  env: envUnwrap,
  timeout: runRest('timeout', ['-s', '-k'], /^--(signal|kill-after)$/, 1),
  nice: runRest('nice', ['-n'], /^--adjustment$/),
  ionice: runRest('ionice', ['-c', '-n', '-p', '-P', '-u']),
  chrt: runRest('chrt', [], undefined, 1),
  // `taskset MASK cmd` and `taskset -c LIST cmd`: one value, then the command.
  taskset: (cmd, args, x) => {
    const cFlag = args[0]?.value === '-c' || args[0]?.value === '--cpu-list';
    runRest('taskset', [], undefined, 1)(cmd, cFlag ? args.slice(1) : args, x);
  },
  nohup: runRest('nohup', []),
  time: runRest('time', ['-f', '-o'], /^--(format|output)$/),
  command: (cmd, args, x) => {
    if (args.some((a) => a.value === '-v' || a.value === '-V')) return; // lookup only
    runRest('command', [])(cmd, args, x);
  },
  builtin: runRest('builtin', []),
  exec: runRest('exec', ['-a']),
  stdbuf: runRest('stdbuf', ['-i', '-o', '-e'], /^--(input|output|error)$/),
  setsid: runRest('setsid', []),
  unbuffer: runRest('unbuffer', []),
  'xvfb-run': runRest('xvfb-run', ['-n', '-s', '-e', '-f', '-p', '-w'], /^--(server-num|server-args|error-file|auth-file|xauth-protocol|wait)$/),
  caffeinate: runRest('caffeinate', ['-t', '-w']),
  flock: (cmd, args, x) => {
    if (args.some((a) => a.value === '-c' || a.value === '--command')) return dashCScript('flock -c')(cmd, args, x);
    runRest('flock', ['-w', '-E'], /^--(timeout|conflict-exit-code)$/, 1)(cmd, args, x);
  },
  strace: runRest('strace', ['-e', '-o', '-p', '-s', '-u', '-P', '-E', '-a', '-b', '-I', '-O', '-S', '-X']),
  ltrace: runRest('ltrace', ['-e', '-o', '-p', '-s', '-u', '-a', '-A', '-D', '-l', '-n', '-x']),
  valgrind: runRest('valgrind', []),
  catchsegv: runRest('catchsegv', []),
  chroot: runRest('chroot', [], /^--(userspec|groups)$/, 1),
  unshare: runRest('unshare', ['-S', '-G', '-R', '-w'], /^--(setuid|setgid|root|wd|map-user|map-group)$/),
  nsenter: runRest('nsenter', ['-t', '-S', '-G', '-r', '-w'], /^--(target|setuid|setgid|root|wd)$/),
  firejail: runRest('firejail', []),
  torsocks: runRest('torsocks', []),
  proxychains: runRest('proxychains', ['-f']),
  proxychains4: runRest('proxychains4', ['-f']),
  watch: (cmd, args, x) => {
    // watch -x runs its arguments directly; otherwise it hands them, joined, to sh -c.
    if (args.some((a) => a.value === '-x' || a.value === '--exec')) return runRest('watch -x', ['-n', '--interval', '-d'])(cmd, args, x);
    joinedScript('watch', ['-n', '--interval'])(cmd, args, x);
  },
  script: dashCScript('script -c'),
  xargs: xargsUnwrap,
  find: findExec,
  sh: shellDashC,
  bash: shellDashC,
  dash: shellDashC,
  zsh: shellDashC,
  ksh: shellDashC,
  mksh: shellDashC,
  ash: shellDashC,
  csh: shellDashC,
  tcsh: shellDashC,
  fish: shellDashC,
  rbash: shellDashC,
  yash: shellDashC,
  posh: shellDashC,
  elvish: shellDashC,
  busybox: (cmd, args, x) => {
    if (args.length > 0) x.addWrapped(cmd, args, 'busybox');
  },
  eval: evalArgs,
  trap: trapUnwrap,
  docker: dockerExec,
  podman: dockerExec,
  kubectl: afterDoubleDash('kubectl exec'),
  uv: (cmd, args, x) => {
    if (args[0]?.value !== 'run') return;
    const rest = args.slice(1);
    const i = skipOptions(rest, new Set(['--with', '--python', '-p', '--project', '--directory', '--env-file', '--group', '--extra', '--package']), { longWithValue: /^--(with|python|project|directory|env-file|group|extra|package)$/ });
    if (i < rest.length) x.addWrapped(cmd, rest.slice(i), 'uv run');
  },
  bundle: (cmd, args, x) => {
    if (args[0]?.value === 'exec' && args.length > 1) x.addWrapped(cmd, args.slice(1), 'bundle exec');
  },
  pnpm: (cmd, args, x) => {
    if (args[0]?.value === 'exec' && args.length > 1) x.addWrapped(cmd, args.slice(1), 'pnpm exec');
  },
  poetry: (cmd, args, x) => {
    if (args[0]?.value === 'run' && args.length > 1) x.addWrapped(cmd, args.slice(1), 'poetry run');
  },
  pipenv: (cmd, args, x) => {
    if (args[0]?.value === 'run' && args.length > 1) x.addWrapped(cmd, args.slice(1), 'pipenv run');
  },
  conda: (cmd, args, x) => {
    if (args[0]?.value !== 'run') return;
    const rest = args.slice(1);
    const i = skipOptions(rest, new Set(['-n', '-p']), { longWithValue: /^--(name|prefix|cwd)$/ });
    if (i < rest.length) x.addWrapped(cmd, rest.slice(i), 'conda run');
  },
};

export function unwrapCommand(cmd: SimpleCommand, x: ScriptExtractor): void {
  const name = programName(cmd);
  if (!name) return;
  const unwrapper = Object.hasOwn(UNWRAPPERS, name) ? UNWRAPPERS[name] : undefined;
  if (unwrapper) {
    unwrapper(cmd, cmd.argv.slice(1), x);
    return;
  }
  if (name === 'source' || name === '.') {
    const file = cmd.argv[1];
    const written = file ? x.writtenScript(file, cmd.cwd) : undefined;
    if (written) x.runKnownScript(written, cmd, name);
    return;
  }
  const first = cmd.argv[0];
  if (first && first.value.includes('/') && !interpreterSpec(name)) {
    const written = x.writtenScript(first, cmd.cwd);
    if (written && !/^#!\s*\S*(python|node|perl|ruby|php)/.test(written.text)) x.runKnownScript(written, cmd, first.value);
    else if (written) cmd.scriptContent = written;
  }
  // Scripts an interpreter runs from a file this input wrote, or from static text piped in.
  const spec = interpreterSpec(name);
  if (spec) {
    const pre = interpreterCode(cmd);
    if (pre?.file) {
      const written = x.writtenScript(pre.file, cmd.cwd);
      if (written) cmd.scriptContent = written;
    } else if (pre && pre.code === undefined && pre.fromPipe) {
      const piped = x.pipedText(cmd);
      if (piped) cmd.scriptContent = piped;
    }
  }
  // Shell commands written as literals inside inline interpreter code are judged like any other command.
  const interp = interpreterCode(cmd);
  if (interp?.code && interp.codeWord) {
    for (const call of scanCodeCached(interp.code).shellCalls) {
      if (call.literal !== undefined) x.extractInline(call.literal, interp.codeWord, cmd, `${name} ${call.api}`);
    }
  }
}
