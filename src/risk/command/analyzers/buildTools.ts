import type { Finding } from '../../types';
import { programName } from '../model';
import { finding, optionValues, pathFindings, positionals, type CommandAnalyzer } from './context';
import { looksLikePath } from '../../shared/paths';

/**
 * Test runners, compilers, linters and build systems: they run the workspace's own code, which the
 * sandbox contains. Their file arguments and output options are still checked like any path.
 */
const BUILD_TOOLS = [
  'pytest', 'py.test', 'tox', 'nox', 'coverage', 'hypothesis', 'behave', 'nosetests', 'trial', 'unittest',
  'jest', 'vitest', 'mocha', 'ava', 'tap', 'karma', 'playwright', 'cypress', 'c8', 'nyc',
  'tsc', 'tsx', 'ts-node', 'esbuild', 'webpack', 'vite', 'rollup', 'parcel', 'swc', 'babel', 'next', 'nuxt', 'turbo', 'nx', 'lerna',
  'eslint', 'prettier', 'black', 'ruff', 'flake8', 'mypy', 'pylint', 'isort', 'pyright', 'pyflakes', 'pycodestyle', 'autopep8', 'yapf', 'bandit', 'pydocstyle', 'sqlfluff', 'shellcheck', 'hadolint', 'stylelint', 'tslint', 'biome', 'rubocop', 'gofmt', 'goimports', 'golangci-lint', 'rustfmt', 'clippy-driver', 'clang-format', 'clang-tidy', 'cppcheck', 'ktlint', 'checkstyle', 'markdownlint', 'yamllint', 'codespell', 'pre-commit', 'interrogate', 'vulture', 'radon',
  'make', 'gmake', 'cmake', 'ctest', 'ninja', 'meson', 'bazel', 'bazelisk', 'buck', 'scons', 'ant', 'sbt', 'lein', 'mix', 'rebar3', 'stack', 'cabal', 'ghc', 'dune', 'opam-exec', 'zig', 'nim', 'crystal', 'dart', 'flutter', 'swift', 'swiftc', 'xcodebuild',
  'gcc', 'g++', 'cc', 'c++', 'clang', 'clang++', 'rustc', 'javac', 'java', 'kotlinc', 'kotlin', 'scalac', 'scala', 'ld', 'as', 'ar-build', 'nasm', 'gfortran', 'f2py', 'cython', 'cythonize', 'nvcc',
  'rake', 'rails', 'hanami', 'rspec', 'phpunit', 'pest', 'artisan', 'django-admin', 'flask', 'uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'celery', 'alembic', 'manage.py',
  'sphinx-build', 'sphinx-apidoc', 'mkdocs', 'doxygen', 'jupyter', 'nbconvert', 'papermill', 'jekyll', 'hugo', 'asv',
  'sqlite3', 'pip-compile', 'pip-sync', 'maturin', 'setup.py', 'invoke', 'just', 'task', 'xvfb', 'timeit', 'hyperfine', 'perf', 'gprof', 'pdoc', 'pyinstaller', 'nuitka',
  'docformatter', 'pyupgrade', 'add-trailing-comma', 'ruff-format', 'typos', 'deno-lint', 'denofmt', 'wasm-pack', 'trunk', 'cargo-nextest',
];

export const buildToolsAnalyzer: CommandAnalyzer = {
  names: BUILD_TOOLS,
  analyze(cmd, ctx) {
    const a = cmd.argv.slice(1);
    const name = programName(cmd) ?? '';
    const out: Finding[] = [finding('runs-workspace-code', `${name} runs workspace code`, cmd)];
    for (const o of optionValues(a, '-o', '--output', '--out', '--outdir', '--out-dir', '--outfile', '--output-dir', '--cov-report', '-d', '--dist-dir', '--build-dir', '--prefix')) {
      if (looksLikePath(o.value)) out.push(...pathFindings(o, 'write', cmd, ctx));
    }
    if (a.some((w) => w.value === '--deselect' || w.value.startsWith('--deselect=') || w.value === '--ignore' || w.value.startsWith('--ignore=')) || optionValues(a, '-k').some((k) => /\bnot\b/.test(k.value)) || (name === 'jest' || name === 'vitest') && a.some((w) => /^--testPathIgnorePatterns|^--exclude/.test(w.value))) {
      out.push(finding('tests-deselected', `${name} is told to leave some tests out`, cmd));
    }
    if ((name === 'make' || name === 'gmake') && a.some((w) => /^(SHELL|MAKESHELL|\.SHELLFLAGS)=/.test(w.value))) out.push(finding('hidden-shell', 'make is told which shell runs its recipes', cmd));
    if (name === 'make' && a.some((w) => /^--eval/.test(w.value) || w.value === '-E')) out.push(finding('hidden-shell', 'make --eval injects recipes', cmd));
    for (const f of optionValues(a, '-f', '--file', '--makefile', '-C', '--directory', '-c', '--config', '--rcfile')) {
      if (looksLikePath(f.value)) out.push(...pathFindings(f, 'read', cmd, ctx));
    }
    for (const p of positionals(a, ['-o', '-k', '-m', '-p', '-x', '-n', '-j', '-l', '-f', '-C', '-c', '-I', '-L', '-D', '-W', '-e', '-t', '-s', '--maxfail', '--tb', '--cov', '--log-level', '--durations'])) {
      if (p.value.startsWith('/') || p.value.startsWith('~')) out.push(...pathFindings(p, 'read', cmd, ctx));
    }
    return out;
  },
};
