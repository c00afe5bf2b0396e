import { z } from 'zod';
import { idSchema } from '../common';

export const stepKeys = ['convention', 'recensement', 'marche', 'sessions', 'justification'] as const;
export const stepStatusSchema = z.enum(['a_faire', 'en_cours', 'termine']);

export const dashboardSchema = z.object({
  conventionId: idSchema,
  amountCents: z.number().int(),
  receivedCents: z.number().int(),
  committedCents: z.number().int(),
  paidCents: z.number().int(),
  departures: z.object({ planned: z.number().int(), done: z.number().int(), target: z.number().int() }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const guideSchema = z.object({
  conventionId: idSchema.nullable(),
  steps: z.array(
    z.object({
      key: z.enum(stepKeys),
      number: z.number().int(),
      title: z.string(),
      status: stepStatusSchema,
      statusLabel: z.string(),
      summary: z.string(),
    }),
  ),
  dashboard: dashboardSchema.nullable(),
});
export type Guide = z.infer<typeof guideSchema>;

export const statsSchema = z.object({
  conventions: z.number().int(),
  structures: z.number().int(),
  people: z.number().int(),
  eligible: z.number().int(),
  ineligible: z.record(z.string(), z.number().int()),
  warnings: z.record(z.string(), z.number().int()),
  departures: z.object({ planned: z.number().int(), done: z.number().int(), target: z.number().int() }),
  budget: z.object({
    amount_cents: z.number().int(),
    received_cents: z.number().int(),
    committed_cents: z.number().int(),
    paid_cents: z.number().int(),
  }),
});
export type Stats = z.infer<typeof statsSchema>;

export const guideChannels = {
  /** Home: the five steps with their status, and the dashboard of the selected convention. */
  'guide.get': {
    input: z.object({ conventionId: idSchema.optional() }).strict(),
    output: guideSchema,
  },
  'stats.get': {
    input: z.object({ conventionId: idSchema.optional() }).strict(),
    output: statsSchema,
  },
} as const;
