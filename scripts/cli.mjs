// `npm run cli -- …`: runs the bundled CLI (out/cli/main.cjs), rebuilt first when a source of
// electron/ or shared/ is newer than it (a fraction of a second with esbuild). `--help` is
// answered from the commands' descriptions (out/cli/commands.json), without loading a service.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'out', 'cli');
const main = path.join(out, 'main.cjs');
const require = createRequire(import.meta.url);

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

const files = [main, path.join(out, 'help.cjs'), path.join(out, 'commands.json')];
const builtAt = files.every((f) => fs.existsSync(f)) ? Math.min(...files.map((f) => fs.statSync(f).mtimeMs)) : 0;
if (['electron', 'shared'].some((d) => newest(path.join(root, d)) > builtAt)) {
  const { buildCli } = await import('./build-cli.mjs');
  await buildCli();
}

const argv = process.argv.slice(2);
const io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };
const answered = require(path.join(out, 'help.cjs')).answerHelp(argv, JSON.parse(fs.readFileSync(path.join(out, 'commands.json'), 'utf8')), io);
if (answered !== null) process.exitCode = answered;
else require(main);
