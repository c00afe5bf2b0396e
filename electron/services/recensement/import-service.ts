// Preview and commit of an import. The preview writes nothing; the commit recomputes the plan
// from the same bytes (no state kept between the two) and applies it in ONE transaction:
// import record, structures, people, issues, source file in the pièces store, audit.
import type { ImportPreview, ImportResult } from '../../../shared/ipc/channels/recensement';
import { recordAudit } from '../audit';
import { formatLabels } from '../common/tabular/read';
import { cellText } from '../common/tabular/values';
import type { ServiceContext } from '../context';
import { AppError } from '../errors';
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
  type ImportOptions,
  type Plan,
} from './importer';
import { nameKey } from './normalise';
import { refreshEligibility } from './refresh';

export interface ImportFile {
  fileName: string;
  bytes: Uint8Array;
}

const MAX_CHANGES_SHOWN = 500;

function previewOf(ctx: ServiceContext, f: ImportFile, sha256: string, plan: Plan | null, located: ReturnType<typeof locate>): ImportPreview {
  const { sheet, headerIndex, headers, mapping } = located;
  const samples = (i: number) => {
    const out: string[] = [];
    for (let r = headerIndex + 1; r < sheet.rows.length && out.length < 3; r++) {
      const t = cellText(sheet.rows[r]?.[i]);
      if (t !== '') out.push(t.slice(0, 80));
    }
    return out;
  };
  const missing = missingRequired(mapping);
  const c = plan ? countPlan(plan) : null;
  const zero = { created: 0, updated: 0, unchanged: 0 };
  const changes: ImportPreview['changes'] = [];
  let changesTotal = 0;
  if (plan) {
    for (const s of plan.structures) {
      if (s.status !== 'updated') continue;
      changesTotal++;
      if (changes.length < MAX_CHANGES_SHOWN) changes.push({ entity: 'structure', row: s.row, label: s.values.name, fields: s.changes });
    }
    for (const p of plan.people) {
      if (p.status !== 'updated') continue;
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
    sheets: located.file.sheets.map((s) => ({ name: s.name, rows: s.rows.length })),
    sheet: sheet.name,
    headerRow: headerIndex + 1,
    columns: headers.map((header, index) => ({ index, header, field: mapping[index], samples: samples(index) })),
    fields: importFields.map((key) => ({ key, label: fieldLabels[key], required: requiredFields.includes(key) })),
    mappingSource: located.mappingSource,
    missingRequired: missing,
    missingMessage: missing.length ? missingRequiredMessage(located) : null,
    rows: plan?.rows ?? 0,
    people: c?.people ?? zero,
    structures: c?.structures ?? zero,
    ineligible: c?.ineligible ?? {},
    rejected: plan ? plan.rejected.map((r) => ({ row: r.row, code: r.code, reason: r.reason })) : [],
    warnings: plan ? plan.warnings : [],
    changes,
    changesTotal,
    previousImports: previous,
  };
}

/** What the import would do. Nothing is written (not even the remembered mapping). */
export async function importPreview(ctx: ServiceContext, f: ImportFile, opts: ImportOptions): Promise<ImportPreview> {
  const located = locate(ctx, f.bytes, f.fileName, opts);
  const sha256 = sha256Of(f.bytes);
  const plan = missingRequired(located.mapping).length ? null : buildPlan(ctx, located);
  return previewOf(ctx, f, sha256, plan, located);
}

/** Preview for the CLI and tests: the plan itself, refusing when required columns are missing. */
export function planImport(ctx: ServiceContext, f: ImportFile, opts: ImportOptions): Plan {
  const located = locate(ctx, f.bytes, f.fileName, opts);
  if (missingRequired(located.mapping).length) throw new AppError('validation', missingRequiredMessage(located), { details: { missing: missingRequired(located.mapping) } });
  return buildPlan(ctx, located);
}

export function resultOf(plan: Plan, importId: number): ImportResult {
  const c = countPlan(plan);
  return {
    importId,
    kind: plan.located.kind,
    sheet: plan.located.sheet.name,
    headerRow: plan.located.headerIndex + 1,
    rows: plan.rows,
    people: c.people,
    structures: c.structures,
    rejected: plan.rejected.map((r) => ({ row: r.row, code: r.code, reason: r.reason })),
    warnings: plan.warnings,
  };
}

/**
 * Applies the import. Rows that would be rejected block the import unless the officer accepted
 * them (acceptRejected): then the good rows only are imported and the rejected ones listed.
 */
export async function importCommit(ctx: ServiceContext, f: ImportFile, opts: ImportOptions & { acceptRejected?: boolean }): Promise<ImportResult> {
  const plan = planImport(ctx, f, opts);
  if (plan.rejected.length > 0 && !opts.acceptRejected) {
    throw new AppError(
      'validation',
      `${plan.rejected.length} ligne${plan.rejected.length > 1 ? 's' : ''} du fichier ser${plan.rejected.length > 1 ? 'ont' : 'a'} rejetée${plan.rejected.length > 1 ? 's' : ''} (${plan.rejected
        .slice(0, 5)
        .map((r) => `ligne ${r.row}`)
        .join(', ')}${plan.rejected.length > 5 ? '…' : ''}). Corrigez le fichier ou confirmez l’import des autres lignes. Rien n’a été importé.`,
      { details: { rejected: plan.rejected } },
    );
  }
  if (plan.people.length === 0 && plan.structures.length === 0) {
    throw new AppError('validation', 'Aucune ligne à importer dans ce fichier. Rien n’a été importé.');
  }
  const sha256 = sha256Of(f.bytes);
  // The source file goes into the pièces store first (durable), its row inside the transaction.
  const blob = writeBlob(ctx.dataDir, f.bytes);
  const now = ctx.now().toISOString();
  const c = countPlan(plan);
  const sqlite = ctx.store.sqlite;
  const l = plan.located;

  const importId = await ctx.store.db.transaction().execute(async (trx) => {
    // Inside this kysely transaction (same better-sqlite3 connection, BEGIN already issued) the
    // bulk upsert uses prepared statements directly: building 20 000 kysely queries costs more
    // than parsing the file, and the import must stay close to the bare parse time (bench).
    const { id } = await trx
      .insertInto('imports')
      .values({
        file_name: f.fileName,
        sha256,
        kind: l.kind,
        format: l.file.format,
        sheet: l.sheet.name,
        header_row: l.headerIndex + 1,
        mapping_json: JSON.stringify(l.headers.map((h, i) => ({ header: h, field: l.mapping[i] }))),
        imported_at: now,
        actor: ctx.actor,
        rows: plan.rows,
        people_created: c.people.created,
        people_updated: c.people.updated,
        people_unchanged: c.people.unchanged,
        structures_created: c.structures.created,
        structures_updated: c.structures.updated,
        structures_unchanged: c.structures.unchanged,
        rejected: plan.rejected.length,
        warnings: plan.warnings.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const batch = `import:${id}`;
    const audit = sqlite.prepare(
      'INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );

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
          const before: Record<string, unknown> = {};
          const after: Record<string, unknown> = {};
          for (const ch of s.changes) {
            before[ch.field] = ch.before;
            after[ch.field] = ch.after;
          }
          audit.run(now, ctx.actor, 'update', 'structure', s.dbId, JSON.stringify(before), JSON.stringify(after), batch);
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
          const before: Record<string, unknown> = {};
          const after: Record<string, unknown> = {};
          for (const ch of p.changes) {
            before[ch.field] = ch.before;
            after[ch.field] = ch.after;
          }
          audit.run(now, ctx.actor, 'update', 'person', p.dbId, JSON.stringify(before), JSON.stringify(after), batch);
        } else if (p.before && (p.before.eligible !== elig || p.before.ineligible_json !== inel || p.before.warnings_json !== warn)) {
          // Same data, but the rules now decide differently (e.g. SIRO table imported since).
          updateDecision.run(elig, inel, warn, now, p.dbId);
        }
      }
    }
    // People not in the file whose structure changed: their warnings may change (SIRET found…).
    if (touchedStructures.length) {
      const others = (sqlite.prepare('SELECT id FROM people WHERE structure_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(touchedStructures)) as { id: number }[])
        .map((r) => r.id)
        .filter((pid) => !inFile.has(pid));
      if (others.length) refreshEligibility(sqlite, { personIds: others }, now);
    }

    // Rejected and warned rows, kept with the import.
    const issue = sqlite.prepare('INSERT INTO import_issues (import_id, row, level, code, message) VALUES (?, ?, ?, ?, ?)');
    for (const r of plan.rejected) issue.run(id, r.row, 'rejet', r.code, r.reason);
    for (const w of plan.warnings) issue.run(id, w.row, 'alerte', w.code, w.message);

    // The source file, in the pièces store.
    sqlite.prepare('INSERT INTO blobs (sha256, size, stored_at) VALUES (?, ?, ?) ON CONFLICT(sha256) DO NOTHING').run(blob.sha256, blob.size, now);
    const mime = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xls: 'application/vnd.ms-excel', ods: 'application/vnd.oasis.opendocument.spreadsheet', csv: 'text/csv' }[l.file.format];
    const piece = sqlite
      .prepare('INSERT INTO pieces (sha256, original_name, mime_type, size, added_at, owner_type, owner_id, role, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(blob.sha256, safeOriginalName(f.fileName), mime, blob.size, now, 'import', id, 'fichier_source', null);

    // The officer's corrected mapping is remembered for the next file with the same columns.
    if (l.mappingSource === 'agent') {
      sqlite
        .prepare('INSERT INTO app_settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json')
        .run(MAPPING_SETTING_PREFIX + l.signature, JSON.stringify(l.mapping));
    }

    await recordAudit(trx, ctx, {
      action: 'import',
      entity: 'import',
      entityId: id,
      after: { fileName: f.fileName, sha256, kind: l.kind, sheet: l.sheet.name, headerRow: l.headerIndex + 1, rows: plan.rows, ...c, rejected: plan.rejected.length, pieceId: Number(piece.lastInsertRowid) },
      batchId: batch,
    });
    return id;
  });
  return resultOf(plan, importId);
}
