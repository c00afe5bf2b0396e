import type { JobKind } from '../../../shared/codes';
import type { recensementChannels } from '../../../shared/ipc/channels/recensement';
import type { ParsedInputOf } from '../../../shared/ipc/contract';
import { AppError } from '../errors';
import type { HandlerMap } from '../handler-types';
import { ineligibilityRules, trainingLabels, warningRules } from './eligibility';
import { kindLabels } from './fields';
import { importWarningLabels, ineligibleShortLabels } from './labels';
import { startJob } from '../jobs';
import { commitImport, importCommit, importPreview, previewImport, type ImportFileInput } from './import-service';
import { importOpcoTable } from './opco';
import { getPerson, getStructure, listPeople, listStructures, mergePeople, mergeStructures, overrideEligibility, savePerson, saveStructure } from './records';
import type { Row } from '../../db/rows';

function decodeBase64(b64: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new AppError('invalid_input', "Le contenu du fichier n'a pas pu être lu (encodage invalide).");
  return Buffer.from(b64, 'base64');
}

type FileInput = ParsedInputOf<'recensement.import.start'>['files'][number];

function filesOf(files: FileInput[]): ImportFileInput[] {
  return files.map((f) => ({ fileName: f.fileName, bytes: decodeBase64(f.contentBase64), options: { kind: f.kind, sheet: f.sheet, headerRow: f.headerRow, mapping: f.mapping, dates: f.dates, map: f.map } }));
}

export const recensementHandlers: HandlerMap<keyof typeof recensementChannels> = {
  'recensement.importPreview': (ctx, i) =>
    importPreview(ctx, { fileName: i.fileName, bytes: decodeBase64(i.contentBase64) }, { kind: i.kind, sheet: i.sheet, headerRow: i.headerRow, mapping: i.mapping, dates: i.dates }),
  'recensement.importCommit': (ctx, i) =>
    importCommit(ctx, { fileName: i.fileName, bytes: decodeBase64(i.contentBase64) }, { kind: i.kind, sheet: i.sheet, headerRow: i.headerRow, mapping: i.mapping, dates: i.dates, acceptRejected: i.acceptRejected }),
  'recensement.import.previewStart': async (ctx, i) => {
    const files = filesOf(i.files);
    return startJob(ctx, 'recensement-apercu' satisfies JobKind, ({ signal, progress }) => previewImport(ctx, files, { signal, progress }));
  },
  'recensement.import.start': async (ctx, i) => {
    const files = filesOf(i.files);
    return startJob(ctx, 'recensement-import' satisfies JobKind, ({ signal, progress }) => commitImport(ctx, files, { acceptRejected: i.acceptRejected }, { signal, progress }));
  },
  'recensement.imports.list': async (ctx) => {
    const rows = ctx.store.sqlite.prepare('SELECT * FROM imports ORDER BY id DESC').all() as Row<'imports'>[];
    return rows.map((r) => ({
      id: r.id,
      fileName: r.file_name,
      sha256: r.sha256,
      kind: r.kind,
      kindLabel: kindLabels[r.kind as keyof typeof kindLabels] ?? r.kind,
      importedAt: r.imported_at,
      rows: r.rows,
      people: { created: r.people_created, updated: r.people_updated, unchanged: r.people_unchanged },
      structures: { created: r.structures_created, updated: r.structures_updated, unchanged: r.structures_unchanged },
      rejected: r.rejected,
      warnings: r.warnings,
    }));
  },
  'recensement.rules': async () => ({
    ineligible: Object.entries(ineligibilityRules).map(([code, label]) => ({ code, label })),
    warnings: Object.entries(warningRules).map(([code, label]) => ({ code, label })),
    trainings: Object.entries(trainingLabels).map(([code, label]) => ({ code, label })),
    importWarnings: Object.entries(importWarningLabels).map(([code, label]) => ({ code, label })),
    ineligibleShort: Object.entries(ineligibleShortLabels).map(([code, label]) => ({ code, label })),
  }),
  'recensement.people.list': (ctx, q) => listPeople(ctx, q),
  'recensement.people.get': (ctx, { id }) => getPerson(ctx, id),
  'recensement.people.save': (ctx, { id, values }) => savePerson(ctx, id, values),
  'recensement.people.override': (ctx, { id, eligible, reason }) => overrideEligibility(ctx, id, eligible, reason),
  'recensement.people.merge': (ctx, { keepId, mergeId }) => mergePeople(ctx, keepId, mergeId),
  'recensement.structures.list': (ctx, q) => listStructures(ctx, q),
  'recensement.structures.get': (ctx, { id }) => getStructure(ctx, id),
  'recensement.structures.save': (ctx, { id, values }) => saveStructure(ctx, id, values),
  'recensement.structures.merge': (ctx, { keepId, mergeId }) => mergeStructures(ctx, keepId, mergeId),
  'recensement.opco.import': (ctx, i) => importOpcoTable(ctx, i.fileName, decodeBase64(i.contentBase64)),
};
