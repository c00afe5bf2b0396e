// The anonymisation of a convention's people once its retention date is past (rules.ts says
// who and what). One transaction for the base; then the file is rewritten (VACUUM, WAL
// truncated) so no old page keeps a name; then the imported source lists leave the pièces store
// and the backups taken before are deleted (a report says what could not be), and a fresh backup
// without personal data is taken. The report is kept with the convention.
import fs from 'node:fs';
import path from 'node:path';
import type { RetentionReport, RetentionStatus } from '../../../shared/ipc/channels/retention';
import type { AuditAction, AuditEntity } from '../../../shared/codes';
import { isoToday, withWriteLock, writeHandle, writeSync, type ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { AppError } from '../errors';
import { logger } from '../logging';
import { blobPath } from '../pieces/store';
import { nameKey } from '../recensement/normalise';
import { createBackup, listBackupsIn } from '../sauvegarde/backup';
import { backupDir, defaultBackupDir } from '../sauvegarde/settings';
import { ANONYMISED_NOM, ANONYMISED_TEXT, anonymisedPrenom, defaultRetentionUntil, goesWith, isPast, retentionUntil } from './rules';

interface RetentionRow {
  convention_id: number;
  retention_until: string | null;
  anonymised_at: string | null;
  report_json: string | null;
}

function retentionRow(ctx: ServiceContext, conventionId: number): RetentionRow | undefined {
  return ctx.store.sqlite.prepare('SELECT * FROM convention_retention WHERE convention_id = ?').get(conventionId) as RetentionRow | undefined;
}

/** Every convention's retention date in force, and whether it is past or already anonymised. */
function conventionsState(ctx: ServiceContext): { id: number; until: string; done: boolean }[] {
  const rows = ctx.store.sqlite
    .prepare('SELECT c.id, c.end_date, r.retention_until, r.anonymised_at FROM conventions c LEFT JOIN convention_retention r ON r.convention_id = c.id')
    .all() as { id: number; end_date: string; retention_until: string | null; anonymised_at: string | null }[];
  return rows.map((r) => ({ id: r.id, until: retentionUntil(r.end_date, r.retention_until), done: r.anonymised_at !== null }));
}

/** The people who go with convention `conventionId` (rules.ts, goesWith). */
export function peopleToAnonymise(ctx: ServiceContext, conventionId: number): number[] {
  const today = isoToday(ctx);
  const state = conventionsState(ctx);
  const pastOrDone = new Set(state.filter((c) => c.done || isPast(c.until, today) || c.id === conventionId).map((c) => c.id));
  const anyStillKept = state.some((c) => !pastOrDone.has(c.id));
  const regs = ctx.store.sqlite.prepare('SELECT DISTINCT r.person_id, s.convention_id FROM registrations r JOIN sessions s ON s.id = r.session_id').all() as {
    person_id: number;
    convention_id: number;
  }[];
  const byPerson = new Map<number, Set<number>>();
  for (const r of regs) byPerson.set(r.person_id, (byPerson.get(r.person_id) ?? new Set()).add(r.convention_id));
  const people = ctx.store.sqlite.prepare('SELECT id FROM people WHERE anonymised_at IS NULL ORDER BY id').all() as { id: number }[];
  return people.map((p) => p.id).filter((id) => goesWith(conventionId, byPerson.get(id) ?? new Set(), pastOrDone, anyStillKept));
}

function sourceFiles(ctx: ServiceContext): { id: number; sha256: string }[] {
  return ctx.store.sqlite.prepare("SELECT id, sha256 FROM pieces WHERE owner_type = 'import'").all() as { id: number; sha256: string }[];
}

function backupFolders(ctx: ServiceContext): string[] {
  return [...new Set([backupDir(ctx.dataDir), defaultBackupDir(ctx.dataDir)].map((d) => path.resolve(d)))];
}

export async function retentionStatus(ctx: ServiceContext, conventionId: number): Promise<RetentionStatus> {
  const c = await getConvention(ctx, conventionId);
  const row = retentionRow(ctx, conventionId);
  const until = retentionUntil(c.endDate, row?.retention_until ?? null);
  const anonymisedAt = row?.anonymised_at ?? null;
  const backups = backupFolders(ctx).reduce((n, d) => n + listBackupsIn(d).length, 0);
  return {
    conventionId,
    endDate: c.endDate,
    retentionUntil: until,
    defaultRetentionUntil: defaultRetentionUntil(c.endDate),
    isDefault: !row?.retention_until,
    due: anonymisedAt === null && isPast(until, isoToday(ctx)),
    anonymisedAt,
    preview: { people: peopleToAnonymise(ctx, conventionId).length, sourceFiles: sourceFiles(ctx).length, backups },
    lastReport: row?.report_json ? (JSON.parse(row.report_json) as RetentionReport) : null,
  };
}

export async function setRetention(ctx: ServiceContext, conventionId: number, until: string | null): Promise<RetentionStatus> {
  const c = await getConvention(ctx, conventionId);
  if (until !== null && until < c.endDate) {
    throw new AppError('validation', `La date de conservation (${until.split('-').reverse().join('/')}) ne peut pas précéder la fin de la convention (${c.endDate.split('-').reverse().join('/')}).`, {
      fields: { retentionUntil: 'Date antérieure à la fin de la convention.' },
    });
  }
  await writeSync(ctx, (sqlite) =>
    sqlite
      .prepare('INSERT INTO convention_retention (convention_id, retention_until) VALUES (?, ?) ON CONFLICT(convention_id) DO UPDATE SET retention_until = excluded.retention_until')
      .run(conventionId, until),
  );
  return retentionStatus(ctx, conventionId);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A replacer of every name and e-mail of `people` in a text (as typed or as JSON escapes it):
 * whole words only, accents and case ignored; names of fewer than 3 letters are left (too common).
 */
export function personalDataScrubber(people: { nom: string; prenom: string; email: string | null; phone: string | null }[]): (text: string) => string {
  const terms = new Set<string>();
  for (const p of people) {
    for (const t of [p.email, p.phone, `${p.prenom} ${p.nom}`, `${p.nom} ${p.prenom}`, p.nom, p.prenom]) {
      const v = (t ?? '').trim();
      if (v.length >= 3) {
        terms.add(v);
        terms.add(JSON.stringify(v).slice(1, -1));
      }
    }
  }
  if (terms.size === 0) return (t) => t;
  // Longest first, so « Anne Durand » goes before « Anne ».
  const list = [...terms].sort((a, b) => b.length - a.length).map(escapeRe);
  const chunks: RegExp[] = [];
  for (let i = 0; i < list.length; i += 500) chunks.push(new RegExp(`(?<![\\p{L}\\p{N}@.])(?:${list.slice(i, i + 500).join('|')})(?![\\p{L}\\p{N}])`, 'giu'));
  return (text) => chunks.reduce((t, re) => t.replace(re, 'anonymisé'), text);
}

/** Anonymises the convention's people (after its retention date). */
export async function anonymiseConvention(ctx: ServiceContext, conventionId: number): Promise<RetentionReport> {
  const status = await retentionStatus(ctx, conventionId);
  if (status.anonymisedAt) throw new AppError('conflict', `Les données personnelles de cette convention ont déjà été anonymisées le ${status.anonymisedAt.slice(0, 10).split('-').reverse().join('/')}.`);
  if (!status.due) {
    throw new AppError(
      'validation',
      `Les données personnelles de cette convention sont conservées jusqu’au ${status.retentionUntil.split('-').reverse().join('/')} : l’anonymisation n’est possible qu’après cette date (ou changez la date de conservation).`,
    );
  }
  const ids = peopleToAnonymise(ctx, conventionId);
  const at = ctx.now().toISOString();
  const sources = sourceFiles(ctx);
  let texts = 0;
  let history = 0;
  await writeSync(ctx, (db) => {
    const people = ids.map((id) => db.prepare('SELECT id, nom, prenom, email, phone FROM people WHERE id = ?').get(id) as { id: number; nom: string; prenom: string; email: string | null; phone: string | null });
    const scrub = personalDataScrubber(people);
    const idList = (xs: number[]) => (xs.length ? xs.join(',') : 'NULL');
    const personIds = idList(ids);
    const regIds = (db.prepare(`SELECT id FROM registrations WHERE person_id IN (${personIds})`).all() as { id: number }[]).map((r) => r.id);
    const followIds = (db.prepare(`SELECT id FROM ac_followups WHERE person_id IN (${personIds})`).all() as { id: number }[]).map((r) => r.id);
    const setPerson = db.prepare(
      `UPDATE people SET nom = ?, prenom = ?, name_key = ?, email = NULL, phone = NULL,
         comment = CASE WHEN comment IS NULL THEN NULL ELSE ? END,
         override_reason = CASE WHEN override_reason IS NULL THEN NULL ELSE ? END,
         anonymised_at = ?, updated_at = ? WHERE id = ?`,
    );
    for (const p of people) {
      const prenom = anonymisedPrenom(p.id);
      setPerson.run(ANONYMISED_NOM, prenom, nameKey(ANONYMISED_NOM, prenom), ANONYMISED_TEXT, ANONYMISED_TEXT, at, at, p.id);
    }
    const text = (table: string, cols: string[], where: string) => {
      for (const c of cols) texts += db.prepare(`UPDATE ${table} SET ${c} = ? WHERE ${c} IS NOT NULL AND ${where}`).run(ANONYMISED_TEXT).changes;
    };
    text('registrations', ['override_reason', 'cancel_reason', 'partial_reason'], `person_id IN (${personIds})`);
    text('ac_followups', ['stop_reason'], `person_id IN (${personIds})`);
    // Pièces keep their content (proof of spending) but not a name in their file name.
    const renamePiece = db.prepare("UPDATE pieces SET original_name = role || '-' || owner_type || '-' || owner_id || ? WHERE id = ?");
    for (const p of db.prepare(`SELECT id, original_name FROM pieces WHERE (owner_type = 'person' AND owner_id IN (${personIds})) OR (owner_type = 'registration' AND owner_id IN (${idList(regIds)}))`).all() as { id: number; original_name: string }[]) {
      renamePiece.run((/\.[a-z0-9]{1,8}$/i.exec(p.original_name) ?? [''])[0].toLowerCase(), p.id);
    }
    // History: what was recorded about them is cleared; elsewhere their names and e-mails are.
    const cleared = JSON.stringify({ anonymise: true });
    for (const [entity, list] of [
      ['person', ids],
      ['registration', regIds],
      ['ac_followup', followIds],
    ] as const) {
      history += db.prepare(`UPDATE audit_log SET before_json = CASE WHEN before_json IS NULL THEN NULL ELSE ? END, after_json = CASE WHEN after_json IS NULL THEN NULL ELSE ? END WHERE entity = ? AND entity_id IN (${idList([...list])})`).run(cleared, cleared, entity).changes;
    }
    const scrubColumn = (table: string, key: string, cols: string[]) => {
      const rows = db.prepare(`SELECT ${key} AS k, ${cols.join(', ')} FROM ${table}`).all() as Record<string, unknown>[];
      for (const r of rows) {
        const next = cols.map((c) => (typeof r[c] === 'string' ? scrub(r[c] as string) : r[c]));
        if (next.some((v, i) => v !== r[cols[i]!])) {
          db.prepare(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ?`).run(...next, r.k);
          if (table === 'audit_log') history++;
          else texts++;
        }
      }
    };
    scrubColumn('audit_log', 'id', ['before_json', 'after_json']);
    scrubColumn('import_issues', 'id', ['message']);
    scrubColumn('structures', 'id', ['note']);
    scrubColumn('sessions', 'id', ['note', 'cancel_reason']);
    // The imported source lists: copies of the files received, full of names.
    for (const s of sources) db.prepare('DELETE FROM pieces WHERE id = ?').run(s.id);
    db.prepare(`DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM pieces)`).run();
    db.prepare(
      'INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, NULL, ?)',
    ).run(at, ctx.actor, 'anonymisation' satisfies AuditAction, 'convention' satisfies AuditEntity, conventionId, JSON.stringify({ personnes: ids.length, fichiersSources: sources.length }));
    db.prepare('INSERT INTO convention_retention (convention_id, anonymised_at) VALUES (?, ?) ON CONFLICT(convention_id) DO UPDATE SET anonymised_at = excluded.anonymised_at').run(conventionId, at);
  });

  // No old page of the file keeps a name: rewrite it, empty the WAL (outside a transaction, no other writer).
  await withWriteLock(ctx, () => {
    const db = writeHandle(ctx);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  });
  const db = ctx.store.sqlite;

  // Files: the source lists' blobs (store and backup copies), then every backup taken before.
  const stillUsed = new Set((db.prepare('SELECT sha256 FROM blobs').all() as { sha256: string }[]).map((b) => b.sha256));
  const folders = backupFolders(ctx);
  for (const s of sources) {
    if (stillUsed.has(s.sha256)) continue;
    fs.rmSync(blobPath(ctx.dataDir, s.sha256), { force: true });
    for (const d of folders) fs.rmSync(path.join(d, 'pieces', s.sha256.slice(0, 2), s.sha256), { force: true });
  }
  let backupsPurged = 0;
  const backupsRemaining: { name: string; reason: string }[] = [];
  for (const d of folders) {
    for (const b of listBackupsIn(d)) {
      try {
        for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(path.join(d, b.name + suffix), { force: true });
        backupsPurged++;
      } catch (e) {
        backupsRemaining.push({ name: path.join(d, b.name), reason: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  let backupAfter: string | null = null;
  try {
    backupAfter = (await createBackup(ctx, 'apres-anonymisation')).name;
  } catch (e) {
    logger.warn('Sauvegarde après anonymisation impossible', e);
  }
  const report: RetentionReport = { at, conventionId, people: ids.length, texts, history, sourceFiles: sources.length, backupsPurged, backupsRemaining, backupAfter };
  await writeSync(ctx, (sqlite) => sqlite.prepare('UPDATE convention_retention SET report_json = ? WHERE convention_id = ?').run(JSON.stringify(report), conventionId));
  logger.info(`Anonymisation de la convention n° ${conventionId} : ${ids.length} personne(s), ${sources.length} fichier(s) source, ${backupsPurged} sauvegarde(s) supprimée(s).`);
  return report;
}
