// Crash trials: a worker process (worker.ts) attaches files or imports a list of professionals,
// and is killed with SIGKILL at a random moment. After each kill the database must pass
// PRAGMA integrity_check, hold all or none of the import, every pièce row must have its file
// (with the right SHA-256), and after the start-up check the pièces store holds no orphan and
// no temporary file.
//
// `npm run test:crash [-- --trials 100 --rows 20000 --files 30 --concurrency 2]`
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { runCheck } from '../../electron/services/sauvegarde/check';

const root = path.resolve(__dirname, '../..');
export type Mode = 'attach' | 'import';

export interface TrialResult {
  mode: Mode;
  /** When the kill landed: before the workload started, during it, or after it committed. */
  phase: 'avant' | 'pendant' | 'après';
  killAfterMs: number;
  intact: boolean;
  problems: string[];
  /** What the database held after the kill: imported rows, or attached pièces. */
  held: number;
  orphansMoved: number;
  tmpRemoved: number;
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
export async function verify(mode: Mode, dir: string, n: number): Promise<{ problems: string[]; held: number; orphansMoved: number; tmpRemoved: number }> {
  const problems: string[] = [];
  const file = path.join(dir, 'fne-formations.sqlite');
  let held = 0;
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
  return { problems, held, orphansMoved, tmpRemoved };
}

export interface CrashOptions {
  trials: number;
  rows: number;
  files: number;
  concurrency: number;
  modes?: Mode[];
  log?: (line: string) => void;
  seed?: number;
}

export async function runCrashTrials(opts: CrashOptions): Promise<{ results: TrialResult[]; calibration: Record<Mode, number> }> {
  const modes = opts.modes ?? ['import', 'attach'];
  const size = (m: Mode) => (m === 'import' ? opts.rows : opts.files);
  // Calibration: how long each workload takes here when not killed (after READY).
  const calibration = {} as Record<Mode, number>;
  for (const m of modes) {
    // Twice: the first run also warms the transpiler's cache; the second is what trials see.
    for (let k = 0; k < 2; k++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-crash-cal-'));
      const r = await runWorker(m, dir, size(m), null);
      if (!r.done) throw new Error(`calibration ${m} a échoué : ${r.stderr}`);
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
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-crash-'));
      // Kill uniformly over the workload, and past its end (timings vary under load) so "after commit" is also seen.
      const killAfterMs = Math.floor(rnd() * calibration[mode] * 1.3);
      const r = await runWorker(mode, dir, size(mode), killAfterMs);
      const phase = !r.ready ? 'avant' : r.done ? 'après' : 'pendant';
      const v = await verify(mode, dir, size(mode));
      if (r.signal !== 'SIGKILL' && !r.done) v.problems.push(`le processus s'est arrêté seul (${r.code}) : ${r.stderr.slice(0, 300)}`);
      const res: TrialResult = { mode, phase, killAfterMs, intact: v.problems.length === 0, problems: v.problems, held: v.held, orphansMoved: v.orphansMoved, tmpRemoved: v.tmpRemoved };
      results.push(res);
      opts.log?.(
        `essai ${String(i + 1).padStart(3)} ${mode.padEnd(6)} tué à ${String(killAfterMs).padStart(5)} ms (${phase}) : ${res.intact ? 'intact' : 'ÉCHEC ' + res.problems.join(' ; ')} — contenu ${res.held}, orphelins rangés ${res.orphansMoved}, temporaires ${res.tmpRemoved}`,
      );
      if (res.intact) fs.rmSync(dir, { recursive: true, force: true });
      else opts.log?.(`  dossier gardé pour examen : ${dir}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return { results, calibration };
}

export function summarise(results: TrialResult[]): string {
  const intact = results.filter((r) => r.intact).length;
  const by = (m: Mode, p: TrialResult['phase']) => results.filter((r) => r.mode === m && r.phase === p).length;
  const lines = [`${intact}/${results.length} essais intacts`];
  for (const m of ['import', 'attach'] as Mode[]) {
    const n = results.filter((r) => r.mode === m).length;
    if (n === 0) continue;
    const all = results.filter((r) => r.mode === m && r.held > 0).length;
    lines.push(`  ${m} : ${n} essais — tué avant le travail ${by(m, 'avant')}, pendant ${by(m, 'pendant')}, après la validation ${by(m, 'après')} ; base avec contenu ${all}, vide ${n - all}`);
  }
  const orphans = results.reduce((s, r) => s + r.orphansMoved, 0);
  const tmps = results.reduce((s, r) => s + r.tmpRemoved, 0);
  lines.push(`  fichiers sans ligne rangés par la vérification : ${orphans} ; temporaires supprimés : ${tmps}`);
  return lines.join('\n');
}

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const opts: CrashOptions = { trials: arg('trials', 100), rows: arg('rows', 20000), files: arg('files', 30), concurrency: arg('concurrency', 2), log: (l) => console.log(l) };
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
