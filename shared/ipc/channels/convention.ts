import { z } from 'zod';
import { amountSchema, idSchema, optionalAmountSchema, isoDateSchema, shortText } from '../common';

export const engineeringActionInput = z
  .object({
    /** Present for an action already recorded: it is updated in place (expenses refer to it). */
    id: idSchema.optional(),
    label: z.string().max(300),
    plannedCents: amountSchema,
  })
  .strict();

/** What the officer types for a convention. Optional fields may be filled later. */
export const conventionInput = z
  .object({
    label: shortText.optional(),
    departement: z.string().max(3),
    beneficiaireNom: z.string().max(300),
    beneficiaireSiret: z.string().max(40).nullish(),
    designationDate: isoDateSchema.nullish(),
    signatureDate: isoDateSchema.nullish(),
    anctReference: shortText.nullish(),
    amountCents: amountSchema.optional(),
    fundsReceivedDate: isoDateSchema.nullish(),
    fundsReceivedCents: optionalAmountSchema,
    endDate: isoDateSchema.optional(),
    departureTarget: z.number().int().min(1).max(100_000).optional(),
    fraisGestionPlannedCents: amountSchema.optional(),
    engineeringActions: z.array(engineeringActionInput).max(50).optional(),
  })
  .strict();
export type ConventionInput = z.infer<typeof conventionInput>;

export const conventionSchema = z.object({
  id: idSchema,
  label: z.string(),
  departement: z.string(),
  beneficiaireNom: z.string(),
  beneficiaireSiret: z.string().nullable(),
  designationDate: z.string().nullable(),
  signatureDate: z.string().nullable(),
  anctReference: z.string().nullable(),
  amountCents: z.number().int(),
  fundsReceivedDate: z.string().nullable(),
  fundsReceivedCents: z.number().int().nullable(),
  endDate: z.string(),
  departureTarget: z.number().int(),
  fraisGestionPlannedCents: z.number().int(),
  engineeringActions: z.array(
    z.object({ id: idSchema, label: z.string(), plannedCents: z.number().int() }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Convention = z.infer<typeof conventionSchema>;

export const conventionChannels = {
  'convention.list': {
    input: z.object({}).strict(),
    output: z.array(conventionSchema),
  },
  'convention.get': {
    input: z.object({ id: idSchema }).strict(),
    output: conventionSchema,
  },
  'convention.create': {
    input: conventionInput,
    output: conventionSchema,
  },
  'convention.update': {
    input: z.object({ id: idSchema, patch: conventionInput.partial() }).strict(),
    output: conventionSchema,
  },
  /** Defaults a new convention starts from (amount, end date, target) — decided by the service. */
  'convention.defaults': {
    input: z.object({}).strict(),
    output: z.object({
      amountCents: z.number().int(),
      endDate: z.string(),
      departureTarget: z.number().int(),
    }),
  },
} as const;
