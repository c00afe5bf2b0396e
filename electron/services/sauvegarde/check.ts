// The start-up check: is the database sound (PRAGMA quick_check, foreign keys), does every
// pièce have its file, are there files nobody refers to? It repairs what is safe to repair and
// reports the rest in French:
// - leftover temporary files of an interrupted write (".…tmp") are removed: by construction they
//   were never referenced;
// - files in the store that no row refers to (an attachment interrupted between the file and
//   its row, or files of a later state after a restore) are moved to pieces-orphelines/, not
//   deleted: a later restore may need them, and it looks there;
// - a pièce whose file is missing is brought back from the backup folder's copy or from
//   pieces-orphelines/ when the content matches its SHA-256; otherwise it is listed.
import fs from 'node:fs';
import path from 'node:path';
import { copyFileDurably } from '../common/durable-fs';
import type { ServiceContext } from '../context';
import { logger } from '../logging';
import { blobPath, piecesDir, sha256OfFile } from '../pieces/store';
import { backupDir } from './settings';
import { mkdirPrivate } from '../common/private-fs';
import type { Cols } from '../../db/rows';

export interface MissingPiece {
  pieceId: number;
  sha256: string;
  originalName: string;
  ownerType: string;
  ownerId: number;
}

export interface CheckReport {
  checkedAt: string;
  /** true when nothing needs the officer's attention. */
  ok: boolean;
  database: { ok: boolean; problems: string[] };
  missingPieces: MissingPiece[];
  recoveredPieces: number;
  orphansMoved: number;
  tmpRemoved: number;
  /** The database could not be opened at start-up and was set aside (see openAppSafely). */
  setAside: { file: string; reason: string } | null;
  /** French sentences for the screen, most serious first. */
  messages: string[];
}

export function quarantineDir(dataDir: string): string {
  return path.join(dataDir, 'pieces-orphelines');
}

const SHA_RE = /^[0-9a-f]{64}$/;

/** Files of the store: content files by SHA-256, and leftover temporaries. */
function scanStore(dataDir: string): { blobs: Map<string, string>; tmp: string[] } {
  const blobs = new Map<string, string>();
  const tmp: string[] = [];
  const root = piecesDir(dataDir);
  let subdirs: string[];
  try {
    subdirs = fs.readdirSync(root);
  } catch {
    return { blobs, tmp };
  }
  for (const sub of subdirs) {
    const dir = path.join(root, sub);
    if (!/^[0-9a-f]{2}$/.test(sub) || !fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (name.endsWith('.tmp')) tmp.push(file);
      else if (SHA_RE.test(name) && name.startsWith(sub)) blobs.set(name, file);
    }
  }
  return { blobs, tmp };
}

function olderThan(file: string, ms: number, now: number): boolean {
  if (ms <= 0) return true;
  try {
    return now - fs.statSync(file).mtimeMs >= ms;
  } catch {
    return false;
  }
}

/** Copies a candidate file into the store if its content is the expected SHA-256. */
async function recoverBlob(dataDir: string, sha256: string, candidates: string[]): Promise<boolean> {
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    try {
      if ((await sha256OfFile(c)) !== sha256) continue;
      const dest = blobPath(dataDir, sha256);
      mkdirPrivate(path.dirname(dest), { appOwned: true });
      copyFileDurably(c, dest, `${path.join(path.dirname(dest), '.' + sha256)}.${process.pid}.recup.tmp`);
      return true;
    } catch (e) {
      logger.warn(`Récupération de la pièce ${sha256.slice(0, 12)}… depuis une copie impossible`, e);
    }
  }
  return false;
}

export interface CheckOptions {
  /** Orphan and temporary files younger than this are left alone (another process may be writing). */
  minAgeMs?: number;
  /** Repair what is safe (remove temporaries, move orphans, recover files). Default true. */
  repair?: boolean;
  setAside?: CheckReport['setAside'];
}

