// `npm run lint:electron`: Electronegativity (Doyensec) over what runs in Electron — the main
// process, the preload and the renderer (TS/TSX/HTML) — failing on any HIGH or MEDIUM finding.
//
// - One analysis over a staged copy of the three folders (plus package.json), not one per folder:
//   Electronegativity's global checks (navigation limits, permission handler, CSP) look across
//   files, so the main process must be seen together with the renderer.
// - Offline and fast: Electronegativity fetches translations and Electron's release list with
//   `got`; here `got` is replaced by a function that fails at once, and the release check
//   (AvailableSecurityFixesGlobalCheck — "a newer Electron exists", which npm audit/updates cover)
//   is not run. The Electron version is the one installed (node_modules/electron), given to the
//   checks explicitly so their defaults match our Electron instead of "v0.1.0".
// - Electronegativity parses TypeScript with @typescript-eslint/typescript-estree, which needs the
//   TypeScript 5 JavaScript API; the project compiles with TypeScript 7 (no such API). So that
//   parser alone is pointed at a TypeScript 5 kept for it ("typescript-for-electronegativity").
// - A finding reviewed by hand is silenced in the code, on its line, with Electronegativity's own
//   `// eng-disable CHECK_ID` comment and the reason; every such comment is printed by this script
//   so none is hidden.
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** What is analysed (relative to the repository root). */
export const APP_INPUTS = ['electron/main', 'electron/preload', 'renderer/index.html', 'renderer/src', 'package.json'];
/** Network-only check (Electron release list from GitHub). */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const require = Module.createRequire(import.meta.url);
let runner;

function loadElectronegativity() {
  if (runner) return runner;
  const pkgDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
  // No network: every `got` call made by Electronegativity fails immediately.
  const gotPath = require.resolve('got', { paths: [path.join(pkgDir, 'dist')] });
  if (!require.cache[gotPath]) {
    const offline = () => Promise.reject(new Error('lint:electron fonctionne hors ligne'));
    offline.head = offline;
    offline.default = offline;
    const stub = new Module(gotPath);
    stub.filename = gotPath;
    stub.loaded = true;
    stub.exports = offline;
    require.cache[gotPath] = stub;
  }
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'typescript' && parent?.filename?.includes(`${path.sep}@typescript-eslint${path.sep}`)) {
      return originalResolve.call(this, 'typescript-for-electronegativity', parent, ...rest);
    }
    return originalResolve.call(this, request, parent, ...rest);
  };
  const mod = require('@doyensec/electronegativity');
  runner = mod.default ?? mod;
  return runner;
}

export function installedElectronVersion() {
  return require('electron/package.json').version;
}

/**
 * Runs Electronegativity over one folder and returns its findings (already filtered of the
 * `eng-disable` ones by the tool). `parseErrors` lists files it could not parse: a file it
 * cannot read is a file it did not check, so the caller treats them as failures.
 */
export async function analyse(folder, { electronVersion = installedElectronVersion() } = {}) {
  const run = loadElectronegativity();
  // Its i18n and logger print "could not retrieve translations" / version warnings: not ours.
  const log = console.log;
  console.log = (...args) => {
    if (typeof args[0] === 'string' && /translations/i.test(args[0])) return;
    log(...args);
  };
  try {
    const result = await run({
      input: folder,
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: EXCLUDED_CHECKS,
      severitySet: 'informational',
      confidenceSet: 'tentative',
    });
    const findings = result.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file.split(path.sep).join('/'),
      line: i.location?.line ?? 0,
      manualReview: !!i.manualReview,
      description: i.description,
      sample: i.sample ? String(i.sample).trim().slice(0, 120) : '',
    }));
    const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => ({ file: e.file, message: e.message }));
    return { findings, parseErrors, checks: result.globalChecks + result.atomicChecks };
  } finally {
    console.log = log;
  }
}

export function isBlocking(finding) {
  return finding.severity === 'HIGH' || finding.severity === 'MEDIUM';
}

/** Copies the app's Electron-facing files into one temporary folder (see header). */
export function stageApp(root = ROOT, inputs = APP_INPUTS) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-electronegativity-'));
  for (const rel of inputs) {
    fs.cpSync(path.join(root, rel), path.join(dir, rel), { recursive: true });
  }
  return dir;
}

/** Files staged that Electronegativity reads (same filter as its loader). */
export function analysedFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|jsx|ts|tsx|html|htm)$/.test(e.name) || e.name === 'package.json') out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every `eng-disable` comment in the staged files: reviewed exceptions, printed for all to see. */
export function reviewedExceptions(dir) {
  const out = [];
  for (const rel of analysedFiles(dir)) {
    const lines = fs.readFileSync(path.join(dir, rel), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /eng-disable\s+(.*)$/.exec(line);
      if (m) out.push({ file: rel, line: i + 1, text: m[1].replace(/-->\s*$/, '').trim() });
    });
  }
  return out;
}

export async function lintApp(root = ROOT) {
  const dir = stageApp(root);
  try {
    const files = analysedFiles(dir);
    const { findings, parseErrors, checks } = await analyse(dir);
    return { files, findings, parseErrors, checks, reviewed: reviewedExceptions(dir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Same analysis over any folder (`node scripts/lint-electron.mjs DOSSIER`), e.g. a test fixture. */
export async function lintFolder(folder) {
  const dir = path.resolve(folder);
  const { findings, parseErrors, checks } = await analyse(dir);
  return { files: analysedFiles(dir), findings, parseErrors, checks, reviewed: reviewedExceptions(dir) };
}

async function main() {
  const started = Date.now();
  const folder = process.argv[2];
  const { files, findings, parseErrors, checks, reviewed } = folder ? await lintFolder(folder) : await lintApp();
  console.log(`Electronegativity ${require('@doyensec/electronegativity/package.json').version} — Electron ${installedElectronVersion()} — ${checks} contrôles sur ${files.length} fichiers (${folder ?? APP_INPUTS.join(', ')})`);
  for (const f of findings) {
    console.log(`${isBlocking(f) ? 'ÉCHEC' : 'info '} ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} — ${f.file}:${f.line}${f.manualReview ? ' (à revoir)' : ''}${f.sample ? ` : ${f.sample}` : ''}`);
  }
  for (const e of parseErrors) console.log(`ÉCHEC illisible — ${e.file} : ${e.message}`);
  for (const r of reviewed) console.log(`revu  ${r.file}:${r.line} eng-disable ${r.text}`);
  const blocking = findings.filter(isBlocking).length + parseErrors.length;
  console.log(`Electronegativity : ${findings.length} constat(s), dont ${blocking} bloquant(s) (HIGH/MEDIUM ou fichier illisible) ; ${reviewed.length} exception(s) revue(s) ; ${Date.now() - started} ms.`);
  process.exit(blocking > 0 ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
