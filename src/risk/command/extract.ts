import type { Node } from 'web-tree-sitter';
import type { Span } from '../types';
import { DYNAMIC, type Origin, type ParsedScript, type PipelineSlot, type Redirect, type RedirectOp, type SimpleCommand, type Word } from './model';
import type { ShellParser } from './parser';
import { literalWord, wordOf, type WordScope } from './words';
import { unwrapCommand } from './unwrap';
import { resolvePath } from '../shared/paths';

interface VisitContext {
  redirects: Redirect[];
  pipeline?: PipelineSlot;
  origin: Origin;
  parent?: number;
  via?: string;
  background: boolean;
  inFunction?: string;
}

/** Node types whose whole text counts as understood by the coverage check. */
const OPAQUE_LEAVES = new Set(['word', 'raw_string', 'ansi_c_string', 'string_content', 'comment', 'heredoc_body', 'heredoc_content', 'number', 'regex', 'variable_name', 'special_variable_name', 'extglob_pattern', 'heredoc_start', 'heredoc_end']);

const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);

/** How deep `sh -c "sh -c '…'"` may nest before Airlock stops parsing and calls it uncertain. */
const MAX_SCRIPT_DEPTH = 8;

export interface ExtractOptions {
  cwd: string | undefined;
  depth?: number;
}

/**
 * Turns a command line into the flat list of every simple command it would run — top level, inside
 * `$(…)`, backticks, `<(…)`, here-documents, `sh -c` strings and wrappers — each with its own redirections,
 * pipeline position and working directory. Anything the parser could not account for is reported in
 * `errors`, so callers can refuse to call the input safe.
 */
export class ScriptExtractor {
  readonly commands: SimpleCommand[] = [];
  readonly errors: Span[] = [];
  readonly functions: ParsedScript['functions'] = new Map();
  private pipelineIds = 0;
  private readonly scope: WordScope;
  /** Files written earlier in this input with content Airlock could read, by resolved path. */
  private written = new Map<string, { text: string; span: Span }>();

  constructor(
    private readonly parser: ShellParser,
    private readonly options: ExtractOptions,
  ) {
    this.scope = { variables: new Map(), cwd: options.cwd };
  }

  extract(text: string): ParsedScript {
    const tree = this.parser.parse(text);
    try {
      const root = tree.rootNode;
      if (root.hasError) this.collectErrors(root);
      this.checkCoverage(root, text);
      this.visit(root, { redirects: [], origin: 'top', background: false });
    } finally {
      tree.delete();
    }
    return { commands: this.commands, errors: this.errors, functions: this.functions, written: this.written };
  }

  /**
   * Parses a script string found inside the command (the argument of `sh -c`, `eval`, `su -c`, …) into the
   * same command list, with spans moved to where the script sits in the original text when it maps 1:1.
   */
  extractInline(script: string, host: Word, parent: SimpleCommand, via: string): void {
    const depth = (this.options.depth ?? 0) + 1;
    if (depth > MAX_SCRIPT_DEPTH) {
      this.errors.push(host.span);
      return;
    }
    const inner = new ScriptExtractor(this.parser, { cwd: parent.cwd, depth });
    inner.pipelineIds = this.pipelineIds + 1000 * depth;
    // Files written inside `sh -c '…'` are the same files outside it.
    inner.written = this.written;
    const parsed = inner.extract(script);
    // Raw and plain strings map 1:1 after their opening quote; otherwise point at the whole word.
    const openQuote = host.text.startsWith("'") || host.text.startsWith('"') ? 1 : 0;
    const exact = host.text.length - 2 * openQuote === script.length && host.text.slice(openQuote, openQuote + script.length) === script;
    const move = (span: Span): Span => (exact ? [span[0] + host.span[0] + openQuote, span[1] + host.span[0] + openQuote] : [...host.span]);
    const base = this.commands.length;
    for (const cmd of parsed.commands) {
      const shifted: SimpleCommand = {
        ...cmd,
        index: cmd.index + base,
        span: move(cmd.span),
        argv: cmd.argv.map((w) => ({ ...w, span: move(w.span) })),
        assignments: cmd.assignments.map((a) => ({ ...a, span: move(a.span), ...(a.value ? { value: { ...a.value, span: move(a.value.span) } } : {}) })),
        redirects: cmd.redirects.map((r) => ({
          ...r,
          span: move(r.span),
          ...(r.target ? { target: { ...r.target, span: move(r.target.span) } } : {}),
          ...(r.body ? { body: { ...r.body, span: move(r.body.span) } } : {}),
        })),
        parent: cmd.parent === undefined ? parent.index : cmd.parent + base,
        via: cmd.parent === undefined ? via : cmd.via,
        origin: cmd.parent === undefined ? 'inline-script' : cmd.origin,
        // Output of the inline script goes where the host's goes.
        ...(cmd.parent === undefined && !cmd.pipeline && parent.pipeline ? { pipeline: parent.pipeline } : {}),
        background: cmd.background || parent.background,
      };
      if (cmd.parent === undefined) shifted.redirects = [...shifted.redirects, ...parent.redirects];
      this.commands.push(shifted);
    }
    for (const span of parsed.errors) this.errors.push(move(span));
    for (const [name, fn] of parsed.functions) this.functions.set(name, { ...fn, span: move(fn.span) });
  }

