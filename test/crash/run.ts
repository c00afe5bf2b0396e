// Crash trials: a worker process (worker.ts) attaches files, imports a list of professionals, or
// writes the end-of-convention dossier, and is killed with SIGKILL at a random moment. After each
// kill the database must pass PRAGMA integrity_check, hold all or none of the import, every pièce
// row must have its file (with the right SHA-256), and after the start-up check the pièces store
// holds no orphan and no temporary file. For the dossier: the database is unchanged, the output
// folder holds no partial ZIP or folder (a ZIP or folder under its final name is complete and
// matches its manifest; only hidden temporaries may remain) and the next run completes beside
// them, removing nothing.
//
// `npm run test:crash [-- --trials 100 --rows 20000 --files 30 --dossier-pieces 20 --concurrency 2]`
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { TEMP_PREFIX, writeDossier } from '../../electron/services/justification/archive';
import { attachPiece } from '../../electron/services/pieces/service';
import { runCheck } from '../../electron/services/sauvegarde/check';
import { buildDemo, DEMO_NOW } from '../../scripts/demo';
import { readZip } from '../helpers/zip';

const root = path.resolve(__dirname, '../..');
export type Mode = 'attach' | 'import' | 'dossier';
export const MODES: Mode[] = ['import', 'attach', 'dossier'];
/** Where the dossier worker writes (inside the trial's data folder). */
export const DOSSIER_OUT = 'sortie';

export interface TrialResult {
  mode: Mode;
  /** When the kill landed: before the workload started, during it, or after it committed. */
  phase: 'avant' | 'pendant' | 'après';
  killAfterMs: number;
  intact: boolean;
  problems: string[];
  /** What the database held after the kill: imported rows, attached pièces, or finished dossier ZIPs. */
  held: number;
  orphansMoved: number;
  tmpRemoved: number;
  /** Dossier killed between its two final renames: complete folder, ZIP not yet in place. */
  dossierFolderWithoutZip?: boolean;
}

interface RunOutcome {
  ready: boolean;
  done: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From READY (the workload's start) to the exit. */
  ms: number;
}

/** A fixed digest of every table's rows (order-free), to prove a run changed nothing. */
export function dbDigest(file: string): string {
  const d = new Database(file, { readonly: true });
  try {
    const h = crypto.createHash('sha256');
    const tables = (d.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    for (const t of tables) {
      const rows = (d.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v))).sort();
      h.update(`${t}\n${rows.join('\n')}\n`);
    }
    return h.digest('hex');
  } finally {
    d.close();
  }
}

/**
 * The dossier trials' starting point, built once: the demo convention (every kind of record and
 * pièce) plus `pieces` large random PDFs, so the run has real work to be killed in.
 */
export async function prepareDossierTemplate(pieces: number, pieceBytes: number): Promise<{ dir: string; digest: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-crash-modele-'));
  const file = path.join(dir, 'fne-formations.sqlite');
  const ctx = openApp({ dataDir: dir, dbFile: file, actor: 'preparation', now: () => new Date(DEMO_NOW) });
  try {
    const d = await buildDemo(ctx);
    for (let i = 0; i < pieces; i++) {
      const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(pieceBytes)]);
      await attachPiece(ctx, { ownerType: 'convention', ownerId: d.conventionId, role: 'autre', fileName: `annexe-${i}.pdf`, bytes });
    }
  } finally {
    await ctx.store.close();
  }
  return { dir, digest: dbDigest(file) };
}

function sha256(b: Buffer): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

function parseManifest(text: string): Map<string, string> {
  const lines = text.replace(/^\ufeff/, '').trim().split('\r\n');
  if (lines[0] !== 'chemin;sha256;taille_octets;prouve') throw new Error('manifeste illisible');
  // Our paths hold no ';' (safe names), so a plain split is exact for the first two columns.
  return new Map(lines.slice(1).map((l) => [l.split(';')[0], l.split(';')[1]] as [string, string]));
}

