import type { SimpleCommand, Word } from './model';
import { programName } from './model';

/** How each interpreter takes code: which flags carry it inline, which options take a value. */
interface InterpreterSpec {
  family: string;
  codeFlags: string[];
  /** Flag clusters ending in one of these letters carry code next (`perl -ne`, `ruby -pe`). */
  clusterCode?: RegExp;
  moduleFlag?: string;
  withValue: string[];
  /** awk: the first positional is the program. */
  programIsFirstArg?: boolean;
  fileFlags?: string[];
}

const SPECS: Record<string, InterpreterSpec> = {
  python: { family: 'python', codeFlags: ['-c'], moduleFlag: '-m', withValue: ['-W', '-X', '-Q'], clusterCode: /^-[bBdEhiIOPqsSuvVx]*c$/ },
  node: { family: 'node', codeFlags: ['-e', '--eval', '-p', '--print'], withValue: ['-r', '--require', '--import', '--loader', '--experimental-loader', '--input-type', '--env-file', '--conditions', '-C', '--max-old-space-size', '--stack-size'] },
  bun: { family: 'node', codeFlags: ['-e', '--eval', '-p', '--print'], withValue: ['-r', '--preload', '--cwd'] },
  deno: { family: 'node', codeFlags: [], withValue: [] },
  perl: { family: 'perl', codeFlags: ['-e', '-E'], clusterCode: /^-[a-zA-Z0-9]*[eE]$/, withValue: ['-I', '-M', '-m', '-x', '-i'] },
  ruby: { family: 'ruby', codeFlags: ['-e'], clusterCode: /^-[a-zA-Z]*e$/, withValue: ['-I', '-r', '-C', '-E', '-F'] },
  php: { family: 'php', codeFlags: ['-r', '-R', '-B', '-E'], withValue: ['-c', '-d', '-z', '-t', '-S'] },
  lua: { family: 'lua', codeFlags: ['-e'], withValue: ['-l'] },
  R: { family: 'r', codeFlags: ['-e'], withValue: ['--file', '-f'] },
  Rscript: { family: 'r', codeFlags: ['-e'], withValue: [] },
  julia: { family: 'julia', codeFlags: ['-e', '-E', '--eval', '--print'], withValue: ['-L', '--load', '-J', '-p', '-t'] },
  octave: { family: 'octave', codeFlags: ['--eval'], withValue: [] },
  osascript: { family: 'applescript', codeFlags: ['-e'], withValue: ['-l', '-s'] },
  expect: { family: 'tcl', codeFlags: ['-c'], withValue: [] },
  tclsh: { family: 'tcl', codeFlags: [], withValue: [] },
  wish: { family: 'tcl', codeFlags: [], withValue: [] },
  awk: { family: 'awk', codeFlags: [], withValue: ['-F', '-v', '-f', '--field-separator', '--assign', '--file', '-i', '--include', '-l', '--load', '-E'], programIsFirstArg: true, fileFlags: ['-f', '--file', '-E'] },
  groovy: { family: 'groovy', codeFlags: ['-e'], withValue: ['-cp', '--classpath'] },
  jjs: { family: 'js', codeFlags: [], withValue: [] },
  jshell: { family: 'java', codeFlags: [], withValue: [] },
  pwsh: { family: 'powershell', codeFlags: ['-c', '-Command', '-command', '-EncodedCommand', '-enc', '-e'], withValue: ['-File', '-f'] },
  irb: { family: 'ruby', codeFlags: [], withValue: [] },
  ipython: { family: 'python', codeFlags: ['-c'], withValue: [], moduleFlag: '-m' },
};

const specCache = new Map<string, (InterpreterSpec & { name: string }) | undefined>();

export function interpreterSpec(name: string): (InterpreterSpec & { name: string }) | undefined {
  if (specCache.has(name)) return specCache.get(name);
  const spec = lookupSpec(name);
  if (specCache.size < 4096) specCache.set(name, spec);
  return spec;
}

function lookupSpec(name: string): (InterpreterSpec & { name: string }) | undefined {
  let key = name;
  if (/^(python|pypy)(\d+(\.\d+)*)?[mu]?$/.test(name) || name === 'py') key = 'python';
  else if (name === 'nodejs') key = 'node';
  else if (/^(gawk|mawk|nawk|busybox-awk)$/.test(name)) key = 'awk';
  else if (/^(lua\d|luajit)/.test(name)) key = 'lua';
  else if (/^octave(-cli)?$/.test(name)) key = 'octave';
  else if (/^(perl\d|perl5)/.test(name)) key = 'perl';
  else if (/^ruby\d/.test(name)) key = 'ruby';
  else if (/^php\d/.test(name)) key = 'php';
  else if (name === 'powershell' || name === 'pwsh-preview') key = 'pwsh';
  const spec = SPECS[key];
  return spec ? { ...spec, name: key } : undefined;
}

