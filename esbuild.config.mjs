// Builds everything that ships: the extension, the `airlock` CLI, webview scripts, the shell parser's
// wasm files and the policy JSON Schema (generated from the zod schema, never kept by hand).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bundleOptions } from './scripts/build/bundleOptions.mjs';
import zodEnglishOnly from './scripts/build/zodEnglishOnly.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const started = Date.now();

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/wasm', { recursive: true });

const common = bundleOptions(production);

// The extension loads its engine (assessor, sandbox, broker) from a second bundle on first use.
await build({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: [...common.external, './engine.js'] });
await build({ ...common, entryPoints: { engine: 'src/engine.ts' }, outdir: 'dist' });
await build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist' });
// The exec agent runs inside the sandbox on whatever Node the image has (Debian bookworm: 18).
await build({ ...common, entryPoints: { 'sandbox-agent': 'src/sandbox/agent/execAgent.ts' }, outdir: 'dist', target: 'node18', sourcemap: false });

// The extension-host test entry and suites (never shipped: .vscodeignore keeps only what runs).
if (!production) {
  const suites = readdirSync('test/vscode/suite').filter((f) => f.endsWith('.ts')).map((f) => join('test/vscode/suite', f));
  await build({ ...common, entryPoints: ['test/vscode/index.ts'], outdir: 'dist/test', external: [...common.external, 'mocha'] });
  await build({ ...common, entryPoints: suites, outdir: 'dist/test/suite', external: [...common.external, 'mocha'] });
}

// Webview scripts: every media/*.ts is an entry for the browser.
const webviewEntries = existsSync('media') ? readdirSync('media').filter((f) => f.endsWith('.ts')).map((f) => join('media', f)) : [];
if (webviewEntries.length > 0) {
  await build({ entryPoints: webviewEntries, plugins: [zodEnglishOnly], bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, minify: production, outdir: 'dist/media', logLevel: 'warning' });
}
for (const css of existsSync('media') ? readdirSync('media').filter((f) => f.endsWith('.css')) : []) copyFileSync(join('media', css), join('dist/media', css));

copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), 'dist/wasm/tree-sitter.wasm');
copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), 'dist/wasm/tree-sitter-bash.wasm');

// The JSON Schema comes from the zod schema: bundle a tiny module exporting it, evaluate, write.
const schemaBundle = await build({ ...common, entryPoints: ['src/policy/schema.ts'], write: false, outdir: 'dist/tmp', sourcemap: false });
const mod = { exports: {} };
new Function('module', 'exports', 'require', schemaBundle.outputFiles[0].text)(mod, mod.exports, require);
writeFileSync('dist/policy.schema.json', JSON.stringify(mod.exports.policyJsonSchema(), null, 2) + '\n');

console.log(`airlock: built dist/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
if (watch) console.log('airlock: --watch is not supported; rerun npm run build');
