// Writing an import plan in ONE transaction: the import records, structures, people (with their
// eligibility), the rows' issues, the source files in the pièces store, the remembered mapping
// and the audit. Inside the kysely transaction (same better-sqlite3 connection, BEGIN already
// issued) the bulk upsert uses prepared statements directly: building 20 000 kysely queries costs
// more than parsing the file, and the import must stay close to the bare parse time (bench).
import type { AuditAction, AuditEntity } from '../../../../shared/codes';
import type { Kysely, Transaction } from 'kysely';
import type Database from 'better-sqlite3';
import { recordAudit } from '../../audit';
import { writeJob, type ServiceContext } from '../../context';
import type { DB } from '../../../db/schema';
import { AppError } from '../../errors';
import { breathe, type JobProgress } from '../../jobs';
import { safeOriginalName } from '../../pieces/service';
import { sha256Of, writeBlob } from '../../pieces/store';
import { nameKey } from '../normalise';
import { refreshEligibility } from '../refresh';
import { throwIfCancelled } from './cancel';
import { MAPPING_SETTING_PREFIX } from './locate';
import { personColumns, structureColumns, type AnctDecisions, type FieldChange, type Plan } from './plan-types';
import { applyAnctDecisions } from '../../sessions/ac';
import { countPlan } from '../importer';

/** Rows written between two yields to the event loop (progress, cancel) inside the transaction. */
const WRITE_BATCH = 1000;

const mimeOf = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xls: 'application/vnd.ms-excel', ods: 'application/vnd.oasis.opendocument.spreadsheet', csv: 'text/csv' };

/** The audit row of an update: the changed fields only, before and after (JSON). */
function auditValues(changes: FieldChange[]): { before: string; after: string } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const ch of changes) {
    before[ch.field] = ch.before;
    after[ch.field] = ch.after;
  }
  return { before: JSON.stringify(before), after: JSON.stringify(after) };
}

/** The last audit row, read on the main connection or (in the job's transaction) on the job's own. */
export function lastAuditId(ctx: ServiceContext, sqlite: Database.Database = ctx.store.sqlite): number {
  return (sqlite.prepare('SELECT coalesce(max(id), 0) AS n FROM audit_log').get() as { n: number }).n;
}

interface WriteFile {
  fileName: string;
  bytes: Uint8Array;
}

/** What every write of the transaction shares. */
interface Writer {
  ctx: ServiceContext;
  sqlite: Database.Database;
  plan: Plan;
  now: string;
  batch: string;
  audit: Database.Statement;
  /** Counts a write; every WRITE_BATCH, reports progress, yields and checks the cancel. */
  step: () => Promise<void>;
}