export interface InterpreterCode {
  spec: InterpreterSpec & { name: string };
  /** Inline code (from a flag, the awk program or a here-document), when there is any. */
  code?: string;
  codeWord?: Word;
  /** A script file the interpreter runs. */
  file?: Word;
  module?: Word;
  /** Code comes from a pipe (another command's output). */
  fromPipe: boolean;
  /** No code, no file, no stdin: an interactive session. */
  interactive: boolean;
  /** Arguments after the code or file (passed to the program). */
  programArgs: Word[];
}

export function interpreterCode(cmd: SimpleCommand): InterpreterCode | undefined {
  const name = programName(cmd);
  if (!name) return undefined;
  const spec = interpreterSpec(name);
  if (!spec) return undefined;
  const stdinBody = cmd.redirects.find((r) => (r.op === '<<' || r.op === '<<-' || r.op === '<<<') && r.body);
  const stdinFile = cmd.redirects.find((r) => r.op === '<' && r.target);
  const fromPipe = cmd.pipeline !== undefined && cmd.pipeline.stage > 0;
  const result: InterpreterCode = { spec, fromPipe, interactive: false, programArgs: [] };
  const found = interpreterSource(cmd, spec, result, stdinBody, stdinFile, fromPipe);
  // A script this input wrote (or piped in as static text) is read as the code it is.
  if (cmd.scriptContent && found.code === undefined && (found.file || found.fromPipe)) {
    const sc = cmd.scriptContent;
    return { ...found, code: sc.text, codeWord: { text: sc.text, value: sc.text, dynamic: false, span: sc.span }, interactive: false };
  }
  return found;
}

function interpreterSource(
  cmd: SimpleCommand,
  spec: InterpreterSpec & { name: string },
  result: InterpreterCode,
  stdinBody: SimpleCommand['redirects'][number] | undefined,
  stdinFile: SimpleCommand['redirects'][number] | undefined,
  fromPipe: boolean,
): InterpreterCode {
  const a = cmd.argv.slice(1);
  for (let i = 0; i < a.length; i++) {
    const w = a[i];
    if (!w) continue;
    const v = w.value;
    if (spec.name === 'deno' && i === 0 && v === 'eval' && a[1]) return { ...result, code: a[1].value, codeWord: a[1], programArgs: a.slice(2) };
    if (spec.name === 'deno' && i === 0 && /^(run|task|test|bench|fmt|lint|check|compile|info|doc|coverage|serve|install|add|cache)$/.test(v)) {
      const file = a.slice(1).find((x) => !x.value.startsWith('-'));
      // `deno test` with no file runs the workspace's tests: treat the folder as the script.
      return { ...result, file: file ?? { ...w, value: '.', text: v } };
    }
    if (spec.codeFlags.includes(v) || spec.clusterCode?.test(v) || spec.codeFlags.some((f) => f.startsWith('--') && v.startsWith(f + '='))) {
      const inlineValue = spec.codeFlags.find((f) => f.startsWith('--') && v.startsWith(f + '='));
      if (inlineValue) return { ...result, code: v.slice(inlineValue.length + 1), codeWord: { ...w, value: v.slice(inlineValue.length + 1) }, programArgs: a.slice(i + 1) };
      const next = a[i + 1];
      if (!next) return result;
      return { ...result, code: next.value, codeWord: next, programArgs: a.slice(i + 2) };
    }
    if (spec.moduleFlag && (v === spec.moduleFlag || (v.startsWith(spec.moduleFlag) && v.length > 2 && !v.startsWith('--')))) {
      const module = v === spec.moduleFlag ? a[i + 1] : { ...w, value: v.slice(2) };
      if (!module) return result;
      return { ...result, module, programArgs: a.slice(v === spec.moduleFlag ? i + 2 : i + 1) };
    }
    if (spec.fileFlags?.includes(v) && a[i + 1]) return { ...result, file: a[i + 1] as Word, programArgs: a.slice(i + 2) };
    if (v === '-' ) break;
    if (v.startsWith('-') && v !== '-') {
      if (spec.withValue.includes(v)) i++;
      continue;
    }
    if (spec.programIsFirstArg) return { ...result, code: v, codeWord: w, programArgs: a.slice(i + 1) };
    return { ...result, file: w, programArgs: a.slice(i + 1) };
  }
  if (stdinBody?.body) return { ...result, code: stdinBody.body.text, codeWord: stdinBody.target ?? { text: stdinBody.body.text, value: stdinBody.body.text, dynamic: false, span: stdinBody.body.span } };
  if (stdinFile?.target) return { ...result, file: stdinFile.target };
  if (fromPipe) return result;
  return { ...result, interactive: true };
}
