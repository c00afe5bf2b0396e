// Guards of the architecture: the services run under plain Node, so nothing under
// electron/services (nor shared/, nor the hosts other than Electron) may import electron.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}
const importsElectron = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]electron(?:\/[^'"]*)?['"]/;

describe('architecture', () => {
  it.each(['electron/services', 'electron/db', 'electron/web', 'electron/cli', 'shared', 'renderer/src'])('no file under %s imports electron', (dir) => {
    const offenders = sources(dir).filter((f) => importsElectron.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('the guard itself recognises the ways of importing electron', () => {
    for (const s of ["import { app } from 'electron'", 'const e = require("electron")', "await import('electron')", "import 'electron/main'"]) {
      expect(importsElectron.test(s)).toBe(true);
    }
    expect(importsElectron.test("import x from 'electron-vite'")).toBe(false);
  });

  it('the renderer talks to the services only through api.ts (no Node module)', () => {
    const nodeImport = /from\s+['"](node:|better-sqlite3|kysely)/;
    const offenders = sources('renderer/src').filter((f) => nodeImport.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
