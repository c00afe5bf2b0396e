// Bundles the CLI into out/cli/ (esbuild: one CommonJS file, npm packages left in node_modules)
// so that `npm run cli` starts at once instead of compiling TypeScript on every run, and writes
// the commands' descriptions (commands.json) from which the launcher answers `--help` without
// loading any service. Run by `npm run build` and, when the sources changed, by scripts/cli.mjs.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
export const cliOut = path.join(root, 'out', 'cli');

export async function buildCli() {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning', absWorkingDir: root };
  fs.mkdirSync(cliOut, { recursive: true });
  await build({ ...common, entryPoints: { main: 'electron/cli/main.ts', help: 'electron/cli/help.ts', meta: 'electron/cli/meta.ts' }, outdir: cliOut, outExtension: { '.js': '.cjs' } });
  // The services' worker threads, beside the bundle where they look for them (untrusted files'
  // parser, the dossier's copy-and-hash helper): the same names as in the main build.
  await build({
    ...common,
    entryPoints: { 'untrusted-worker': 'electron/services/common/untrusted/worker.ts', 'copy-hash-worker': 'electron/services/common/zip/copy-hash-worker.ts' },
    outdir: cliOut,
  });
  const require = createRequire(import.meta.url);
  const meta = path.join(cliOut, 'meta.cjs');
  delete require.cache[meta];
  fs.writeFileSync(path.join(cliOut, 'commands.json'), JSON.stringify(require(meta).commandInfos(), null, 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await buildCli();
