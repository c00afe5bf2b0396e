// The history (audit_log: who, when, what, before and after) and the undo of the last
// operation. An "operation" is the trailing group of audit rows sharing a batch_id (an import
// writes all its rows with batch_id "import:<id>"), or the last single row.
//
// Undo is generic and exact: it restores the backup taken just before the operation — the one
// whose audit log ends exactly where the operation begins (same last row: id, time, action).
// So an import or a merge is undoable when its capability called backupBefore() first (see
// backup.ts) and nothing was recorded since. The database as it was before the undo is kept as
// a backup ("avant-restauration"), so an undo can itself be undone.
import Database from 'better-sqlite3';
import { exclusiveWrite, type ServiceContext, writeTransaction } from '../context';
import { AppError } from '../errors';
import { listBackups, sqliteOptions, type BackupInfo } from './backup';
import { restoreBackup, type RestoreResult } from './restore';
import { auditActionLabel, type AuditEntity } from '../../../shared/codes';
import { recordAudit } from '../audit';
import { backupLabel, describeChange, recordLabel, type ChangeLine } from './history-format';
import type { Cols, Row } from '../../db/rows';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: number | null;
  before: unknown;
  after: unknown;
  batchId: string | null;
  /** In French, for the screen: « Création », « Pièce jointe »… */
  actionLabel: string;
  /** « Pièce n° 3 », « Import n° 2 ». */
  recordLabel: string;
  /** What changed, « champ : avant → après » (at most 8 lines; `more` says how many were left out). */
  changes: { lines: ChangeLine[]; more: number };
}

type AuditRow = Row<'audit_log'>;

function parse(json: string | null): unknown {
  if (json === null) return null;
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function toEntry(r: AuditRow): AuditEntry {
  const before = parse(r.before_json);
  const after = parse(r.after_json);
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before,
    after,
    batchId: r.batch_id,
    actionLabel: auditActionLabel(r.action),
    recordLabel: recordLabel(r.entity, r.entity_id),
    changes: describeChange(before, after),
  };
}

export async function listHistory(
  ctx: ServiceContext,
  q: { limit?: number; beforeId?: number; entity?: string; batchId?: string },
): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
  const limit = q.limit ?? 100;
  let query = ctx.store.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
  if (q.entity) query = query.where('entity', '=', q.entity);
  if (q.batchId) query = query.where('batch_id', '=', q.batchId);
  const rows = (await query.execute()) as AuditRow[];
  return { entries: rows.slice(0, limit).map(toEntry), hasMore: rows.length > limit };
}

export interface LastOperation {
  firstId: number;
  lastId: number;
  count: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  /** In French: the action and the kind of record. */
  actionLabel: string;
  recordLabel: string;
  batchId: string | null;
  undoable: boolean;
  /** Why it cannot be undone, in French (when undoable is false). */
  reason: string | null;
  backup: string | null;
}

type Marker = { id: number; at: string; action: string } | null;

/** The last audit row of a backup file (read-only), or null when its log is empty. */
function lastAuditOf(file: string): Marker | undefined {
  let d: Database.Database | undefined;
  try {
    d = new Database(file, { readonly: true, fileMustExist: true, ...sqliteOptions() });
    return (d.prepare('SELECT id, at, action FROM audit_log ORDER BY id DESC LIMIT 1').get() as Marker) ?? null;
  } catch {
    return undefined; // unreadable: not a candidate
  } finally {
    d?.close();
  }
}

function sameMarker(a: Marker | undefined, b: Marker): boolean {
  if (a === undefined) return false;
  if (a === null || b === null) return a === b;
  return a.id === b.id && a.at === b.at && a.action === b.action;
}

/** The backup whose audit log ends right before `firstId` (searched among the newest). */
function backupJustBefore(ctx: ServiceContext, firstId: number): BackupInfo | null {
  const prev = (ctx.store.sqlite.prepare('SELECT id, at, action FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1').get(firstId) as Marker) ?? null;
  for (const b of listBackups(ctx).slice(0, 15)) {
    if (sameMarker(lastAuditOf(b.path), prev)) return b;
  }
  return null;
}

