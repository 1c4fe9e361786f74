// esbuild options shared by the build (esbuild.config.mjs) and the activation benchmark (the shipped bundle).
import zodEnglishOnly from './zodEnglishOnly.mjs';

export function bundleOptions(production) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    minify: production,
    logLevel: 'warning',
    plugins: [zodEnglishOnly],
    // web-tree-sitter probes for these in browsers only.
    external: ['vscode', 'fs/promises', 'module'],
    // jsonc-parser's UMD entry hides its requires from bundlers; its ESM entry bundles cleanly.
    // web-tree-sitter's ESM build needs import.meta.url, which a CommonJS bundle does not have.
    alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js', 'web-tree-sitter': './node_modules/web-tree-sitter/tree-sitter.cjs' },
  };
}
