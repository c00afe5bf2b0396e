// Long work runs as a job (see electron/services/jobs.ts): a capability's channel starts it and
// returns its status; the screen polls jobs.status and may call jobs.cancel.
import { z } from 'zod';
import { ipcErrorSchema } from '../envelope';

export const jobStatusSchema = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(['en_cours', 'termine', 'echec', 'annule']),
  progress: z.object({ done: z.number(), total: z.number(), label: z.string() }),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  result: z.unknown(),
  error: ipcErrorSchema.nullable(),
});
export type JobStatusDto = z.infer<typeof jobStatusSchema>;

const jobRef = z.object({ id: z.string().uuid() }).strict();

export const jobsChannels = {
  'jobs.status': { input: jobRef, output: jobStatusSchema },
  'jobs.cancel': { input: jobRef, output: jobStatusSchema },
} as const;
