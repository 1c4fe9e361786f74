// The `contributes.languageModelTools` entries, generated from the tool definitions (the zod schemas are the
// source of truth). `npm run docs` writes them into package.json; test/connectors/lmToolsManifest.test.ts checks.
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { TOOLS } from '../src/connectors/tools/toolDefinitions';

export function lmToolsManifest(): unknown[] {
  return TOOLS.map((t) => {
    const schema = z.toJSONSchema(t.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete schema.$schema;
    return {
      name: t.name,
      toolReferenceName: t.name.replace(/^airlock_/, 'airlock-').replace(/_/g, '-'),
      displayName: `Airlock: ${t.title}`,
      userDescription: t.title,
      modelDescription: t.description,
      canBeReferencedInPrompt: true,
      icon: '$(shield)',
      tags: ['airlock'],
      inputSchema: schema,
    };
  });
}

if (process.argv[1]?.endsWith('lmToolsManifest.ts')) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: Record<string, unknown> };
  pkg.contributes.languageModelTools = lmToolsManifest();
  writeFileSync('package.json', JSON.stringify(pkg, null, 2) + '\n');
  console.log('package.json: contributes.languageModelTools updated');
}
