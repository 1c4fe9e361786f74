import { Language, Parser, type Tree } from 'web-tree-sitter';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * tree-sitter-bash through web-tree-sitter: a real, maintained Bash grammar compiled to WebAssembly, so
 * the same parser runs in the CLI, the extension host and tests without native builds.
 * Initialisation is async (it compiles two wasm modules); parsing afterwards is synchronous and fast.
 */
export interface ShellParser {
  parse(text: string): Tree;
  /** Milliseconds spent loading the parser, reported by benchmarks separately from per-command cost. */
  readonly startupMs: number;
}

let shared: Promise<ShellParser> | undefined;

/** Where the wasm files live: next to the bundle in dist/, or in node_modules when running from source. */
function locateWasm(file: 'tree-sitter.wasm' | 'tree-sitter-bash.wasm'): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [join(here, file), join(here, 'wasm', file), join(here, '..', 'dist', 'wasm', file)];
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    return file === 'tree-sitter.wasm' ? join(dirname(require.resolve('web-tree-sitter')), file) : require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  } catch {
    throw new Error(
      `Airlock could not find ${file}: the shell parser cannot start. Looked in ${candidates.join(', ')} ` +
        `and in node_modules. Rebuild with \`npm run build\` (it copies the wasm files into dist/).`,
    );
  }
}

export function loadShellParser(): Promise<ShellParser> {
  shared ??= (async () => {
    const started = performance.now();
    await Parser.init({ locateFile: () => locateWasm('tree-sitter.wasm') });
    const bash = await Language.load(locateWasm('tree-sitter-bash.wasm'));
    const parser = new Parser();
    parser.setLanguage(bash);
    const startupMs = performance.now() - started;
    return {
      startupMs,
      parse(text: string): Tree {
        const tree = parser.parse(text);
        if (!tree) throw new Error('The shell parser returned no tree; treat the command as unparseable.');
        return tree;
      },
    };
  })();
  return shared;
}
