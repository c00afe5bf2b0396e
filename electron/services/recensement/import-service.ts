// Preview and commit of an import. The preview writes nothing; the commit recomputes the plan
// from the same bytes (no state kept between the two) and applies it in ONE transaction:
// import record, structures, people, issues, source file in the pièces store, audit.
import type Database from 'better-sqlite3';
import type { ImportBatchPreview, ImportBatchResult, ImportPreview, ImportResult } from '../../../shared/ipc/channels/recensement';
import { recordAudit } from '../audit';
import { collectGarbage } from '../common/tabular/memory';
import { formatLabels } from '../common/tabular/read';
import { type ServiceContext, writeJob } from '../context';
import { AppError } from '../errors';
import { breathe, type JobProgress } from '../jobs';
import { backupBefore } from '../sauvegarde/backup';
import { safeOriginalName } from '../pieces/service';
import { sha256Of, writeBlob } from '../pieces/store';
import { fieldLabels, importFields, kindLabels, requiredFields } from './fields';
import {
  buildPlan,
  countPlan,
  locate,
  MAPPING_SETTING_PREFIX,
  missingRequired,
  missingRequiredMessage,
  personColumns,
  structureColumns,
  throwIfCancelled,
  type FieldChange,
  type ImportOptions,
  type Located,
  type Plan,
} from './importer';
import { nameKey } from './normalise';
import { refreshEligibility } from './refresh';
import type { Cols } from '../../db/rows';

export interface ImportFile {
  fileName: string;
  bytes: Uint8Array;
}

/** One file of an import with the officer's choices for it (sheet, header row, mapping, kind). */
export interface ImportFileInput extends ImportFile {
  options?: ImportOptions;
}

/** Progress and cancel, given by the job that runs the import (electron/services/jobs.ts). */
export interface ImportTools {
  signal?: AbortSignal;
  progress?: (p: JobProgress) => void;
}

const MAX_CHANGES_SHOWN = 500;
const LARGE_FILE_BYTES = 1024 * 1024;

/** "« liste.xlsx » : " when several files are imported together (messages name the file). */
function filePrefix(files: { fileName: string }[], i: number): string {
  return files.length > 1 ? `« ${files[i].fileName} » : ` : '';
}

/** Reads every file (SheetJS, synchronous) and locates its data; the cancel is checked between files. */
async function locateAll(ctx: ServiceContext, files: ImportFileInput[], tools: ImportTools): Promise<Located[]> {
  const out: Located[] = [];
  // A large file: start from a clean heap (a previous import's plan may still be uncollected).
  if (files.some((f) => f.bytes.byteLength > LARGE_FILE_BYTES)) collectGarbage();
  for (let i = 0; i < files.length; i++) {
    tools.progress?.({ done: i, total: files.length > 1 ? files.length : 0, label: `Lecture du fichier « ${files[i].fileName} »` });
    await breathe();
    throwIfCancelled(tools.signal);
    try {
      out.push(locate(ctx, files[i].bytes, files[i].fileName, files[i].options ?? {}));
    } catch (e) {
      if (e instanceof AppError && files.length > 1) throw new AppError(e.code, filePrefix(files, i) + e.message, { fields: e.fields, details: e.details });
      throw e;
    }
  }
  return out;
}

function planProgress(tools: ImportTools) {
  return (done: number, total: number) => tools.progress?.({ done, total, label: 'Vérification des lignes' });
}

