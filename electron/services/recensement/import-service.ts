// Preview and commit of an import. The preview writes nothing; the commit recomputes the plan
// from the same bytes (no state kept between the two) and applies it in ONE transaction:
// import record, structures, people, issues, source file in the pièces store, audit.
import type Database from 'better-sqlite3';
import type { ImportBatchPreview, ImportBatchResult, ImportPreview, ImportResult } from '../../../shared/ipc/channels/recensement';
import { collectGarbage } from '../common/tabular/memory';
import { formatLabels } from '../common/tabular/read';
import { readUntrusted } from '../common/untrusted/run';
import type { ServiceContext } from '../context';
import { AppError } from '../errors';
import { breathe, type JobProgress } from '../jobs';
import { backupBefore } from '../sauvegarde/backup';
import { sha256Of } from '../pieces/store';
import { fieldLabels, importFields, kindLabels, requiredFields } from './fields';
import {
  buildPlan,
  countPlan,
  dateQuestionMessage,
  locate,
  missingRequired,
  missingRequiredMessage,
  throwIfCancelled,
  type FieldChange,
  type ImportOptions,
  type Located,
  type Plan,
} from './importer';
import { displayValue, previewRows } from './import/preview-rows';
import { lastAuditId, writePlan } from './import/write-plan';

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
      const opts = files[i].options ?? {};
      // Parsed in the worker (memory and time caps), after the archive's pre-checks.
      const file = await readUntrusted(files[i].bytes, files[i].fileName, { sheet: opts.sheet });
      throwIfCancelled(tools.signal);
      out.push(locate(ctx, file, files[i].fileName, opts));
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

/** A change as the officer reads it (Oui/Non, dd/mm/yyyy, labels), not as stored. */
const shown = (c: FieldChange): FieldChange => ({ ...c, before: displayValue(c.field, c.before), after: displayValue(c.field, c.after) });

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
      if (changes.length < MAX_CHANGES_SHOWN) changes.push({ entity: 'structure', row: s.row, label: s.values.name, fields: s.changes.map(shown) });
    }
    for (const p of plan.people) {
      if (p.status !== 'updated' || p.file !== fi) continue;
      changesTotal++;
      if (changes.length < MAX_CHANGES_SHOWN) changes.push({ entity: 'personne', row: p.row, label: `${p.values.prenom} ${p.values.nom}`, fields: p.changes.map(shown) });
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
    columns: headers.map((header, index) => ({ index, header, field: mapping[index], samples: located.samples[index] ?? [], reason: located.reasons[index] ?? null })),
    dateQuestions: located.dateQuestions.map((q) => ({ column: q.column, header: q.header, field: q.field, examples: q.examples })),
    sampleRows: plan ? previewRows(plan, fi) : [],
    fields: importFields.map((key) => ({ key, label: fieldLabels[key], required: requiredFields.includes(key) })),
    mappingSource: located.mappingSource,
    missingRequired: missing,
    missingMessage: missing.length ? missingRequiredMessage(located) : located.dateQuestions.length ? dateQuestionMessage(located) : null,
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
  // A file whose dates' order is still to say is shown (question asked) but not counted: no guess.
  const complete = located.filter((l) => missingRequired(l.mapping).length === 0 && l.dateQuestions.length === 0);
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
    // Files to fix alone in the wizard: required columns missing, or the order of their dates to say.
    missingRequired: previews.filter((p) => p.missingRequired.length > 0 || p.dateQuestions.length > 0).map((p) => p.fileName),
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
    const q = located[i].dateQuestions;
    if (q.length) throw new AppError('validation', filePrefix(files, i) + dateQuestionMessage(located[i]), { details: { dateQuestions: q.map((x) => x.header), file: files[i].fileName } });
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

/**
 * Imports one or several files in ONE transaction (all or nothing). Rows that would be rejected
 * block the import unless the officer accepted them (acceptRejected): then the good rows only
 * are imported and the rejected ones listed. A backup is taken first (so the import can be
 * undone from the history); a cancel (tools.signal) rolls everything back.
 */
export async function commitImport(ctx: ServiceContext, files: ImportFileInput[], opts: { acceptRejected?: boolean }, tools: ImportTools = {}): Promise<ImportBatchResult> {
  const { signal, progress } = tools;
  const plan = await planFiles(ctx, files, tools);
  if (plan.rejected.length > 0 && !opts.acceptRejected) throw rejectedRowsError(plan, files);
  if (plan.people.length === 0 && plan.structures.length === 0) {
    throw new AppError('validation', `Aucune ligne à importer dans ${files.length > 1 ? 'ces fichiers' : 'ce fichier'}. Rien n’a été importé.`);
  }
  // The plan was built against the database as it is now; the backup is of that same state.
  const marker = lastAuditId(ctx);
  progress?.({ done: 0, total: 0, label: 'Sauvegarde de la base avant l’import' });
  await backupBefore(ctx, 'import');
  throwIfCancelled(signal);
  const importIds = await writePlan(ctx, plan, files, marker, tools);
  const totalWrites = plan.structures.length + plan.people.length;
  progress?.({ done: totalWrites, total: totalWrites, label: 'Import terminé' });
  const results = importIds.map((id, fi) => resultOf(plan, id, fi));
  const total = countPlan(plan);
  return { files: results, rows: plan.rows, people: total.people, structures: total.structures };
}

function rejectedRowsError(plan: Plan, files: ImportFileInput[]): AppError {
  const n = plan.rejected.length;
  const where = (r: (typeof plan.rejected)[number]) => (files.length > 1 ? `« ${files[r.file].fileName} » ligne ${r.row}` : `ligne ${r.row}`);
  return new AppError(
    'validation',
    `${n} ligne${n > 1 ? 's' : ''} du fichier ser${n > 1 ? 'ont' : 'a'} rejetée${n > 1 ? 's' : ''} (${plan.rejected
      .slice(0, 5)
      .map(where)
      .join(', ')}${n > 5 ? '…' : ''}). Corrigez le fichier ou confirmez l’import des autres lignes. Rien n’a été importé.`,
    { details: { rejected: plan.rejected.map((r) => ({ file: files[r.file].fileName, row: r.row, code: r.code, reason: r.reason })) } },
  );
}

/** Imports one file (see commitImport). */
export async function importCommit(ctx: ServiceContext, f: ImportFile, opts: ImportOptions & { acceptRejected?: boolean }, tools: ImportTools = {}): Promise<ImportResult> {
  const { acceptRejected, ...options } = opts;
  return (await commitImport(ctx, [{ ...f, options }], { acceptRejected }, tools)).files[0];
}
