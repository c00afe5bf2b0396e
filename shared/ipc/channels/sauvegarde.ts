// Backups, restore, start-up check, history and undo (issue "Fiabilité").
import { z } from 'zod';
import { idSchema, pickedHandleSchema } from '../common';

export const backupInfoSchema = z.object({
  name: z.string(),
  at: z.string(),
  reason: z.string(),
  reasonLabel: z.string(),
  size: z.number().int(),
});

export const checkReportSchema = z.object({
  checkedAt: z.string(),
  ok: z.boolean(),
  database: z.object({ ok: z.boolean(), problems: z.array(z.string()) }),
  missingPieces: z.array(
    z.object({ pieceId: z.number().int(), sha256: z.string(), originalName: z.string(), ownerType: z.string(), ownerId: z.number().int() }),
  ),
  recoveredPieces: z.number().int(),
  orphansMoved: z.number().int(),
  tmpRemoved: z.number().int(),
  setAside: z.object({ file: z.string(), reason: z.string() }).nullable(),
  messages: z.array(z.string()),
});
export type CheckReportDto = z.infer<typeof checkReportSchema>;

export const backupStateSchema = z.object({
  dossier: z.string(),
  dossierParDefaut: z.string(),
  dossierDonnees: z.string(),
  fichierBase: z.string(),
  journal: z.string().nullable(),
  sauvegardes: z.array(backupInfoSchema),
  conservees: z.object({ quotidiennes: z.number().int(), automatiques: z.number().int(), manuelles: z.number().int(), avantRestauration: z.number().int() }),
  verification: checkReportSchema,
});

const lastOperationSchema = z.object({
  firstId: z.number().int(),
  lastId: z.number().int(),
  count: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  /** French labels served by the services (the screen shows these, never the codes). */
  actionLabel: z.string(),
  recordLabel: z.string(),
  batchId: z.string().nullable(),
  undoable: z.boolean(),
  reason: z.string().nullable(),
  backup: z.string().nullable(),
});

const restoreResultSchema = z.object({
  restored: backupInfoSchema,
  previousKeptAs: z.string(),
  verification: checkReportSchema,
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.number().int().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  batchId: z.string().nullable(),
  /** French, served by the services: « Pièce jointe », « Pièce n° 3 », « Rôle : Convention signée »… */
  actionLabel: z.string(),
  recordLabel: z.string(),
  changes: z.object({
    lines: z.array(z.object({ label: z.string(), before: z.string().optional(), after: z.string().optional() })),
    more: z.number().int(),
  }),
});

export const sauvegardeChannels = {
  /** Backup folder, list of backups, last start-up check (or a fresh one with refresh). */
  'sauvegarde.etat': {
    input: z.object({ refresh: z.boolean().optional() }).strict(),
    output: backupStateSchema,
  },
  'sauvegarde.creer': {
    input: z.object({}).strict(),
    output: backupInfoSchema,
  },
  /**
   * Restores a backup of the backup folder (name as listed by sauvegarde.etat) or a database file
   * picked in the desktop app's dialog (its handle): never a path.
   */
  'sauvegarde.restaurer': {
    input: z.union([
      z.object({ name: z.string().regex(/^fne-formations_[0-9TZ_a-z-]{1,80}\.sqlite$/, 'Sauvegarde inconnue.') }).strict(),
      z.object({ fichier: pickedHandleSchema }).strict(),
    ]),
    output: restoreResultSchema,
  },
  /** Changes the backup folder to one picked in the desktop app's dialog (its handle; null = back to the default one inside the data folder). */
  'sauvegarde.dossier': {
    input: z.object({ dossier: pickedHandleSchema.nullable() }).strict(),
    output: backupStateSchema,
  },
  'historique.liste': {
    input: z
      .object({
        limit: z.number().int().min(1).max(500).optional(),
        beforeId: idSchema.optional(),
        entity: z.string().max(60).optional(),
        batchId: z.string().max(120).optional(),
      })
      .strict(),
    output: z.object({ entries: z.array(auditEntrySchema), hasMore: z.boolean(), lastOperation: lastOperationSchema.nullable() }),
  },
  /** Undoes the last operation (lastId: the one shown to the officer). */
  'historique.annuler': {
    input: z.object({ lastId: idSchema }).strict(),
    output: z.object({ undone: lastOperationSchema, previousKeptAs: z.string(), verification: checkReportSchema, message: z.string() }),
  },
} as const;
