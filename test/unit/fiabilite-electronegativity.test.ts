// `npm run lint:electron` really analyses our TS/TSX and really fails: a window built the unsafe
// way is caught (HIGH/MEDIUM), our own shell gives none, and nothing goes to the network.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installedElectronVersion, isBlocking, lintApp, lintFolder, ROOT } from '../../scripts/lint-electron.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-eng-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fixture(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

// TypeScript on purpose (types, generics, `satisfies`): the parser must read it, not skip it.
const UNSAFE_MAIN = `import { BrowserWindow } from 'electron';
interface Options { width: number }
export function open<T extends Options>(o: T): BrowserWindow {
  const win = new BrowserWindow({ width: o.width, webPreferences: { nodeIntegration: true, contextIsolation: false } });
  void win.loadURL('http://example.com/app');
  return win;
}
export const size = { width: 800 } satisfies Options;
`;

describe('Electronegativity (npm run lint:electron)', () => {
  it('finds the unsafe window in a TypeScript fixture: HIGH and MEDIUM findings', async () => {
    const dir = fixture('unsafe', { 'main.ts': UNSAFE_MAIN });
    const r = await lintFolder(dir);
    expect(r.parseErrors).toEqual([]);
    const ids = (sev: string) => r.findings.filter((f) => f.file === 'main.ts' && f.severity === sev).map((f) => f.id);
    expect(ids('HIGH')).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(ids('MEDIUM')).toEqual(expect.arrayContaining(['SANDBOX_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK']));
    expect(r.findings.find((f) => f.id === 'CONTEXT_ISOLATION_JS_CHECK')?.line).toBe(4);
  });

  it('reads TSX too (a renderer component with an unsafe <webview>)', async () => {
    const dir = fixture('tsx', {
      'View.tsx': `export function View({ src }: { src: string }): JSX.Element {\n  return <div><webview src={src} nodeintegration="true" /></div>;\n}\n`,
      'index.html': `<!doctype html><html><body><webview src="https://example.com" nodeintegration></webview></body></html>\n`,
    });
    const r = await lintFolder(dir);
    expect(r.parseErrors).toEqual([]);
    expect(r.files).toEqual(['View.tsx', 'index.html']);
    expect(r.findings.some((f) => f.file === 'index.html' && f.id === 'NODE_INTEGRATION_HTML_CHECK')).toBe(true);
  });

  it('the CLI exits 1 on the unsafe fixture, quickly, without network', () => {
    const dir = fixture('unsafe-cli', { 'main.ts': UNSAFE_MAIN });
    const started = Date.now();
    const res = spawnSync(process.execPath, ['scripts/lint-electron.mjs', dir], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/ÉCHEC HIGH\s+FIRM\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(res.stdout).toMatch(/dont [1-9]\d* bloquant/);
    // The version is ours, not the "v0.1.0" guess; no release list / translations fetched.
    expect(res.stdout).toContain(`Electron ${installedElectronVersion()}`);
    expect(res.stdout + res.stderr).not.toMatch(/v0\.1\.0|Fetching Electron|No connectivity|translations/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('our main process, preload and renderer: every file parsed, 0 HIGH/MEDIUM', async () => {
    const r = await lintApp();
    expect(r.files).toEqual(expect.arrayContaining(['electron/main/index.ts', 'electron/main/security.ts', 'electron/preload/index.ts', 'renderer/index.html', 'renderer/src/App.tsx', 'renderer/src/main.tsx']));
    expect(r.parseErrors).toEqual([]);
    expect(r.findings.filter(isBlocking)).toEqual([]);
    // Reviewed exceptions stay few and each names a check on its own line.
    expect(r.reviewed.map((x) => x.text.split(/\s+/)[0]).sort()).toEqual(['OPEN_EXTERNAL_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'PRELOAD_JS_CHECK']);
  });

  it('the reviewed exceptions hide nothing else: without them the same findings come back', async () => {
    const dir = path.join(tmp, 'app-without-exceptions');
    for (const rel of ['electron/main', 'electron/preload', 'renderer/index.html', 'renderer/src', 'package.json']) {
      fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
    }
    const main = path.join(dir, 'electron/main/index.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace(/\/\/ eng-disable .*$/gm, ''));
    const r = await lintFolder(dir);
    expect(r.reviewed).toEqual([]);
    expect(r.findings.filter(isBlocking).map((f) => f.id).sort()).toEqual(['OPEN_EXTERNAL_JS_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'PRELOAD_JS_CHECK']);
  });
});
