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
  /** Departures done that do not count toward the target, by reason code (sessions/rules.ts: notCountedCodes). */
  notCounted: z.array(z.object({ code: z.string(), label: z.string(), count: z.number().int() })),
  /** The convention's window: signature (null: not entered), end date, days left until it (negative: passed). */
  window: z.object({ signatureDate: z.string().nullable(), endDate: z.string(), daysLeft: z.number().int() }),
  /** What the officer should know now (e.g. the departures planned before the end date do not reach the target). */
  alerts: z.array(z.object({ code: z.string(), message: z.string(), link: z.string() })),
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
  /** People employed by a local authority or a State service: the guide's priority. */
  public_agents: z.number().int(),
  departures: z.object({
    planned: z.number().int(),
    done: z.number().int(),
    target: z.number().int(),
    /** Departures done that do NOT count toward the target, by reason: conseiller_numerique, uniformation, benevole, service_civique, decision_agent, hors_fenetre. */
    not_counted: z.record(z.string(), z.number().int()),
  }),
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
