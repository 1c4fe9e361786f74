import type { Policy, Thresholds } from './schema';
import type { Context } from '../risk/types';

/** Package registries and mirrors agents need to do ordinary work; everything else is asked for. */
export const DEFAULT_ALLOWED_DOMAINS = [
  'registry.npmjs.org',
  'registry.yarnpkg.com',
  'pypi.org',
  'files.pythonhosted.org',
  'crates.io',
  'static.crates.io',
  'index.crates.io',
  'proxy.golang.org',
  'sum.golang.org',
  'rubygems.org',
  'index.rubygems.org',
  'repo.maven.apache.org',
  'repo1.maven.org',
  'plugins.gradle.org',
  'deb.debian.org',
  'security.debian.org',
  'archive.ubuntu.com',
  'security.ubuntu.com',
  'dl-cdn.alpinelinux.org',
  'conda.anaconda.org',
  'repo.anaconda.com',
  'api.nuget.org',
  'packagist.org',
  'repo.packagist.org',
];

export const DEFAULT_THRESHOLDS: Record<Context, Thresholds> = {
  sandbox: { auto: 24, batch: 49, ask: 79 },
  host: { auto: 24, batch: 49, ask: 79 },
};

export const DEFAULT_POLICY: Policy = {
  version: 1,
  rules: [],
  ruleLevels: {},
  network: { allow: DEFAULT_ALLOWED_DOMAINS, deny: [], lockAllowlist: false },
  thresholds: DEFAULT_THRESHOLDS,
  protectedPaths: [],
  secretPaths: [],
  sandbox: { backend: 'devcontainer', mode: 'staged' },
  batch: { windowMs: 2000, maxSize: 50 },
};
