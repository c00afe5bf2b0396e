// Channels of the recensement capability: imports of lists (preview, commit), people and
// structures (list, detail, manual entry, merge), eligibility overrides, SIRO table.
import { z } from 'zod';
import { idSchema, isoDateSchema, shortText } from '../common';
import { jobStatusSchema } from './jobs';
import { MAX_PIECE_BYTES } from './pieces';

export const importFieldKeys = [
  'nom', 'prenom', 'email', 'telephone', 'profession', 'conseiller_numerique', 'statut', 'uniformation', 'deja_sensibilise', 'formation_souhaitee', 'date_formation',
  'organisme_formation', 'date_demande', 'commentaire', 'aidant_actif', 'referent', 'structure_nom', 'siret', 'structure_type', 'adresse',
  'code_postal', 'commune', 'departement', 'structure_email', 'datapass_id', 'habilitation_ac', 'france_services', 'statut_employeur', 'nom_complet',
  'anct_eligibilite', 'anct_financement', 'anct_participation',
] as const;
export const importKindKeys = ['anct', 'grist', 'formulaire', 'other'] as const;
export const trainingWishSchema = z.enum(['AN', 'AC', 'AN_AC']);

const counts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
const rejectedRow = z.object({ row: z.number().int(), code: z.string(), reason: z.string() });
const warningRow = z.object({ row: z.number().int(), code: z.string(), message: z.string() });
const labelled = z.object({ code: z.string(), label: z.string() });

export const importFileInput = z
  .object({
    fileName: z.string().min(1).max(255),
    contentBase64: z.string().max(Math.ceil((MAX_PIECE_BYTES * 4) / 3) + 8),
    kind: z.enum(['auto', ...importKindKeys]).optional(),
    sheet: z.string().max(200).optional(),
    headerRow: z.number().int().min(1).max(1_000_000).optional(),
    mapping: z.array(z.enum(importFieldKeys).nullable()).max(1000).optional(),
    /** Day/month order of the date columns no value decides: jour/mois/année or mois/jour/année. */
    dates: z.enum(['jma', 'mja']).optional(),
    /** Header → field (null: ignored), given by name (the CLI's --map « En-tête=champ »); the other columns are inferred. */
    map: z.record(z.string().max(300), z.enum(importFieldKeys).nullable()).optional(),
  })
  .strict();

/** A row of the preview as it will be stored, in French (labels, dd/mm/yyyy, Oui/Non). */
export const importPreviewRowSchema = z.object({
  row: z.number().int(),
  nom: z.string(),
  prenom: z.string(),
  email: z.string(),
  structure: z.string(),
  siret: z.string(),
  departement: z.string(),
  formation: z.string(),
  dateDemande: z.string(),
  statut: z.string(),
  eligibilite: z.string(),
});