  /** Adds a command that a wrapper runs (sudo X, xargs X, find -exec X ;) as its own entry. */
  addWrapped(parent: SimpleCommand, argv: Word[], via: string, extra: Partial<SimpleCommand> = {}): SimpleCommand | undefined {
    if (argv.length === 0) return undefined;
    const first = argv[0];
    const last = argv[argv.length - 1];
    if (!first || !last) return undefined;
    const cmd: SimpleCommand = {
      index: this.commands.length,
      argv,
      assignments: [],
      redirects: parent.redirects,
      span: [first.span[0], last.span[1]],
      ...(parent.pipeline ? { pipeline: parent.pipeline } : {}),
      origin: 'wrapped',
      parent: parent.index,
      via,
      background: parent.background,
      cwd: parent.cwd,
      ...(parent.inFunction ? { inFunction: parent.inFunction } : {}),
      ...extra,
    };
    this.commands.push(cmd);
    unwrapCommand(cmd, this);
    return cmd;
  }

  private collectErrors(root: Node): void {
    const stack: Node[] = [root];
    while (stack.length > 0 && this.errors.length < 50) {
      const node = stack.pop() as Node;
      if (node.type === 'ERROR' || node.isMissing) {
        this.errors.push([node.startIndex, Math.max(node.endIndex, node.startIndex + 1)]);
        continue;
      }
      for (const child of node.children) if (child && (child.hasError || child.isMissing)) stack.push(child);
    }
    this.errors.sort((a, b) => a[0] - b[0]);
  }

