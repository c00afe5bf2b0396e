// Channels of step 5 — Présence et justification: the readiness checklist and the
// end-of-convention dossier (a job: progress with jobs.status, cancel with jobs.cancel).
import { z } from 'zod';
import { idSchema, pickedHandleSchema } from '../common';
import { jobStatusSchema } from './jobs';

export const checklistGroups = ['convention', 'depenses', 'objectif', 'departs'] as const;

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