export async function runCheck(ctx: ServiceContext, opts: CheckOptions = {}): Promise<CheckReport> {
  const minAge = opts.minAgeMs ?? 10 * 60 * 1000;
  const repair = opts.repair ?? true;
  const now = Date.now();
  const sqlite = ctx.store.sqlite;
  const messages: string[] = [];

  // 1. The database, page by page (quick_check: structure without index content), then links.
  const problems: string[] = [];
  try {
    const rows = sqlite.pragma('quick_check(20)') as Record<string, string>[];
    for (const r of rows) {
      for (const line of String(Object.values(r)[0]).split('\n')) {
        const v = line.replace(/^\*\*\* in database main \*\*\*$/, '').trim();
        if (v !== '' && v !== 'ok') problems.push(v);
      }
    }
    if (problems.length === 0) {
      const fk = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
      for (const f of fk.slice(0, 10)) problems.push(`lien rompu : ${f.table} (ligne ${f.rowid}) → ${f.parent}`);
      if (fk.length > 10) problems.push(`… et ${fk.length - 10} autres liens rompus`);
    }
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  if (problems.length > 0) {
    messages.push(
      `La base de données est endommagée (${problems.slice(0, 3).join(' ; ')}${problems.length > 3 ? ' ; …' : ''}). N'y saisissez plus rien : restaurez la dernière sauvegarde saine depuis l'écran « Sauvegardes ».`,
    );
  }

  // 2. The pièces store against the rows.
  let referenced = new Set<string>();
  let pieceRows: { id: number; sha256: string; original_name: string; owner_type: string; owner_id: number }[] = [];
  try {
    referenced = new Set((sqlite.prepare('SELECT sha256 FROM blobs').all() as Cols<'blobs', 'sha256'>[]).map((r) => r.sha256));
    pieceRows = sqlite.prepare('SELECT id, sha256, original_name, owner_type, owner_id FROM pieces ORDER BY id').all() as typeof pieceRows;
  } catch (e) {
    if (problems.length === 0) messages.push(`Les pièces jointes n'ont pas pu être vérifiées : ${e instanceof Error ? e.message : String(e)}.`);
  }
  const { blobs: present, tmp } = scanStore(ctx.dataDir);

  let tmpRemoved = 0;
  if (repair) {
    for (const t of tmp) {
      if (!olderThan(t, minAge, now)) continue;
      fs.rmSync(t, { force: true });
      tmpRemoved++;
    }
  }

  let orphansMoved = 0;
  const qdir = quarantineDir(ctx.dataDir);
  if (problems.length === 0) {
    // Only with a sound database: a damaged one may have lost rows, its "orphans" are not.
    for (const [sha, file] of present) {
      if (referenced.has(sha) || !repair || !olderThan(file, minAge, now)) continue;
      mkdirPrivate(qdir, { appOwned: true });
      const dest = path.join(qdir, sha);
      if (fs.existsSync(dest)) fs.rmSync(file, { force: true }); // same content already kept there
      else fs.renameSync(file, dest);
      present.delete(sha);
      orphansMoved++;
    }
  }

  const missing: MissingPiece[] = [];
  let recovered = 0;
  const bdir = backupDir(ctx.dataDir);
  const wanted = new Map<string, MissingPiece[]>();
  for (const p of pieceRows) {
    if (present.has(p.sha256)) continue;
    const list = wanted.get(p.sha256) ?? [];
    list.push({ pieceId: p.id, sha256: p.sha256, originalName: p.original_name, ownerType: p.owner_type, ownerId: p.owner_id });
    wanted.set(p.sha256, list);
  }
  for (const [sha, list] of wanted) {
    const ok =
      repair && SHA_RE.test(sha) && (await recoverBlob(ctx.dataDir, sha, [path.join(bdir, 'pieces', sha.slice(0, 2), sha), path.join(qdir, sha)]));
    if (ok) recovered++;
    else missing.push(...list);
  }
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((m) => `« ${m.originalName} »`).join(', ');
    messages.push(
      `${missing.length} pièce(s) jointe(s) n'ont plus leur fichier (${names}${missing.length > 5 ? ', …' : ''}). Rattachez-les de nouveau, ou restaurez le dossier « pieces » depuis une copie.`,
    );
  }
  if (opts.setAside) {
    messages.unshift(
      `La base de données n'a pas pu être ouverte (${opts.setAside.reason}). Elle a été mise de côté, sans rien effacer, dans « ${opts.setAside.file} », et une base vide a été ouverte. Restaurez la dernière sauvegarde depuis l'écran « Sauvegardes ».`,
    );
  }
  const info: string[] = [];
  if (recovered > 0) info.push(`${recovered} fichier(s) de pièces manquant(s) récupéré(s) depuis les copies.`);
  if (orphansMoved > 0) info.push(`${orphansMoved} fichier(s) sans pièce (ajout interrompu ou état plus récent qu'une restauration) rangé(s) dans « ${qdir} ».`);
  if (tmpRemoved > 0) info.push(`${tmpRemoved} fichier(s) temporaire(s) d'une écriture interrompue supprimé(s).`);

  const report: CheckReport = {
    checkedAt: ctx.now().toISOString(),
    ok: problems.length === 0 && missing.length === 0 && !opts.setAside,
    database: { ok: problems.length === 0, problems },
    missingPieces: missing,
    recoveredPieces: recovered,
    orphansMoved,
    tmpRemoved,
    setAside: opts.setAside ?? null,
    messages: [...messages, ...info],
  };
  // Counts only: the messages shown on screen name the pièces (often a trainee's name).
  const counts = `base ${problems.length === 0 ? 'saine' : `${problems.length} problème(s)`}, ${missing.length} pièce(s) manquante(s), ${recovered} retrouvée(s), ${orphansMoved} orpheline(s) mise(s) de côté, ${tmpRemoved} temporaire(s) supprimé(s)${opts.setAside ? ', base illisible mise de côté' : ''}`;
  if (!report.ok) logger.warn(`Vérification au démarrage : problèmes trouvés (${counts})`);
  else if (info.length) logger.info(`Vérification au démarrage : réparations (${counts})`);
  return report;
}

const lastReports = new WeakMap<ServiceContext, CheckReport>();

export function rememberReport(ctx: ServiceContext, report: CheckReport): void {
  lastReports.set(ctx, report);
}

export function lastReport(ctx: ServiceContext): CheckReport | undefined {
  return lastReports.get(ctx);
}