function previewOf(ctx: ServiceContext, fi: number, f: ImportFile, sha256: string, plan: Plan | null, located: Located): ImportPreview {
  const { headers, mapping } = located;
  const missing = missingRequired(mapping);
  const c = plan ? countPlan(plan, fi) : null;
  const zero = { created: 0, updated: 0, unchanged: 0 };
  const changes: ImportPreview['changes'] = [];
  let changesTotal = 0;
  if (plan) {
    for (const s of plan.structures) {
      if (s.status !== 'updated' || s.file !== fi) continue;
      changesTotal++;
      if (changes.length < MAX_CHANGES_SHOWN) changes.push({ entity: 'structure', row: s.row, label: s.values.name, fields: s.changes });
    }
    for (const p of plan.people) {
      if (p.status !== 'updated' || p.file !== fi) continue;
      changesTotal++;
      if (changes.length < MAX_CHANGES_SHOWN) changes.push({ entity: 'personne', row: p.row, label: `${p.values.prenom} ${p.values.nom}`, fields: p.changes });
    }
  }
  const previous = ctx.store.sqlite.prepare('SELECT id, imported_at AS importedAt, file_name AS fileName FROM imports WHERE sha256 = ? ORDER BY id').all(sha256) as {
    id: number;
    importedAt: string;
    fileName: string;
  }[];
  return {
    fileName: f.fileName,
    sha256,
    format: located.file.format,
    formatLabel: formatLabels[located.file.format],
    encoding: located.file.encoding ?? null,
    delimiter: located.file.delimiter ?? null,
    kind: located.kind,
    kindLabel: kindLabels[located.kind],
    detectedKind: located.detectedKind,
    sheets: located.sheets,
    sheet: located.sheet.name,
    headerRow: located.headerIndex + 1,
    columns: headers.map((header, index) => ({ index, header, field: mapping[index], samples: located.samples[index] ?? [] })),
    fields: importFields.map((key) => ({ key, label: fieldLabels[key], required: requiredFields.includes(key) })),
    mappingSource: located.mappingSource,
    missingRequired: missing,
    missingMessage: missing.length ? missingRequiredMessage(located) : null,
    rows: plan ? plan.rowsPerFile[plan.files.indexOf(located)] : 0,
    people: c?.people ?? zero,
    structures: c?.structures ?? zero,
    ineligible: c?.ineligible ?? {},
    rejected: plan ? plan.rejected.filter((r) => r.file === fi).map((r) => ({ row: r.row, code: r.code, reason: r.reason })) : [],
    warnings: plan ? plan.warnings.filter((w) => w.file === fi).map((w) => ({ row: w.row, code: w.code, message: w.message })) : [],
    changes,
    changesTotal,
    previousImports: previous,
  };
}

/**
 * What importing these files together would do: one preview per file (its counts, its rows
 * rejected or warned) and the totals. Nothing is written (not even the remembered mapping).
 * Files whose required columns are missing are shown (mapping to fix) but not counted.
 */
export async function previewImport(ctx: ServiceContext, files: ImportFileInput[], tools: ImportTools = {}): Promise<ImportBatchPreview> {
  const located = await locateAll(ctx, files, tools);
  const complete = located.filter((l) => missingRequired(l.mapping).length === 0);
  const plan = complete.length ? await buildPlan(ctx, complete, { signal: tools.signal, progress: planProgress(tools) }) : null;
  const previews = located.map((l, i) => {
    const fi = plan ? plan.files.indexOf(l) : -1;
    return previewOf(ctx, fi, files[i], sha256Of(files[i].bytes), fi >= 0 ? plan : null, l);
  });
  const total = countPlan(plan);
  const fileIndex = (fi: number) => located.indexOf(plan!.files[fi]);
  return {
    files: previews,
    rows: plan?.rows ?? 0,
    people: total.people,
    structures: total.structures,
    ineligible: total.ineligible,
    missingRequired: previews.filter((p) => p.missingRequired.length > 0).map((p) => p.fileName),
    rejected: plan ? plan.rejected.map((r) => ({ file: fileIndex(r.file), fileName: files[fileIndex(r.file)].fileName, row: r.row, code: r.code, reason: r.reason })) : [],
    warnings: plan ? plan.warnings.map((w) => ({ file: fileIndex(w.file), fileName: files[fileIndex(w.file)].fileName, row: w.row, code: w.code, message: w.message })) : [],
  };
}

/** What the import of one file would do. Nothing is written (not even the remembered mapping). */
export async function importPreview(ctx: ServiceContext, f: ImportFile, opts: ImportOptions, tools: ImportTools = {}): Promise<ImportPreview> {
  return (await previewImport(ctx, [{ ...f, options: opts }], tools)).files[0];
}

/** The plan of one or several files, refusing when required columns are missing. */
export async function planFiles(ctx: ServiceContext, files: ImportFileInput[], tools: ImportTools = {}): Promise<Plan> {
  const located = await locateAll(ctx, files, tools);
  for (let i = 0; i < located.length; i++) {
    const m = missingRequired(located[i].mapping);
    if (m.length) throw new AppError('validation', filePrefix(files, i) + missingRequiredMessage(located[i]), { details: { missing: m, file: files[i].fileName } });
  }
  return buildPlan(ctx, located, { signal: tools.signal, progress: planProgress(tools) });
}

/** Preview for the CLI and tests: the plan itself, refusing when required columns are missing. */
export async function planImport(ctx: ServiceContext, f: ImportFile, opts: ImportOptions): Promise<Plan> {
  return planFiles(ctx, [{ ...f, options: opts }]);
}

