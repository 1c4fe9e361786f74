// Inside the extension host: what Airlock costs VS Code at activation — loading the bundle (compile and
// evaluate, measured by requiring it again) and the activate() call — against a tiny module loaded the same way.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

suite('activation benchmark', () => {
  test('measure', async () => {
    const ext = vscode.extensions.getExtension('airlock-dev.airlock');
    await ext?.activate();
    // The bundle as shipped (minified), built by bench/activation.ts; the dev build otherwise.
    const bundle = process.env.AIRLOCK_BENCH_BUNDLE ?? join(ext?.extensionPath ?? '', 'dist', 'extension.js');
    const tiny = join(ext?.extensionPath ?? '', 'dist', 'test', 'tiny.js');
    writeFileSync(tiny, 'exports.x = 1;\n');
    const load = (file: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 15; i++) {
        delete require.cache[require.resolve(file)];
        const t = performance.now();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the benchmark measures exactly what require() costs
        require(file);
        samples.push(performance.now() - t);
      }
      return samples.sort((a, b) => a - b)[7] ?? 0;
    };
    const { activateMs } = (await vscode.commands.executeCommand('airlock._activation')) as { activateMs: number };
    writeFileSync(process.env.AIRLOCK_BENCH_OUT ?? '/dev/null', JSON.stringify({ bundleLoadMs: load(bundle), tinyLoadMs: load(tiny), activateMs, vscode: vscode.version }));
  });
});
