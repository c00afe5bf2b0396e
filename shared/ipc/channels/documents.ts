// Channels of the documents the officer sends out: the application-form workbook for structures
// (step 2) and the consultation of training organisations for a need of the Marché (step 3):
// demande de devis / cahier des charges (PDF, Word), its stored free texts, the OF consulted and
// the side-by-side comparison of the quotes received.
import { z } from 'zod';
import { idSchema, isoDateSchema, longText, shortText } from '../common';

const fileOutput = z.object({ fileName: z.string(), contentBase64: z.string() });

export const modalitySchema = z.enum(['presentiel', 'distanciel', 'mixte']);

const consultationTexts = {
  contextText: longText,
  publicText: longText,
  placesText: longText,
  contentText: longText,
  criteriaText: longText,
};

export const consultationInput = z
  .object({
    marcheId: idSchema,
    reference: shortText.nullish(),
    deadline: isoDateSchema,
    groups: z.number().int().min(1).max(1000),
    modality: modalitySchema,
    contact: shortText.nullish(),
    ...consultationTexts,
    otherText: longText.nullish(),
    organismeIds: z.array(idSchema).max(200),
  })
  .strict();
export type ConsultationInput = z.infer<typeof consultationInput>;

export const consultationSchema = z.object({
  marcheId: idSchema,
  /** false: nothing stored yet, the values are the proposed defaults. */
  saved: z.boolean(),
  updatedAt: z.string().nullable(),
  reference: z.string().nullable(),
  deadline: z.string(),
  groups: z.number().int(),
  modality: modalitySchema,
  modalityLabel: z.string(),
  contact: z.string().nullable(),
  ...consultationTexts,
  otherText: z.string().nullable(),
  organismeIds: z.array(idSchema),
  /** The texts the app proposes, to start again from them. */
  defaults: z.object(consultationTexts),
  need: z.object({
    label: z.string(),
    kind: z.enum(['AN', 'AN_AC', 'AC']),
    kindLabel: z.string(),
    seats: z.number().int(),
    needStart: z.string().nullable(),
    needEnd: z.string().nullable(),
    period: z.string(),
    conventionLabel: z.string(),
    beneficiaireNom: z.string(),
    departement: z.string(),
    /** Eligible professionals of the census wishing this training. */
    wishing: z.number().int(),
  }),
  /** Fixed by the programme (convention art. 1, ANCT): not editable. */
  requirements: z.array(z.string()),
  documentsWithOffer: z.array(z.string()),
  documentsAfterSessions: z.array(z.string()),
});
export type Consultation = z.infer<typeof consultationSchema>;

export const quoteComparisonSchema = z.object({
  marcheId: idSchema,
  deadline: z.string().nullable(),
  groups: z.number().int(),
  seats: z.number().int(),
  offers: z.array(
    z.object({
      quoteId: idSchema,
      organismeId: idSchema,
      organismeName: z.string(),
      consulted: z.boolean(),
      quoteDate: z.string(),
      /** Received after the deadline of the consultation. */
      late: z.boolean(),
      reference: z.string().nullable(),
      trainingTitle: z.string().nullable(),
      hours: z.number().nullable(),
      amountHtCents: z.number().int(),
      vatCents: z.number().int(),
      vatExemption: z.string().nullable(),
      amountTtcCents: z.number().int(),
      pricePerSeatCents: z.number().int(),
      pricePerGroupCents: z.number().int(),
      qualiopiLabel: z.string(),
      hasQualiopiCertificate: z.boolean(),
      nda: z.string().nullable(),
      anctReferencedDate: z.string().nullable(),
      /** The chosen OF is referenced with ANCT after the choice, for every kind (a step, not a condition of the offer). */
      anctRequired: z.boolean(),
      hasQuoteFile: z.boolean(),
      /** Why this organisation could not be ordered from (Qualiopi), from the Marché rules. */
      problems: z.array(z.string()),
      /** Lowest TTC among the offers without problem. */
      cheapest: z.boolean(),
      chosen: z.boolean(),
    }),
  ),
  consultedWithoutAnswer: z.array(z.object({ organismeId: idSchema, organismeName: z.string() })),
});
export type QuoteComparison = z.infer<typeof quoteComparisonSchema>;

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
  /** The stored consultation of a need, or the proposed defaults when none is stored yet. */
  'documents.consultation.get': { input: z.object({ marcheId: idSchema }).strict(), output: consultationSchema },
  'documents.consultation.save': { input: consultationInput, output: consultationSchema },
  /** The demande de devis / cahier des charges: PDF to send, or Word (.docx) to edit further. */
  'documents.consultation.document': {
    input: z.object({ marcheId: idSchema, format: z.enum(['pdf', 'docx']) }).strict(),
    output: fileOutput,
  },
  'documents.consultation.comparison': { input: z.object({ marcheId: idSchema }).strict(), output: quoteComparisonSchema },
} as const;
