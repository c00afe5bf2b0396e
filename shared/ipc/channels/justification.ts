// Channels of step 5 — Présence et justification: the readiness checklist and the
// end-of-convention dossier (a job: progress with jobs.status, cancel with jobs.cancel).
import { z } from 'zod';
import { idSchema, pickedHandleSchema } from '../common';
import { jobStatusSchema } from './jobs';

export const checklistGroups = ['convention', 'depenses', 'objectif', 'departs', 'aidants_connect'] as const;

export const checklistItemSchema = z.object({
  key: z.string(),
  group: z.enum(checklistGroups),
  label: z.string(),
  missing: z.string(),
  link: z.string(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const checklistSchema = z.object({
  conventionId: idSchema,
  items: z.array(checklistItemSchema),
  groups: z.array(z.object({ group: z.enum(checklistGroups), label: z.string(), checked: z.number().int(), missing: z.number().int() })),
  missingCount: z.number().int(),
  ready: z.boolean(),
  /**
   * Points to check that do not block the dossier (not in missingCount): a training outside the
   * convention's window, a person trained who does not count, an unknown OPCO, an expense dated
   * outside the window. Each with the screen that corrects it. Codes in `key` (…:hors_fenetre, …:non_compte, …:opco_inconnu).
   */
  attention: z.array(checklistItemSchema),
});

/** What a finished dossier job returns (jobs.status → result). */
export const dossierResultSchema = z.object({
  zipPath: z.string(),
  folderPath: z.string(),
  zipSha256: z.string(),
  zipSize: z.number(),
  files: z.number().int(),
  departures: z.number().int(),
  missingCount: z.number().int(),
  date: z.string(),
  /** Hidden temporaries of an interrupted generation found in the folder: left there (never deleted), named for the officer. */
  staleTemporaries: z.array(z.string()),
  /** The dossier's two parts: what is sent to ANCT, what the département keeps (each with its manifest). */
  parts: z.array(z.object({ key: z.enum(['anct', 'departement']), label: z.string(), folderPath: z.string(), files: z.number().int() })),
  /** The ZIP's file name (what a download is saved as). */
  zipName: z.string(),
  /** One-time address part to download the ZIP from the web host (GET /telechargement/<id>). */
  telechargement: z.string(),
});
export type DossierResultDto = z.infer<typeof dossierResultSchema>;

export const justificationChannels = {
  'justification.checklist': {
    input: z.object({ conventionId: idSchema }).strict(),
    output: checklistSchema,
  },
  /** Where dossiers go unless the officer picks another folder (desktop app). */
  'justification.dossier.defaults': {
    input: z.object({}).strict(),
    output: z.object({ outDir: z.string() }),
  },
  /**
   * Starts the generation as a job (jobs.status gives progress and, at the end, a DossierResultDto;
   * jobs.cancel stops it). Into the data folder's « dossiers », or a folder picked in the desktop
   * app's dialog (destination: its handle). The web host offers the ZIP as a download.
   */
  'justification.dossier.start': {
    input: z.object({ conventionId: idSchema, destination: pickedHandleSchema.optional() }).strict(),
    output: jobStatusSchema,
  },
} as const;