/** The dossier output folder after a kill: only complete, self-consistent results under final names. */
export async function verifyDossierOutput(out: string): Promise<{ problems: string[]; zips: number; folders: number; temporaries: number }> {
  const problems: string[] = [];
  let zips = 0;
  let folders = 0;
  let temporaries = 0;
  if (!fs.existsSync(out)) return { problems, zips, folders, temporaries };
  for (const name of fs.readdirSync(out)) {
    const p = path.join(out, name);
    if (name.startsWith(TEMP_PREFIX)) {
      temporaries++;
      continue;
    }
    if (name.endsWith('.zip')) {
      zips++;
      try {
        const entries = await readZip(p);
        const manifest = entries.find((e) => e.name === 'manifeste.csv');
        if (!manifest) {
          problems.push(`${name} : pas de manifeste`);
          continue;
        }
        const m = parseManifest(manifest.bytes.toString('utf8'));
        const names = entries.map((e) => e.name).filter((n) => n !== 'manifeste.csv');
        if (names.length !== m.size || names.some((n) => !m.has(n))) problems.push(`${name} : entrées différentes du manifeste`);
        for (const e of entries) if (e.name !== 'manifeste.csv' && m.get(e.name) !== sha256(e.bytes)) problems.push(`${name} : ${e.name} ne correspond pas au manifeste`);
      } catch (e) {
        problems.push(`ZIP partiel ou illisible : ${name} (${e instanceof Error ? e.message : String(e)})`);
      }
    } else if (fs.statSync(p).isDirectory()) {
      folders++;
      const mf = path.join(p, 'manifeste.csv');
      if (!fs.existsSync(mf)) {
        problems.push(`dossier partiel : ${name} sans manifeste`);
        continue;
      }
      const m = parseManifest(fs.readFileSync(mf, 'utf8'));
      const files = filesUnder(p).map((f) => path.relative(p, f).split(path.sep).join('/')).filter((f) => f !== 'manifeste.csv');
      if (files.length !== m.size || files.some((f) => !m.has(f))) problems.push(`dossier partiel : ${name} (fichiers différents du manifeste)`);
      for (const f of files) if (m.has(f) && m.get(f) !== sha256(fs.readFileSync(path.join(p, ...f.split('/'))))) problems.push(`dossier ${name} : ${f} ne correspond pas au manifeste`);
    } else problems.push(`fichier inattendu dans la sortie : ${name}`);
  }
  // The next run completes beside whatever the killed one left and touches none of it (the
  // dossier never deletes: not a finished dossier, not the killed run's temporaries).
  const before = fs.readdirSync(out).sort();
  const next = await writeDossier({ outDir: out, baseName: 'suivant', entries: [{ path: 'a.txt', source: { bytes: Buffer.from('a') }, proves: 'a' }], mtime: new Date(0), inlineHelper: true });
  const after = fs.readdirSync(out).sort();
  const expected = [...before, path.basename(next.folderPath), path.basename(next.zipPath)].sort();
  if (JSON.stringify(after) !== JSON.stringify(expected)) problems.push(`après une nouvelle génération : ${after.join(', ')} (attendu : ${expected.join(', ')})`);
  fs.rmSync(next.zipPath);
  fs.rmSync(next.folderPath, { recursive: true });
  return { problems, zips, folders, temporaries };
}

