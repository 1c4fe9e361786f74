// zod v4 re-exports every message locale (`z.locales`), about a third of the extension bundle. Airlock uses
// only English, so the locale index resolves to a module with just `en`: a smaller bundle, a faster activation.
export default {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales(\/index\.c?js)?$/ }, (args) => {
      if (!/zod[\\/]v4[\\/]/.test(args.importer)) return undefined;
      return { path: 'zod-locales-en', namespace: 'zod-locales-en' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales-en' }, () => ({ contents: 'export { default as en } from "zod/v4/locales/en.js";', resolveDir: process.cwd(), loader: 'js' }));
  },
};
