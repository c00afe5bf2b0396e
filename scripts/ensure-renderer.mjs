// `npm run web` serves the built renderer: build it first when it is missing or older than its sources.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'out', 'renderer', 'index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

const stale = !fs.existsSync(built) || ['renderer', 'shared'].some((d) => newest(path.join(root, d)) > fs.statSync(built).mtimeMs);
if (stale) {
  console.log("Construction de l'interface (electron-vite build)…");
  execSync('npx electron-vite build', { cwd: root, stdio: 'inherit' });
}