function runWorker(mode: Mode, dir: string, n: number, killAfterMs: number | null): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'crash', 'worker.ts'), mode, dir, String(n)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    let ready = false;
    let tReady = t0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      out += String(d);
      if (!ready && out.includes('READY')) {
        ready = true;
        tReady = Date.now();
        if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ ready, done: out.includes('DONE'), code, signal, stderr, ms: Date.now() - tReady });
    });
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Checks one killed data folder; returns the problems found (empty = intact). */
export async function verify(
  mode: Mode,
  dir: string,
  n: number,
  expectedDigest?: string,
): Promise<{ problems: string[]; held: number; orphansMoved: number; tmpRemoved: number; dossierTemporaries: number; dossierFolders: number }> {
  const problems: string[] = [];
  const file = path.join(dir, 'fne-formations.sqlite');
  let held = 0;
  let dossierTemporaries = 0;
  let dossierFolders = 0;
  if (mode === 'dossier') {
    const o = await verifyDossierOutput(path.join(dir, DOSSIER_OUT));
    problems.push(...o.problems);
    held = o.zips;
    dossierTemporaries = o.temporaries;
    dossierFolders = o.folders;
    if (!fs.existsSync(file)) problems.push('base disparue');
  }
  if (fs.existsSync(file)) {
    const d = new Database(file);
    try {
      const ic = d.pragma('integrity_check', { simple: true });
      if (ic !== 'ok') problems.push(`integrity_check : ${String(ic)}`);
      const tables = new Set((d.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name));
      if (mode === 'import' && tables.has('people')) {
        const people = (d.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n;
        const imports = (d.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n;
        const audited = (d.prepare("SELECT count(*) AS n FROM audit_log WHERE batch_id LIKE 'import:%'").get() as { n: number }).n;
        const sources = (d.prepare("SELECT count(*) AS n FROM pieces WHERE owner_type = 'import'").get() as { n: number }).n;
        held = people;
        const all = people === n && imports === 1 && audited > n && sources === 1;
        const none = people === 0 && imports === 0 && audited === 0 && sources === 0;
        if (!all && !none) problems.push(`import partiel : ${people} personnes, ${imports} import(s), ${audited} lignes de journal, ${sources} fichier source`);
      }
      if (tables.has('pieces')) {
        const rows = d.prepare('SELECT id, sha256, size FROM pieces').all() as { id: number; sha256: string; size: number }[];
        if (mode === 'attach') held = rows.length;
        const attachAudits = (d.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'attach'").get() as { n: number }).n;
        if (mode === 'attach' && attachAudits !== rows.length) problems.push(`${rows.length} pièces mais ${attachAudits} lignes de journal`);
        for (const r of rows) {
          const f = path.join(dir, 'pieces', r.sha256.slice(0, 2), r.sha256);
          if (!fs.existsSync(f)) problems.push(`pièce ${r.id} sans fichier`);
          else if (crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex') !== r.sha256) problems.push(`pièce ${r.id} : contenu différent de son empreinte`);
        }
      }
    } finally {
      d.close();
    }
    // The dossier only reads the base: it must come out exactly as it went in.
    if (mode === 'dossier' && expectedDigest && dbDigest(file) !== expectedDigest) problems.push('la base a changé pendant le dossier');
  }
  // The start-up check the app runs next time: temporaries removed, orphans moved aside.
  const ctx = openApp({ dataDir: dir, dbFile: file, actor: 'verification' });
  let orphansMoved = 0;
  let tmpRemoved = 0;
  try {
    const report = await runCheck(ctx, { minAgeMs: 0 });
    orphansMoved = report.orphansMoved;
    tmpRemoved = report.tmpRemoved;
    if (!report.ok) problems.push(`vérification : ${report.messages.join(' | ')}`);
    const referenced = new Set((ctx.store.sqlite.prepare('SELECT sha256 FROM blobs').all() as { sha256: string }[]).map((r) => r.sha256));
    for (const f of filesUnder(path.join(dir, 'pieces'))) {
      if (f.endsWith('.tmp')) problems.push(`fichier temporaire restant : ${path.basename(f)}`);
      else if (!referenced.has(path.basename(f))) problems.push(`fichier orphelin : ${path.basename(f)}`);
    }
  } finally {
    await ctx.store.close();
  }
  return { problems, held, orphansMoved, tmpRemoved, dossierTemporaries, dossierFolders };
}

export interface CrashOptions {
  trials: number;
  rows: number;
  files: number;
  /** Large pièces added to the demo convention for the dossier trials. */
  dossierPieces?: number;
  dossierPieceBytes?: number;
  concurrency: number;
  modes?: Mode[];
  log?: (line: string) => void;
  seed?: number;
}

export async function runCrashTrials(opts: CrashOptions): Promise<{ results: TrialResult[]; calibration: Record<Mode, number> }> {
  const modes = opts.modes ?? MODES;
  const dossierPieces = opts.dossierPieces ?? 20;
  const size = (m: Mode) => (m === 'import' ? opts.rows : m === 'attach' ? opts.files : dossierPieces);
  const template = modes.includes('dossier') ? await prepareDossierTemplate(dossierPieces, opts.dossierPieceBytes ?? 4 * 1024 * 1024) : null;
  /** A fresh data folder for one run: empty, or a copy of the dossier template. */
  const freshDir = (m: Mode, prefix: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    if (m === 'dossier') fs.cpSync(template!.dir, dir, { recursive: true });
    return dir;
  };
  // Calibration: how long each workload takes here when not killed (after READY).
  const calibration = {} as Record<Mode, number>;
  for (const m of modes) {
    // Twice: the first run also warms the transpiler's cache; the second is what trials see.
    for (let k = 0; k < 2; k++) {
      const dir = freshDir(m, 'fne-crash-cal-');
      const r = await runWorker(m, dir, size(m), null);
      if (!r.done) throw new Error(`calibration ${m} a échoué : ${r.stderr}`);
      if (m === 'dossier') {
        // The harness must see a finished dossier as such, or it proves nothing.
        const v = await verify(m, dir, size(m), template!.digest);
        if (v.held !== 1 || v.problems.length > 0) throw new Error(`calibration dossier : ${v.held} ZIP, ${v.problems.join(' ; ')}`);
      }
      calibration[m] = r.ms;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    opts.log?.(`calibration ${m} (${size(m)}) : ${calibration[m]} ms`);
  }
  let seed = opts.seed ?? Date.now();
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
  const results: TrialResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < opts.trials) {
      const i = next++;
      const mode = modes[i % modes.length];
      const dir = freshDir(mode, 'fne-crash-');
      // Kill uniformly over the workload, and past its end (timings vary under load) so "after commit" is also seen.
      const killAfterMs = Math.floor(rnd() * calibration[mode] * 1.3);
      const r = await runWorker(mode, dir, size(mode), killAfterMs);
      const phase = !r.ready ? 'avant' : r.done ? 'après' : 'pendant';
      const v = await verify(mode, dir, size(mode), template?.digest);
      if (r.signal !== 'SIGKILL' && !r.done) v.problems.push(`le processus s'est arrêté seul (${r.code}) : ${r.stderr.slice(0, 300)}`);
      const res: TrialResult = {
        mode,
        phase,
        killAfterMs,
        intact: v.problems.length === 0,
        problems: v.problems,
        held: v.held,
        orphansMoved: v.orphansMoved,
        tmpRemoved: v.tmpRemoved + v.dossierTemporaries,
        ...(mode === 'dossier' ? { dossierFolderWithoutZip: v.dossierFolders > v.held } : {}),
      };
      results.push(res);
      opts.log?.(
        `essai ${String(i + 1).padStart(3)} ${mode.padEnd(6)} tué à ${String(killAfterMs).padStart(5)} ms (${phase}) : ${res.intact ? 'intact' : 'ÉCHEC ' + res.problems.join(' ; ')} — contenu ${res.held}, orphelins rangés ${res.orphansMoved}, temporaires ${res.tmpRemoved}`,
      );
      if (res.intact) fs.rmSync(dir, { recursive: true, force: true });
      else opts.log?.(`  dossier gardé pour examen : ${dir}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  } finally {
    if (template) fs.rmSync(template.dir, { recursive: true, force: true });
  }
  return { results, calibration };
}

export function summarise(results: TrialResult[]): string {
  const intact = results.filter((r) => r.intact).length;
  const by = (m: Mode, p: TrialResult['phase']) => results.filter((r) => r.mode === m && r.phase === p).length;
  const lines = [`${intact}/${results.length} essais intacts`];
  for (const m of MODES) {
    const n = results.filter((r) => r.mode === m).length;
    if (n === 0) continue;
    const ok = results.filter((r) => r.mode === m && r.intact).length;
    const all = results.filter((r) => r.mode === m && r.held > 0).length;
    const what = m === 'dossier' ? `ZIP terminé ${all}, aucun ZIP ${n - all} (dont dossier complet sans ZIP encore renommé : ${results.filter((r) => r.mode === m && r.dossierFolderWithoutZip).length})` : `base avec contenu ${all}, vide ${n - all}`;
    lines.push(`  ${m} : ${ok}/${n} intacts — tué avant le travail ${by(m, 'avant')}, pendant ${by(m, 'pendant')}, après la validation ${by(m, 'après')} ; ${what}`);
  }
  const orphans = results.reduce((s, r) => s + r.orphansMoved, 0);
  const tmps = results.reduce((s, r) => s + r.tmpRemoved, 0);
  lines.push(`  fichiers sans ligne rangés par la vérification : ${orphans} ; temporaires trouvés (pièces : supprimés ; dossier : laissés) : ${tmps}`);
  return lines.join('\n');
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const opts: CrashOptions = {
    trials: arg('trials', 100),
    rows: arg('rows', 20000),
    files: arg('files', 30),
    dossierPieces: arg('dossier-pieces', 20),
    concurrency: arg('concurrency', 2),
    log: (l) => console.log(l),
  };
  const t0 = Date.now();
  runCrashTrials(opts)
    .then(({ results }) => {
      console.log(summarise(results));
      console.log(`durée : ${Math.round((Date.now() - t0) / 1000)} s`);
      process.exitCode = results.every((r) => r.intact) ? 0 : 1;
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
