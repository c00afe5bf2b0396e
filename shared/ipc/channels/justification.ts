// Channels of step 5 — Présence et justification: the readiness checklist and the
// end-of-convention dossier (a long job with progress and cancel, polled by the screen).
import { z } from 'zod';
import { idSchema } from '../common';

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

export const dossierJobSchema = z.object({
  jobId: z.string(),
  conventionId: idSchema,
  status: z.enum(['en_cours', 'termine', 'echec', 'annule']),
  done: z.number().int(),
  total: z.number().int(),
  bytes: z.number(),
  current: z.string(),
  message: z.string().nullable(),
  result: z
    .object({
      zipPath: z.string(),
      folderPath: z.string(),
      zipSha256: z.string(),
      zipSize: z.number(),
      files: z.number().int(),
      departures: z.number().int(),
      missingCount: z.number().int(),
      date: z.string(),
    })
    .nullable(),
});
export type DossierJob = z.infer<typeof dossierJobSchema>;

export const justificationChannels = {
  'justification.checklist': {
    input: z.object({ conventionId: idSchema }).strict(),
    output: checklistSchema,
  },
  /** Where dossiers go unless the officer names another folder. */
  'justification.dossier.defaults': {
    input: z.object({}).strict(),
    output: z.object({ outDir: z.string() }),
  },
  /** Starts the generation; the screen polls status and may cancel. */
  'justification.dossier.start': {
    input: z.object({ conventionId: idSchema, outDir: z.string().max(1000).optional() }).strict(),
    output: dossierJobSchema,
  },
  'justification.dossier.status': {
    input: z.object({ jobId: z.string().max(100) }).strict(),
    output: dossierJobSchema,
  },
  'justification.dossier.cancel': {
    input: z.object({ jobId: z.string().max(100) }).strict(),
    output: dossierJobSchema,
  },
} as const;