/** The result of file `fi` of the plan (its own counts and rows). */
export function resultOf(plan: Plan, importId: number, fi = 0): ImportResult {
  const c = countPlan(plan, fi);
  const l = plan.files[fi];
  return {
    importId,
    kind: l.kind,
    sheet: l.sheet.name,
    headerRow: l.headerIndex + 1,
    rows: plan.rowsPerFile[fi],
    people: c.people,
    structures: c.structures,
    rejected: plan.rejected.filter((r) => r.file === fi).map((r) => ({ row: r.row, code: r.code, reason: r.reason })),
    warnings: plan.warnings.filter((w) => w.file === fi).map((w) => ({ row: w.row, code: w.code, message: w.message })),
  };
}

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
function lastAuditId(ctx: ServiceContext, sqlite: Database.Database = ctx.store.sqlite): number {
  return (sqlite.prepare('SELECT coalesce(max(id), 0) AS n FROM audit_log').get() as { n: number }).n;
}

/**
 * Imports one or several files in ONE transaction (all or nothing). Rows that would be rejected
 * block the import unless the officer accepted them (acceptRejected): then the good rows only
 * are imported and the rejected ones listed. A backup is taken first (so the import can be
 * undone from the history); a cancel (tools.signal) rolls everything back.
 */
export async function commitImport(ctx: ServiceContext, files: ImportFileInput[], opts: { acceptRejected?: boolean }, tools: ImportTools = {}): Promise<ImportBatchResult> {
  const { signal, progress } = tools;
  const plan = await planFiles(ctx, files, tools);
  if (plan.rejected.length > 0 && !opts.acceptRejected) {
    const n = plan.rejected.length;
    const where = (r: (typeof plan.rejected)[number]) => (files.length > 1 ? `« ${files[r.file].fileName} » ligne ${r.row}` : `ligne ${r.row}`);
    throw new AppError(
      'validation',
      `${n} ligne${n > 1 ? 's' : ''} du fichier ser${n > 1 ? 'ont' : 'a'} rejetée${n > 1 ? 's' : ''} (${plan.rejected
        .slice(0, 5)
        .map(where)
        .join(', ')}${n > 5 ? '…' : ''}). Corrigez le fichier ou confirmez l’import des autres lignes. Rien n’a été importé.`,
      { details: { rejected: plan.rejected.map((r) => ({ file: files[r.file].fileName, row: r.row, code: r.code, reason: r.reason })) } },
    );
  }
  if (plan.people.length === 0 && plan.structures.length === 0) {
    throw new AppError('validation', `Aucune ligne à importer dans ${files.length > 1 ? 'ces fichiers' : 'ce fichier'}. Rien n’a été importé.`);
  }
  // The plan was built against the database as it is now; the backup is of that same state.
  const marker = lastAuditId(ctx);
  progress?.({ done: 0, total: 0, label: 'Sauvegarde de la base avant l’import' });
  await backupBefore(ctx, 'import');
  throwIfCancelled(signal);
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
  const importIds = await writeJob(ctx, async (trx, sqlite) => {
    if (lastAuditId(ctx, sqlite) !== marker) {
      throw new AppError('conflict', 'La base a été modifiée pendant la préparation de l’import : relancez l’import pour le vérifier de nouveau. Rien n’a été importé.');
    }
    // Inside this kysely transaction (same better-sqlite3 connection — the job's own — BEGIN already issued) the
    // bulk upsert uses prepared statements directly: building 20 000 kysely queries costs more
    // than parsing the file, and the import must stay close to the bare parse time (bench).
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
    // One batch for the whole import (all its files): the history undoes it as one operation.
    const batch = `import:${ids[0]}`;
    const audit = sqlite.prepare(
      'INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    progress?.({ done: 0, total: totalWrites, label: 'Enregistrement dans la base' });

    // Structures
    const insertStructure = sqlite.prepare(
      `INSERT INTO structures (name, name_key, ${structureColumns.slice(1).join(', ')}, created_at, updated_at)
       VALUES (?, ?, ${structureColumns.slice(1).map(() => '?').join(', ')}, ?, ?)`,
    );
    const updateStructure = sqlite.prepare(
      `UPDATE structures SET name = ?, name_key = ?, ${structureColumns.slice(1).map((k) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
    );
    const structureIds = new Map<string, number>();
    const touchedStructures: number[] = [];
    for (const s of plan.structures) {
      await step();
      const vals = structureColumns.slice(1).map((k) => s.values[k]);
      if (s.status === 'created') {
        const r = insertStructure.run(s.values.name, nameKey(s.values.name), ...vals, now, now);
        const sid = Number(r.lastInsertRowid);
        structureIds.set(s.key, sid);
        audit.run(now, ctx.actor, 'create', 'structure', sid, null, JSON.stringify(s.values), batch);
      } else {
        structureIds.set(s.key, s.dbId!);
        if (s.status === 'updated') {
          updateStructure.run(s.values.name, nameKey(s.values.name), ...vals, now, s.dbId);
          touchedStructures.push(s.dbId!);
          const { before, after } = auditValues(s.changes);
          audit.run(now, ctx.actor, 'update', 'structure', s.dbId, before, after, batch);
        }
      }
    }

    // People
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
    for (const p of plan.people) {
      await step();
      const vals = personColumns.map((k) => p.values[k]);
      const sid = p.structureKey ? structureIds.get(p.structureKey)! : (p.before?.structure_id ?? null);
      const elig = p.decision.eligible ? 1 : 0;
      const inel = JSON.stringify(p.decision.ineligible);
      const warn = JSON.stringify(p.decision.warnings);
      if (p.status === 'created') {
        const r = insertPerson.run(...vals, nameKey(p.values.nom, p.values.prenom), sid, elig, inel, warn, now, now);
        const pid = Number(r.lastInsertRowid);
        inFile.add(pid);
        audit.run(now, ctx.actor, 'create', 'person', pid, null, JSON.stringify({ ...p.values, structure_id: sid }), batch);
      } else {
        inFile.add(p.dbId!);
        if (p.status === 'updated') {
          updatePerson.run(...vals, nameKey(p.values.nom, p.values.prenom), sid, elig, inel, warn, now, p.dbId);
          const { before, after } = auditValues(p.changes);
          audit.run(now, ctx.actor, 'update', 'person', p.dbId, before, after, batch);
        } else if (p.before && (p.before.eligible !== elig || p.before.ineligible_json !== inel || p.before.warnings_json !== warn)) {
          // Same data, but the rules now decide differently (e.g. SIRO table imported since).
          updateDecision.run(elig, inel, warn, now, p.dbId);
        }
      }
    }
    throwIfCancelled(signal);
    // People not in the file whose structure changed: their warnings may change (SIRET found…).
    if (touchedStructures.length) {
      const others = (sqlite.prepare('SELECT id FROM people WHERE structure_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(touchedStructures)) as Cols<'people', 'id'>[])
        .map((r) => r.id)
        .filter((pid) => !inFile.has(pid));
      if (others.length) refreshEligibility(sqlite, { personIds: others }, now);
    }

    const issue = sqlite.prepare('INSERT INTO import_issues (import_id, row, level, code, message) VALUES (?, ?, ?, ?, ?)');
    for (let fi = 0; fi < plan.files.length; fi++) {
      const id = ids[fi];
      const l = plan.files[fi];
      // Rejected and warned rows, kept with the import of their file.
      for (const r of plan.rejected) if (r.file === fi) issue.run(id, r.row, 'rejet', r.code, r.reason);
      for (const w of plan.warnings) if (w.file === fi) issue.run(id, w.row, 'alerte', w.code, w.message);

      // The source file, in the pièces store.
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
          fileName: files[fi].fileName,
          sha256: shas[fi],
          kind: l.kind,
          sheet: l.sheet.name,
          headerRow: l.headerIndex + 1,
          rows: plan.rowsPerFile[fi],
          people: c.people,
          structures: c.structures,
          ineligible: c.ineligible,
          rejected: plan.rejected.filter((r) => r.file === fi).length,
          pieceId: Number(piece.lastInsertRowid),
        },
        batchId: batch,
      });
    }
    // Last chance for a cancel: after this, the transaction commits.
    throwIfCancelled(signal);
    return ids;
  });
  progress?.({ done: totalWrites, total: totalWrites, label: 'Import terminé' });
  const results = importIds.map((id, fi) => resultOf(plan, id, fi));
  const total = countPlan(plan);
  return { files: results, rows: plan.rows, people: total.people, structures: total.structures };
}

/** Imports one file (see commitImport). */
export async function importCommit(ctx: ServiceContext, f: ImportFile, opts: ImportOptions & { acceptRejected?: boolean }, tools: ImportTools = {}): Promise<ImportResult> {
  const { acceptRejected, ...options } = opts;
  return (await commitImport(ctx, [{ ...f, options }], { acceptRejected }, tools)).files[0];
}