  /**
   * tree-sitter-bash sometimes drops tokens without reporting an error (seen: `python - <<EOF` loses the
   * `-`). Every non-blank character must belong to some node; what is left is either recovered as the
   * arguments it evidently is, or reported as an error so the input cannot be judged safe by omission.
   */
  private checkCoverage(root: Node, text: string): void {
    const covered = new Uint8Array(text.length);
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      if (node.childCount === 0 || OPAQUE_LEAVES.has(node.type)) {
        covered.fill(1, node.startIndex, node.endIndex);
        if (node.type !== 'heredoc_body') continue;
      }
      for (const child of node.children) if (child) stack.push(child);
    }
    let i = 0;
    while (i < text.length) {
      if (covered[i] || /\s/.test(text[i] ?? '') || (text[i] === '\\' && text[i + 1] === '\n')) {
        i += text[i] === '\\' && !covered[i] ? 2 : 1;
        continue;
      }
      const start = i;
      while (i < text.length && !covered[i]) i++;
      const gap = text.slice(start, i).trimEnd();
      this.recoveredGaps.push({ start, text: gap });
    }
  }

  private readonly recoveredGaps: { start: number; text: string }[] = [];
  private readonly pendingRecovery = new Map<number, Word[]>();

  /** Takes the skipped tokens that sit between a command and its redirections, as arguments of it. */
  private recoverArguments(commandNode: Node, nextStart: number): Word[] {
    const words: Word[] = [];
    for (let g = this.recoveredGaps.length - 1; g >= 0; g--) {
      const gap = this.recoveredGaps[g];
      if (!gap || gap.start < commandNode.endIndex || gap.start >= nextStart) continue;
      if (!/^[\w@%+=:,./-]+(\s+[\w@%+=:,./-]+)*$/.test(gap.text)) continue;
      let offset = gap.start;
      for (const token of gap.text.split(/(\s+)/)) {
        if (token.trim()) words.push(literalWord(token, offset));
        offset += token.length;
      }
      this.recoveredGaps.splice(g, 1);
    }
    return words.sort((a, b) => a.span[0] - b.span[0]);
  }

  private reportUnrecoveredGaps(): void {
    for (const gap of this.recoveredGaps) this.errors.push([gap.start, gap.start + Math.max(1, gap.text.length)]);
    this.recoveredGaps.length = 0;
  }

  private visit(node: Node, ctx: VisitContext): void {
    switch (node.type) {
      case 'program':
        this.visitSequence(node.children, ctx);
        this.reportUnrecoveredGaps();
        return;
      case 'command':
        this.visitCommand(node, ctx, []);
        return;
      case 'redirected_statement':
        this.visitRedirected(node, ctx);
        return;
      case 'pipeline':
        this.visitPipeline(node.namedChildren.filter(isNode), ctx);
        return;
      case 'list': {
        // `a && b && c` nests to the left; walk the spine instead of recursing so long chains cannot overflow.
        const rests: (Node | null)[][] = [];
        let cur: Node = node;
        while (cur.type === 'list' && cur.children[0]) {
          rests.push(cur.children.slice(1));
          cur = cur.children[0];
        }
        this.visitSequence([cur, ...rests.reverse().flat()], ctx);
        return;
      }
      case 'compound_statement':
      case 'do_group':
      case 'else_clause':
      case 'elif_clause':
      case 'if_statement':
      case 'while_statement':
      case 'case_statement':
      case 'case_item':
      case 'negated_command':
        this.visitSequence(node.children, ctx);
        return;
      case 'subshell': {
        const saved = this.scope.cwd;
        this.visitSequence(node.children, ctx);
        this.scope.cwd = saved;
        return;
      }
      case 'for_statement': {
        const variable = node.childForFieldName('variable');
        this.visitSequence(node.children.filter((c) => c !== null && c.type !== 'do_group'), ctx);
        if (variable) this.scope.variables.set(variable.text, DYNAMIC);
        const body = node.children.find((c) => c?.type === 'do_group');
        if (body) this.visit(body, ctx);
        return;
      }
      case 'function_definition':
        this.visitFunction(node, ctx);
        return;
      case 'variable_assignment':
        this.pushAssignments([node], ctx);
        return;
      case 'variable_assignments':
        this.pushAssignments(node.namedChildren.filter(isNode), ctx);
        return;
      case 'file_redirect':
      case 'herestring_redirect': {
        // `$(</etc/passwd)` and a bare `< file` read a file with no command at all.
        const r = this.redirectOf(node, ctx);
        if (r) this.pushBare([], [], [r, ...ctx.redirects], node, ctx);
        return;
      }
      case 'declaration_command':
      case 'unset_command':
        this.visitDeclaration(node, ctx);
        return;
      case 'command_substitution':
      case 'process_substitution':
        this.visitSubstitution(node, ctx, undefined);
        return;
      default:
        for (const child of node.namedChildren) if (child) this.visit(child, ctx);
    }
  }

  private visitSequence(children: (Node | null)[], ctx: VisitContext): void {
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (!child || !child.isNamed) continue;
      const next = children[i + 1];
      const background = next?.type === '&';
      this.visit(child, background ? { ...ctx, background: true } : ctx);
    }
  }

  private visitPipeline(stages: Node[], ctx: VisitContext, first?: { node: Node; redirects: Redirect[] }): void {
    const id = ++this.pipelineIds;
    const total = stages.length + (first ? 1 : 0);
    let stage = 0;
    if (first) {
      this.visitCommand(first.node, { ...ctx, redirects: first.redirects, pipeline: { id, stage: stage++, stages: total } }, []);
    }
    for (const node of stages) {
      this.visit(node, { ...ctx, pipeline: { id, stage: stage++, stages: total } });
    }
  }

  private visitRedirected(node: Node, ctx: VisitContext): void {
    const body = node.childForFieldName('body');
    const redirects: Redirect[] = [];
    const tails: Node[] = [];
    let pipelineTail: Node | undefined;
    for (const child of node.namedChildren) {
      if (!child || child === body || child.id === body?.id) continue;
      if (!REDIRECT_TYPES.has(child.type)) continue;
      const redirect = this.redirectOf(child, ctx);
      if (redirect) redirects.push(redirect);
      if (child.type === 'heredoc_redirect') {
        // The grammar hangs what follows `<<EOF` on the same line inside the redirect node.
        for (const part of child.namedChildren) {
          if (!part) continue;
          if (part.type === 'file_redirect' || part.type === 'herestring_redirect') {
            const extra = this.redirectOf(part, ctx);
            if (extra) redirects.push(extra);
          } else if (part.type === 'pipeline') {
            pipelineTail = part;
          } else if (!['heredoc_start', 'heredoc_body', 'heredoc_end'].includes(part.type)) {
            tails.push(part);
          }
        }
      }
    }
    if (!body) {
      // `< file` alone (zsh/bash read the file): a read with no program.
      this.pushBare([], [], [...redirects, ...ctx.redirects], node, ctx);
    }
    if (body) {
      const firstRedirect = node.namedChildren.find((c) => c && c.id !== body.id);
      if (body.type === 'command' && firstRedirect) {
        const recovered = this.recoverArguments(body, firstRedirect.startIndex);
        if (pipelineTail) {
          this.visitPipelineWithHead(body, pipelineTail, { ...ctx, redirects: [...ctx.redirects, ...redirects] }, recovered);
        } else {
          this.visitCommand(body, { ...ctx, redirects: [...ctx.redirects, ...redirects] }, recovered);
        }
      } else {
        // The dropped tokens belong to the last command of a pipeline or list body (`a | b - 2>&1`).
        const tail = firstRedirect ? lastCommand(body) : undefined;
        if (tail && firstRedirect) {
          const recovered = this.recoverArguments(tail, firstRedirect.startIndex);
          if (recovered.length) this.pendingRecovery.set(tail.id, recovered);
        }
        this.visit(body, { ...ctx, redirects: [...ctx.redirects, ...redirects] });
        if (pipelineTail) this.visit(pipelineTail, ctx);
      }
    }
    for (const tail of tails) this.visit(tail, ctx);
  }

  private visitPipelineWithHead(head: Node, tail: Node, ctx: VisitContext, recovered: Word[]): void {
    const id = ++this.pipelineIds;
    const stages = tail.namedChildren.filter(isNode);
    const total = stages.length + 1;
    this.visitCommand(head, { ...ctx, pipeline: { id, stage: 0, stages: total } }, recovered);
    stages.forEach((stage, i) => this.visit(stage, { ...ctx, redirects: [], pipeline: { id, stage: i + 1, stages: total } }));
  }

  private redirectOf(node: Node, ctx: VisitContext): Redirect | undefined {
    const span: Span = [node.startIndex, node.endIndex];
    if (node.type === 'heredoc_redirect') {
      const start = node.namedChildren.find((c) => c?.type === 'heredoc_start');
      const body = node.namedChildren.find((c) => c?.type === 'heredoc_body');
      const expands = !!start && !/['"\\]/.test(start.text);
      if (body && expands) this.visitNestedSubstitutions(body, ctx, undefined);
      const op = node.children.find((c) => c && !c.isNamed)?.text === '<<-' ? '<<-' : '<<';
      return { op, span, ...(body ? { body: { text: body.text, span: [body.startIndex, body.endIndex], expands } } : { body: { text: '', span, expands } }) };
    }
    if (node.type === 'herestring_redirect') {
      const value = node.namedChildren.find(isNode);
      if (value) this.visitNestedSubstitutions(value, ctx, undefined);
      const word = value ? wordOf(value, this.scope) : undefined;
      return { op: '<<<', span, ...(word ? { target: word, body: { text: word.value, span: word.span, expands: true } } : {}) };
    }
    const fdNode = node.childForFieldName('descriptor');
    const dest = node.childForFieldName('destination') ?? node.namedChildren.filter(isNode).find((c) => c.type !== 'file_descriptor');
    const opToken = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c?.text ?? '').join('');
    if (dest) this.visitNestedSubstitutions(dest, ctx, undefined);
    const op = normalizeOp(opToken);
    return {
      op,
      span,
      ...(fdNode ? { fd: Number(fdNode.text) } : {}),
      ...(dest ? { target: wordOf(dest, this.scope) } : {}),
    };
  }

  private visitCommand(node: Node, ctx: VisitContext, recoveredArgs: Word[]): void {
    let recovered = recoveredArgs;
    const index = this.commands.length;
    const argv: Word[] = [];
    const assignments: SimpleCommand['assignments'] = [];
    const ownRedirects: Redirect[] = [];
    const nested: Node[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'variable_assignment') {
        const nameNode = child.childForFieldName('name');
        const valueNode = child.childForFieldName('value');
        assignments.push({ name: nameNode?.text ?? '', span: [child.startIndex, child.endIndex], ...(valueNode ? { value: wordOf(valueNode, this.scope) } : {}) });
        if (valueNode) nested.push(valueNode);
      } else if (child.type === 'command_name') {
        const inner = child.namedChildren.find(isNode) ?? child;
        argv.push(wordOf(inner, this.scope));
        nested.push(inner);
      } else if (REDIRECT_TYPES.has(child.type)) {
        const r = this.redirectOf(child, ctx);
        if (r) ownRedirects.push(r);
      } else {
        argv.push(wordOf(child, this.scope));
        nested.push(child);
      }
    }
    const pending = this.pendingRecovery.get(node.id);
    if (pending) {
      this.pendingRecovery.delete(node.id);
      recovered = [...recovered, ...pending];
    }
    argv.push(...recovered);
    const cmd: SimpleCommand = {
      index,
      argv,
      assignments,
      redirects: [...ownRedirects, ...ctx.redirects],
      span: [node.startIndex, Math.max(node.endIndex, recovered.at(-1)?.span[1] ?? 0)],
      ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}),
      origin: ctx.origin,
      ...(ctx.parent !== undefined ? { parent: ctx.parent } : {}),
      ...(ctx.via ? { via: ctx.via } : {}),
      background: ctx.background,
      cwd: this.scope.cwd,
      ...(ctx.inFunction ? { inFunction: ctx.inFunction } : {}),
    };
    this.commands.push(cmd);
    for (const n of nested) this.visitNestedSubstitutions(n, ctx, index);
    if (argv.length === 0) {
      // Assignments alone (`A=1 B=2`) set variables for the rest of the script.
      for (const a of assignments) this.scope.variables.set(a.name, a.value && !a.value.dynamic ? a.value.value : DYNAMIC);
    }
    this.trackDirectory(cmd);
    this.trackWrites(cmd);
    unwrapCommand(cmd, this);
  }

  /** Static text a command prints: echo/printf arguments, cat's here-document. */
  private printedText(cmd: SimpleCommand): { text: string; span: Span } | undefined {
    const name = cmd.argv[0]?.value;
    const args = cmd.argv.slice(1);
    if ((name === 'echo' || name === 'printf') && args.length > 0 && !args.some((w) => w.dynamic)) {
      const flags = name === 'echo' ? args.filter((w, i) => /^-[neE]+$/.test(w.value) && args.slice(0, i).every((p) => /^-[neE]+$/.test(p.value))) : [];
      const words = args.slice(flags.length);
      const first = words[0];
      const last = words.at(-1);
      if (!first || !last) return undefined;
      let text = words.map((w) => w.value).join(' ');
      if (name === 'printf' || flags.some((f) => f.value.includes('e'))) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
      return { text: text + (name === 'echo' && !flags.some((f) => f.value.includes('n')) ? '\n' : ''), span: [first.span[0], last.span[1]] };
    }
    if (name === 'cat' && args.length === 0) {
      // An unquoted here-document is still static when nothing in it expands.
      const body = cmd.redirects.find((r) => ((r.op === '<<' || r.op === '<<-') && r.body && (!r.body.expands || !/[$`\\]/.test(r.body.text))) || (r.op === '<<<' && r.target && !r.target.dynamic));
      if (body?.body) return { text: body.op === '<<<' ? (body.target?.value ?? '') + '\n' : body.body.text, span: body.body.span };
    }
    return undefined;
  }

  private trackWrites(cmd: SimpleCommand): void {
    const out = cmd.redirects.find((r) => (r.op === '>' || r.op === '>>' || r.op === '>|') && r.target && (r.fd === undefined || r.fd === 1));
    if (!out?.target) return;
    const path = resolvePath(out.target.value, cmd.cwd);
    if (!path) return;
    const printed = this.printedText(cmd);
    if (!printed) {
      this.written.delete(path);
      return;
    }
    const before = out.op === '>>' ? this.written.get(path) : undefined;
    this.written.set(path, before ? { text: before.text + printed.text, span: [before.span[0], printed.span[1]] } : printed);
  }

  /** Content of a script file written earlier in the same input, when Airlock saw all of it. */
  writtenScript(word: Word, cwd: string | undefined): { text: string; span: Span } | undefined {
    if (word.dynamic) return undefined;
    const path = resolvePath(word.value, cwd);
    return path ? this.written.get(path) : undefined;
  }

  /** Text piped into this command by the previous stage, when that stage only prints static text. */
  pipedText(cmd: SimpleCommand): { text: string; span: Span } | undefined {
    if (!cmd.pipeline || cmd.pipeline.stage === 0) return undefined;
    const upstream = this.commands.find((c) => c.pipeline?.id === cmd.pipeline?.id && c.pipeline?.stage === (cmd.pipeline?.stage ?? 0) - 1 && c.origin === cmd.origin);
    return upstream ? this.printedText(upstream) : undefined;
  }

  /** Judges a script whose text is known (written or piped earlier) as the code it is. */
  runKnownScript(content: { text: string; span: Span }, cmd: SimpleCommand, via: string): void {
    const host: Word = { text: content.text, value: content.text, dynamic: false, span: content.span };
    this.extractInline(content.text, host, cmd, via);
  }

  private trackDirectory(cmd: SimpleCommand): void {
    const name = cmd.argv[0]?.value;
    if (name !== 'cd' && name !== 'pushd') return;
    const target = cmd.argv.slice(1).find((w) => !w.value.startsWith('-') || w.value === '-');
    if (!target) {
      this.scope.cwd = '~';
      return;
    }
    this.scope.cwd = target.dynamic || target.value === '-' ? undefined : resolvePath(target.value, this.scope.cwd);
  }

  private visitNestedSubstitutions(node: Node, ctx: VisitContext, parent: number | undefined): void {
    if (node.type === 'command_substitution' || node.type === 'process_substitution') {
      this.visitSubstitution(node, ctx, parent);
      return;
    }
    for (const child of node.namedChildren) if (child) this.visitNestedSubstitutions(child, ctx, parent);
  }

  private visitSubstitution(node: Node, ctx: VisitContext, parent: number | undefined): void {
    const origin: Origin = node.type === 'process_substitution' ? 'process-substitution' : 'command-substitution';
    const inner: VisitContext = {
      redirects: [],
      origin,
      background: false,
      ...(parent !== undefined ? { parent } : {}),
      ...(ctx.inFunction ? { inFunction: ctx.inFunction } : {}),
    };
    const saved = this.scope.cwd;
    this.visitSequence(node.children, inner);
    this.scope.cwd = saved;
  }

  /** Assignments on their own line still matter (HISTFILE=/dev/null, PROMPT_COMMAND=…): keep them as a command with no program. */
  private pushAssignments(nodes: Node[], ctx: VisitContext): void {
    const assignments: SimpleCommand['assignments'] = [];
    for (const n of nodes) {
      const nameNode = n.childForFieldName('name');
      const valueNode = n.childForFieldName('value');
      assignments.push({ name: nameNode?.text ?? '', span: [n.startIndex, n.endIndex], ...(valueNode ? { value: wordOf(valueNode, this.scope) } : {}) });
      this.assign(n, ctx);
    }
    const first = nodes[0];
    if (first) this.pushBare([], assignments, ctx.redirects, first, ctx, nodes.at(-1)?.endIndex);
  }

  private pushBare(argv: Word[], assignments: SimpleCommand['assignments'], redirects: Redirect[], node: Node, ctx: VisitContext, end?: number): void {
    this.commands.push({
      index: this.commands.length,
      argv,
      assignments,
      redirects,
      span: [node.startIndex, end ?? node.endIndex],
      ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}),
      origin: ctx.origin,
      ...(ctx.parent !== undefined ? { parent: ctx.parent } : {}),
      background: ctx.background,
      cwd: this.scope.cwd,
      ...(ctx.inFunction ? { inFunction: ctx.inFunction } : {}),
    });
  }

  private assign(node: Node, ctx: VisitContext): void {
    const nameNode = node.childForFieldName('name');
    const valueNode = node.childForFieldName('value');
    if (valueNode) this.visitNestedSubstitutions(valueNode, ctx, undefined);
    if (!nameNode) return;
    const value = valueNode ? wordOf(valueNode, this.scope) : undefined;
    this.scope.variables.set(nameNode.text, value && !value.dynamic ? value.value : value ? DYNAMIC : '');
  }

  private visitDeclaration(node: Node, ctx: VisitContext): void {
    const argv: Word[] = [];
    const assignments: SimpleCommand['assignments'] = [];
    for (const child of node.children) {
      if (!child) continue;
      if (child.type === 'variable_assignment') {
        const nameNode = child.childForFieldName('name');
        const valueNode = child.childForFieldName('value');
        const value = valueNode ? wordOf(valueNode, this.scope) : undefined;
        assignments.push({ name: nameNode?.text ?? '', span: [child.startIndex, child.endIndex], ...(value ? { value } : {}) });
        this.assign(child, ctx);
        argv.push({ text: child.text, value: `${nameNode?.text ?? ''}=${value?.value ?? ''}`, dynamic: value?.dynamic ?? false, span: [child.startIndex, child.endIndex] });
      } else if (child.isNamed || argv.length === 0) {
        if (child.isNamed) this.visitNestedSubstitutions(child, ctx, undefined);
        argv.push(wordOf(child, this.scope));
      }
    }
    this.commands.push({
      index: this.commands.length,
      argv,
      assignments,
      redirects: ctx.redirects,
      span: [node.startIndex, node.endIndex],
      ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}),
      origin: ctx.origin,
      ...(ctx.parent !== undefined ? { parent: ctx.parent } : {}),
      background: ctx.background,
      cwd: this.scope.cwd,
    });
  }

  private visitFunction(node: Node, ctx: VisitContext): void {
    const name = node.childForFieldName('name')?.text ?? '';
    const body = node.childForFieldName('body');
    const before = this.commands.length;
    if (body) this.visit(body, { ...ctx, inFunction: name });
    const inside = this.commands.slice(before);
    this.functions.set(name, {
      span: [node.startIndex, node.endIndex],
      calls: inside.map((c) => c.argv[0]?.value ?? ''),
      background: inside.some((c) => c.background),
      piped: inside.some((c) => c.pipeline !== undefined),
    });
  }
}

/** The rightmost simple command that ends where `node` ends. */
function lastCommand(node: Node): Node | undefined {
  if (node.type === 'command') return node;
  const children = node.namedChildren.filter(isNode);
  const last = children.at(-1);
  return last && last.endIndex === node.endIndex ? lastCommand(last) : undefined;
}

function isNode(n: Node | null): n is Node {
  return n !== null;
}

function normalizeOp(token: string): RedirectOp {
  const known: RedirectOp[] = ['>>', '>|', '&>>', '&>', '<>', '>&', '<&', '<<<', '<<-', '<<', '>', '<'];
  const clean = token.replace(/[0-9]/g, '');
  return known.find((op) => op === clean) ?? (clean.includes('<') ? '<' : '>');
}