export async function lastOperation(ctx: ServiceContext): Promise<LastOperation | null> {
  const sqlite = ctx.store.sqlite;
  const last = sqlite.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT 1').get() as AuditRow | undefined;
  if (!last) return null;
  let firstId = last.id;
  let count = 1;
  if (last.batch_id) {
    // The trailing run of rows with this batch id.
    const before = sqlite.prepare('SELECT id FROM audit_log WHERE id < ? AND (batch_id IS NOT ? ) ORDER BY id DESC LIMIT 1').get(last.id, last.batch_id) as Cols<'audit_log', 'id'> | undefined;
    const start = before ? before.id + 1 : 1;
    const row = sqlite.prepare('SELECT min(id) AS first, count(*) AS n FROM audit_log WHERE id >= ? AND batch_id = ?').get(start, last.batch_id) as { first: number; n: number };
    firstId = row.first;
    count = row.n;
  }
  const head = (last.batch_id
    ? sqlite.prepare("SELECT * FROM audit_log WHERE batch_id = ? AND id >= ? ORDER BY (action = 'import') DESC, id DESC LIMIT 1").get(last.batch_id, firstId)
    : last) as AuditRow;
  const op: LastOperation = {
    firstId,
    lastId: last.id,
    count,
    at: last.at,
    actor: last.actor,
    action: head.action,
    entity: head.entity,
    actionLabel: auditActionLabel(head.action),
    recordLabel: recordLabel(head.entity, null),
    batchId: last.batch_id,
    undoable: false,
    reason: null,
    backup: null,
  };
  if (head.action === 'undo') {
    op.reason = "C'est déjà une annulation : pour revenir en arrière, restaurez la sauvegarde « Base remplacée par une restauration ».";
    return op;
  }
  const b = backupJustBefore(ctx, firstId);
  if (!b) {
    op.reason = "Aucune sauvegarde n'a été prise juste avant cette opération : elle ne peut pas être annulée automatiquement (restaurez une sauvegarde plus ancienne si nécessaire).";
    return op;
  }
  op.undoable = true;
  op.backup = b.name;
  return op;
}

/** Undoes the last operation, which must be the one the officer saw (lastId). */
export function undoLast(ctx: ServiceContext, lastId: number): Promise<{ undone: LastOperation; result: RestoreResult }> {
  // The check of the last operation, the restore and the audit of the undo: no writer in between.
  return exclusiveWrite(ctx, () => undoLastExclusive(ctx, lastId));
}

async function undoLastExclusive(ctx: ServiceContext, lastId: number): Promise<{ undone: LastOperation; result: RestoreResult }> {
  const op = await lastOperation(ctx);
  if (!op || op.lastId !== lastId) {
    throw new AppError('conflict', "L'historique a changé depuis l'affichage : rechargez la page et vérifiez la dernière opération. Rien n'a été modifié.");
  }
  if (!op.undoable || !op.backup) throw new AppError('validation', `${op.reason ?? 'Cette opération ne peut pas être annulée.'} Rien n'a été modifié.`);
  // The undo is about the undone operation's record, as stored (written through the typed
  // recordAudit; a code of an older version is kept as is and told « Enregistrement » on screen).
  const entity = op.entity as AuditEntity;
  const result = await restoreBackup(ctx, op.backup);
  // The undo itself goes into the (restored) history.
  await writeTransaction(ctx, async (trx) => {
    await recordAudit(trx, ctx, {
      action: 'undo',
      entity,
      before: { action: op.action, entity: op.entity, batchId: op.batchId, rows: op.count, at: op.at, actor: op.actor },
      after: { restoredBackup: op.backup, previousKeptAs: result.previousKeptAs },
    });
  });
  return { undone: op, result };
}

/** What the screen says after an undo, in French. */
export function undoMessage(op: LastOperation, previousKeptAs: string): string {
  const what = op.recordLabel === op.actionLabel ? op.actionLabel : `${op.actionLabel} — ${op.recordLabel}`;
  return `Opération annulée : ${what.toLowerCase()} (${op.count} ligne${op.count > 1 ? 's' : ''} du journal). L’état d’avant l’annulation est gardé : ${backupLabel(previousKeptAs)}.`;
}