export const importPreviewSchema = z.object({
  fileName: z.string(),
  sha256: z.string(),
  format: z.string(),
  formatLabel: z.string(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  kind: z.enum(importKindKeys),
  kindLabel: z.string(),
  detectedKind: z.enum(importKindKeys),
  /** rows: null when that sheet was not read (another sheet was chosen). */
  sheets: z.array(z.object({ name: z.string(), rows: z.number().int().nullable() })),
  sheet: z.string(),
  headerRow: z.number().int(),
  columns: z.array(
    z.object({
      index: z.number().int(),
      header: z.string(),
      field: z.enum(importFieldKeys).nullable(),
      samples: z.array(z.string()),
      /** Why the column got its field (« en-tête « Mail pro » (mail) ; contenu : 90 adresses e-mail »). */
      reason: z.string().nullable(),
    }),
  ),
  /** Date columns whose day/month order no value decides: the officer chooses (`dates`). */
  dateQuestions: z.array(z.object({ column: z.number().int(), header: z.string(), field: z.string(), examples: z.array(z.string()) })),
  /** The first rows as they will be stored. */
  sampleRows: z.array(importPreviewRowSchema),
  fields: z.array(z.object({ key: z.enum(importFieldKeys), label: z.string(), required: z.boolean() })),
  mappingSource: z.enum(['automatique', 'memorisee', 'agent']),
  missingRequired: z.array(z.string()),
  missingMessage: z.string().nullable(),
  rows: z.number().int(),
  people: counts,
  structures: counts,
  ineligible: z.record(z.string(), z.number().int()),
  rejected: z.array(rejectedRow),
  warnings: z.array(warningRow),
  changes: z.array(
    z.object({
      entity: z.enum(['personne', 'structure']),
      row: z.number().int(),
      label: z.string(),
      fields: z.array(z.object({ field: z.string(), label: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
    }),
  ),
  changesTotal: z.number().int(),
  previousImports: z.array(z.object({ id: idSchema, importedAt: z.string(), fileName: z.string() })),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const importResultSchema = z.object({
  importId: idSchema,
  kind: z.enum(importKindKeys),
  sheet: z.string(),
  headerRow: z.number().int(),
  rows: z.number().int(),
  people: counts,
  structures: counts,
  rejected: z.array(rejectedRow),
  warnings: z.array(warningRow),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** Several files imported in one go (e.g. the application forms structures sent back): one preview. */
const batchFiles = z.array(importFileInput).min(1).max(30);
const fileRejected = rejectedRow.extend({ file: z.number().int(), fileName: z.string() });
const fileWarning = warningRow.extend({ file: z.number().int(), fileName: z.string() });

export const importBatchPreviewSchema = z.object({
  /** One preview per file: its kind, sheet, mapping, its own counts and rows rejected or warned. */
  files: z.array(importPreviewSchema),
  /** Totals of the files that can be imported (files missing required columns are not counted). */
  rows: z.number().int(),
  people: counts,
  structures: counts,
  ineligible: z.record(z.string(), z.number().int()),
  /** Names of the files whose required columns are missing (mapping to fix). */
  missingRequired: z.array(z.string()),
  rejected: z.array(fileRejected),
  warnings: z.array(fileWarning),
});
export type ImportBatchPreview = z.infer<typeof importBatchPreviewSchema>;

export const importBatchResultSchema = z.object({
  files: z.array(importResultSchema),
  rows: z.number().int(),
  people: counts,
  structures: counts,
});
export type ImportBatchResult = z.infer<typeof importBatchResultSchema>;

export const personRowSchema = z.object({
  id: idSchema,
  nom: z.string(),
  prenom: z.string(),
  email: z.string().nullable(),
  profession: z.string().nullable(),
  structureId: idSchema.nullable(),
  structureName: z.string().nullable(),
  trainingWish: trainingWishSchema.nullable(),
  eligible: z.boolean(),
  overridden: z.boolean(),
  ineligible: z.array(labelled),
  warnings: z.array(labelled),
  /** Agent of a local authority or of the State: the guide's priority. */
  publicAgent: z.boolean(),
});
export type PersonRow = z.infer<typeof personRowSchema>;

export const personValuesInput = z
  .object({
    nom: z.string().max(200),
    prenom: z.string().max(200),
    email: z.string().max(254).nullish(),
    phone: z.string().max(60).nullish(),
    profession: z.string().max(300).nullish(),
    structureId: idSchema.nullish(),
    conseillerNumerique: z.boolean().nullish(),
    statut: z.string().max(100).nullish(),
    uniformation: z.boolean().nullish(),
    dejaSensibilise: z.boolean().nullish(),
    trainingWish: trainingWishSchema.nullish(),
    trainingDate: isoDateSchema.nullish(),
    trainingOrg: z.string().max(300).nullish(),
    comment: z.string().max(5000).nullish(),
  })
  .strict();
export type PersonValuesInput = z.infer<typeof personValuesInput>;

export const personSchema = personRowSchema.extend({
  phone: z.string().nullable(),
  conseillerNumerique: z.boolean().nullable(),
  statut: z.string().nullable(),
  uniformation: z.boolean().nullable(),
  dejaSensibilise: z.boolean().nullable(),
  trainingDate: z.string().nullable(),
  trainingOrg: z.string().nullable(),
  requestDate: z.string().nullable(),
  comment: z.string().nullable(),
  ruleEligible: z.boolean(),
  override: z.object({ eligible: z.boolean(), reason: z.string(), at: z.string().nullable(), by: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof personSchema>;

export const structureValuesInput = z
  .object({
    name: z.string().max(300),
    siret: z.string().max(40).nullish(),
    type: z.string().max(200).nullish(),
    address: z.string().max(500).nullish(),
    postcode: z.string().max(10).nullish(),
    city: z.string().max(200).nullish(),
    departement: z.string().max(3).nullish(),
    email: z.string().max(254).nullish(),
    note: z.string().max(5000).nullish(),
  })
  .strict();
export type StructureValuesInput = z.infer<typeof structureValuesInput>;

export const structureSchema = z.object({
  id: idSchema,
  name: z.string(),
  siret: z.string().nullable(),
  siren: z.string().nullable(),
  type: z.string().nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  departement: z.string().nullable(),
  email: z.string().nullable(),
  note: z.string().nullable(),
  opco: z.string().nullable(),
  people: z.number().int(),
  eligible: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Structure = z.infer<typeof structureSchema>;

const listPaging = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };

export const recensementChannels = {
  /** Reads the file and says what an import would do; nothing is written. */
  'recensement.importPreview': { input: importFileInput, output: importPreviewSchema },
  /** Imports the file in one transaction; refuses when rows would be rejected unless acceptRejected. */
  'recensement.importCommit': {
    input: importFileInput.extend({ acceptRejected: z.boolean().default(false) }).strict(),
    output: importResultSchema,
  },
  /** Preview of one or several files as a job (jobs.status gives progress, then the ImportBatchPreview). */
  'recensement.import.previewStart': { input: z.object({ files: batchFiles }).strict(), output: jobStatusSchema },
  /**
   * Import of one or several files as a job, in ONE transaction, after a backup: jobs.status gives
   * the progress (rows read, rows written) then the ImportBatchResult; jobs.cancel leaves the base unchanged.
   */
  'recensement.import.start': { input: z.object({ files: batchFiles, acceptRejected: z.boolean().default(false) }).strict(), output: jobStatusSchema },
  'recensement.imports.list': {
    input: z.object({}).strict(),
    output: z.array(
      z.object({
        id: idSchema,
        fileName: z.string(),
        sha256: z.string(),
        kind: z.string(),
        kindLabel: z.string(),
        importedAt: z.string(),
        rows: z.number().int(),
        people: counts,
        structures: counts,
        rejected: z.number().int(),
        warnings: z.number().int(),
      }),
    ),
  },
  /** Codes and French labels of the rules, trainings and import fields (for filters and forms). */
  'recensement.rules': {
    input: z.object({}).strict(),
    output: z.object({
      ineligible: z.array(labelled),
      warnings: z.array(labelled),
      trainings: z.array(labelled),
      /** Short French names of the import's warning codes and of the ineligibility codes (preview counts, badges). */
      importWarnings: z.array(labelled),
      ineligibleShort: z.array(labelled),
    }),
  },
  'recensement.people.list': {
    input: z
      .object({
        search: z.string().max(200).optional(),
        eligibility: z.enum(['all', 'eligible', 'ineligible']).default('all'),
        reason: z.string().max(60).optional(),
        warning: z.string().max(60).optional(),
        structureId: idSchema.optional(),
        training: z.enum(['AN', 'AC', 'AN_AC', 'none']).optional(),
        /** agents_publics: agents of local authorities and of the State (the guide's priority). */
        priority: z.enum(['agents_publics']).optional(),
        sort: z.enum(['nom', 'prenom', 'email', 'structure', 'training', 'eligible']).default('nom'),
        dir: z.enum(['asc', 'desc']).default('asc'),
        ...listPaging,
      })
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(personRowSchema) }),
  },
  'recensement.people.get': { input: z.object({ id: idSchema }).strict(), output: personSchema },
  'recensement.people.save': { input: z.object({ id: idSchema.optional(), values: personValuesInput }).strict(), output: personSchema },
  /** The officer decides against the rules (eligible: null removes the decision); the reason is kept. */
  'recensement.people.override': {
    input: z.object({ id: idSchema, eligible: z.boolean().nullable(), reason: shortText }).strict(),
    output: personSchema,
  },
  /** Two records of the same person: the second is folded into the first and removed. */
  'recensement.people.merge': { input: z.object({ keepId: idSchema, mergeId: idSchema }).strict(), output: personSchema },
  'recensement.structures.list': {
    input: z
      .object({
        search: z.string().max(200).optional(),
        sort: z.enum(['name', 'siret', 'type', 'city', 'departement', 'people']).default('name'),
        dir: z.enum(['asc', 'desc']).default('asc'),
        ...listPaging,
      })
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(structureSchema) }),
  },
  'recensement.structures.get': { input: z.object({ id: idSchema }).strict(), output: structureSchema },
  'recensement.structures.save': { input: z.object({ id: idSchema.optional(), values: structureValuesInput }).strict(), output: structureSchema },
  'recensement.structures.merge': { input: z.object({ keepId: idSchema, mergeId: idSchema }).strict(), output: structureSchema },
  /** France compétences' SIRET → OPCO table (SIRO), to flag employers covered by Uniformation. */
  'recensement.opco.import': {
    input: z.object({ fileName: z.string().min(1).max(255), contentBase64: z.string().max(Math.ceil((MAX_PIECE_BYTES * 4) / 3) + 8) }).strict(),
    output: z.object({ rows: z.number().int(), uniformation: z.number().int(), peopleChanged: z.number().int() }),
  },
} as const;
