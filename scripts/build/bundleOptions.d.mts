export function bundleOptions(production: boolean): Record<string, unknown>;
