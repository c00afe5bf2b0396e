// `npm start`: the desktop app where the Electron binary is installed; otherwise (machines
// without it, like our CI) one line says so and the same UI is served by the web host.
//
// better-sqlite3 is compiled for Node in node_modules (tests, CLI, web host). Electron needs a
// build for its own ABI: we build it once into build/native/electron/ (needs the internet the
// first time) and the main process loads it with better-sqlite3's nativeBinding option, so the
// Node build used by the tests is never replaced.
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

// The electron package records its binary in path.txt + dist/ once downloaded. We look there
// directly: require('electron') would start a download and print a stack trace when offline.
function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const find = () => {
    const pathFile = path.join(dir, 'path.txt');
    if (!fs.existsSync(pathFile)) return null;
    const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  };
  if (find()) return find();
  // Installed with ELECTRON_SKIP_BINARY_DOWNLOAD: one quiet attempt to fetch it now.
  spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } });
  return find();
}

function ensureElectronSqlite() {
  const target = path.join(root, 'build', 'native', 'electron', 'better_sqlite3.node');
  if (fs.existsSync(target)) return;
  const version = require('electron/package.json').version;
  const work = path.join(root, 'build', 'native', 'work');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  fs.cpSync(src, path.join(work, 'better-sqlite3'), { recursive: true, filter: (s) => !s.includes(`${path.sep}build${path.sep}`) });
  console.log(`Compilation de better-sqlite3 pour Electron ${version} (une seule fois)…`);
  execSync(`npx --yes prebuild-install --runtime electron --target ${version} || npx --yes node-gyp rebuild --release --runtime=electron --target=${version} --dist-url=https://electronjs.org/headers`, {
    cwd: path.join(work, 'better-sqlite3'),
    stdio: 'inherit',
    shell: true,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(work, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), target);
  fs.rmSync(work, { recursive: true, force: true });
}

const bin = electronBinary();
if (!bin) {
  console.log("Electron n'est pas installé sur cette machine : l'application s'ouvre dans le navigateur (serveur web local).");
  const r = spawnSync('npm', ['run', '--silent', 'web', '--', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
}
ensureElectronSqlite();
execSync('npx electron-vite build', { cwd: root, stdio: 'inherit' });
const r = spawnSync(bin, ['.'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 0);
