// Channels of the documents the officer sends out: the application-form workbook for structures
// (step 2) and the consultation of training organisations for a need of the Marché (step 3):
// demande de devis / cahier des charges (PDF, Word), its stored free texts, the OF consulted and
// the side-by-side comparison of the quotes received.
import { z } from 'zod';
import { idSchema, isoDateSchema, longText, shortText } from '../common';

const fileOutput = z.object({ fileName: z.string(), contentBase64: z.string() });

export const documentsChannels = {
  /** The application form (xlsx) for one convention; optionally pre-filled with one structure's known professionals. */
  'documents.formulaire.xlsx': {
    input: z
      .object({
        conventionId: idSchema,
        rows: z.number().int().min(1).max(2000).optional(),
        deadline: isoDateSchema.nullish(),
        returnTo: shortText.nullish(),
        structureId: idSchema.nullish(),
      })
      .strict(),
    output: fileOutput,
  },
} as const;