async function insertImportRecords(trx: Transaction<DB> | Kysely<DB>, ctx: ServiceContext, plan: Plan, files: WriteFile[], shas: string[], now: string): Promise<number[]> {
  const ids: number[] = [];
  for (let fi = 0; fi < plan.files.length; fi++) {
    const l = plan.files[fi];
    const c = countPlan(plan, fi);
    const { id } = await trx
      .insertInto('imports')
      .values({
        file_name: files[fi].fileName,
        sha256: shas[fi],
        kind: l.kind,
        format: l.file.format,
        sheet: l.sheet.name,
        header_row: l.headerIndex + 1,
        mapping_json: JSON.stringify(l.headers.map((h, i) => ({ header: h, field: l.mapping[i] }))),
        imported_at: now,
        actor: ctx.actor,
        rows: plan.rowsPerFile[fi],
        people_created: c.people.created,
        people_updated: c.people.updated,
        people_unchanged: c.people.unchanged,
        structures_created: c.structures.created,
        structures_updated: c.structures.updated,
        structures_unchanged: c.structures.unchanged,
        rejected: plan.rejected.filter((r) => r.file === fi).length,
        warnings: plan.warnings.filter((w) => w.file === fi).length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(id);
  }
  return ids;
}

async function writeStructures(sqlite: Database.Database, w: Writer): Promise<{ structureIds: Map<string, number>; touched: number[] }> {
  const { now, ctx, batch, audit } = w;
  const insertStructure = sqlite.prepare(
    `INSERT INTO structures (name, name_key, ${structureColumns.slice(1).join(', ')}, created_at, updated_at)
     VALUES (?, ?, ${structureColumns.slice(1).map(() => '?').join(', ')}, ?, ?)`,
  );
  const updateStructure = sqlite.prepare(`UPDATE structures SET name = ?, name_key = ?, ${structureColumns.slice(1).map((k) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`);
  const structureIds = new Map<string, number>();
  const touched: number[] = [];
  for (const s of w.plan.structures) {
    await w.step();
    const vals = structureColumns.slice(1).map((k) => s.values[k]);
    if (s.status === 'created') {
      const sid = Number(insertStructure.run(s.values.name, nameKey(s.values.name), ...vals, now, now).lastInsertRowid);
      structureIds.set(s.key, sid);
      audit.run(now, ctx.actor, 'create' satisfies AuditAction, 'structure' satisfies AuditEntity, sid, null, JSON.stringify(s.values), batch);
      continue;
    }
    structureIds.set(s.key, s.dbId!);
    if (s.status === 'updated') {
      updateStructure.run(s.values.name, nameKey(s.values.name), ...vals, now, s.dbId);
      touched.push(s.dbId!);
      const { before, after } = auditValues(s.changes);
      audit.run(now, ctx.actor, 'update' satisfies AuditAction, 'structure' satisfies AuditEntity, s.dbId, before, after, batch);
    }
  }
  return { structureIds, touched };
}

/** The people of the plan; returns the ids of the people the files hold. */
async function writePeople(sqlite: Database.Database, w: Writer, structureIds: Map<string, number>, anct: [number, AnctDecisions][]): Promise<Set<number>> {
  const { now, ctx, batch, audit } = w;
  const cols = personColumns.join(', ');
  const insertPerson = sqlite.prepare(
    `INSERT INTO people (${cols}, name_key, structure_id, eligible, ineligible_json, warnings_json, created_at, updated_at)
     VALUES (${personColumns.map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updatePerson = sqlite.prepare(
    `UPDATE people SET ${personColumns.map((k) => `${k} = ?`).join(', ')}, name_key = ?, structure_id = ?, eligible = ?, ineligible_json = ?, warnings_json = ?, updated_at = ? WHERE id = ?`,
  );
  const updateDecision = sqlite.prepare('UPDATE people SET eligible = ?, ineligible_json = ?, warnings_json = ?, updated_at = ? WHERE id = ?');
  const inFile = new Set<number>();
  for (const p of w.plan.people) {
    await w.step();
    const vals = personColumns.map((k) => p.values[k]);
    const sid = p.structureKey ? structureIds.get(p.structureKey)! : (p.before?.structure_id ?? null);
    const elig = p.decision.eligible ? 1 : 0;
    const inel = JSON.stringify(p.decision.ineligible);
    const warn = JSON.stringify(p.decision.warnings);
    if (p.status === 'created') {
      const pid = Number(insertPerson.run(...vals, nameKey(p.values.nom, p.values.prenom), sid, elig, inel, warn, now, now).lastInsertRowid);
      inFile.add(pid);
      if (p.anct) anct.push([pid, p.anct]);
      audit.run(now, ctx.actor, 'create' satisfies AuditAction, 'person' satisfies AuditEntity, pid, null, JSON.stringify({ ...p.values, structure_id: sid }), batch);
      continue;
    }
    inFile.add(p.dbId!);
    if (p.anct) anct.push([p.dbId!, p.anct]);
    if (p.status === 'updated') {
      updatePerson.run(...vals, nameKey(p.values.nom, p.values.prenom), sid, elig, inel, warn, now, p.dbId);
      const { before, after } = auditValues(p.changes);
      audit.run(now, ctx.actor, 'update' satisfies AuditAction, 'person' satisfies AuditEntity, p.dbId, before, after, batch);
    } else if (p.before && (p.before.eligible !== elig || p.before.ineligible_json !== inel || p.before.warnings_json !== warn)) {
      // Same data, but the rules now decide differently (e.g. SIRO table imported since).
      updateDecision.run(elig, inel, warn, now, p.dbId);
    }
  }
  return inFile;
}

/** Per file: its rows' issues, its source file in the pièces store, the officer's mapping remembered, the audit. */
async function writeFileRecords(trx: Transaction<DB> | Kysely<DB>, w: Writer, ids: number[], files: WriteFile[], shas: string[], blobs: { sha256: string; size: number }[]) {
  const { sqlite, plan, now, ctx, batch } = w;
  const issue = sqlite.prepare('INSERT INTO import_issues (import_id, row, level, code, message) VALUES (?, ?, ?, ?, ?)');
  for (let fi = 0; fi < plan.files.length; fi++) {
    const id = ids[fi];
    const l = plan.files[fi];
    for (const r of plan.rejected) if (r.file === fi) issue.run(id, r.row, 'rejet', r.code, r.reason);
    for (const x of plan.warnings) if (x.file === fi) issue.run(id, x.row, 'alerte', x.code, x.message);
    const blob = blobs[fi];
    sqlite.prepare('INSERT INTO blobs (sha256, size, stored_at) VALUES (?, ?, ?) ON CONFLICT(sha256) DO NOTHING').run(blob.sha256, blob.size, now);
    const piece = sqlite
      .prepare('INSERT INTO pieces (sha256, original_name, mime_type, size, added_at, owner_type, owner_id, role, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(blob.sha256, safeOriginalName(files[fi].fileName), mimeOf[l.file.format], blob.size, now, 'import', id, 'fichier_source', null);
    // The officer's corrected mapping is remembered for the next file with the same columns.
    if (l.mappingSource === 'agent') {
      sqlite
        .prepare('INSERT INTO app_settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json')
        .run(MAPPING_SETTING_PREFIX + l.signature, JSON.stringify(l.mapping));
    }
    const c = countPlan(plan, fi);
    await recordAudit(trx, ctx, {
      action: 'import',
      entity: 'import',
      entityId: id,
      after: {
        fileName: files[fi].fileName, sha256: shas[fi], kind: l.kind, sheet: l.sheet.name, headerRow: l.headerIndex + 1, rows: plan.rowsPerFile[fi], people: c.people,
        structures: c.structures, ineligible: c.ineligible, rejected: plan.rejected.filter((r) => r.file === fi).length, pieceId: Number(piece.lastInsertRowid),
      },
      batchId: batch,
    });
  }
}

/** Writes the plan in one transaction (refused if the database changed since `marker`); the import ids, one per file. */
export async function writePlan(ctx: ServiceContext, plan: Plan, files: WriteFile[], marker: number, tools: { signal?: AbortSignal; progress?: (p: JobProgress) => void }): Promise<number[]> {
  const { signal, progress } = tools;
  const shas = files.map((f) => sha256Of(f.bytes));
  // The source files go into the pièces store first (durable; content-addressed, so a cancelled
  // import leaves at most an unreferenced copy), their rows inside the transaction.
  const blobs = files.map((f) => writeBlob(ctx.dataDir, f.bytes));
  const now = ctx.now().toISOString();
  const totalWrites = plan.structures.length + plan.people.length;
  let written = 0;
  const step = async () => {
    if (++written % WRITE_BATCH === 0) {
      progress?.({ done: written, total: totalWrites, label: 'Enregistrement dans la base' });
      await breathe();
      throwIfCancelled(signal);
    }
  };
  // The transaction runs on the job's own connection and holds the write gate until it ends
  // (context.ts, writeJob): another channel's write waits for its commit or rollback instead of
  // joining it, and readers keep seeing the last commit without waiting.
  return writeJob(ctx, async (trx, sqlite) => {
    if (lastAuditId(ctx, sqlite) !== marker) {
      throw new AppError('conflict', 'La base a été modifiée pendant la préparation de l’import : relancez l’import pour le vérifier de nouveau. Rien n’a été importé.');
    }
    const ids = await insertImportRecords(trx, ctx, plan, files, shas, now);
    // One batch for the whole import (all its files): the history undoes it as one operation.
    const audit = sqlite.prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const w: Writer = { ctx, sqlite, plan, now, batch: `import:${ids[0]}`, audit, step };
    progress?.({ done: 0, total: totalWrites, label: 'Enregistrement dans la base' });
    const { structureIds, touched } = await writeStructures(sqlite, w);
    const anct: [number, AnctDecisions][] = [];
    const inFile = await writePeople(sqlite, w, structureIds, anct);
    // ANCT's decisions of its FNE table, into the Aidants Connect follow-up (as `ac import` reads them).
    for (const [personId, a] of anct) await applyAnctDecisions(trx, ctx, personId, a, now.slice(0, 10), w.batch);
    throwIfCancelled(signal);
    // People not in the file whose structure changed: their warnings may change (SIRET found…).
    if (touched.length) {
      const others = (sqlite.prepare('SELECT id FROM people WHERE structure_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(touched)) as { id: number }[])
        .map((r) => r.id)
        .filter((pid) => !inFile.has(pid));
      if (others.length) refreshEligibility(sqlite, { personIds: others }, now);
    }
    await writeFileRecords(trx, w, ids, files, shas, blobs);
    // Last chance for a cancel: after this, the transaction commits.
    throwIfCancelled(signal);
    return ids;
  });
}
