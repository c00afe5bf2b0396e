import type { jobsChannels } from '../../shared/ipc/channels/jobs';
import type { HandlerMap } from './handler-types';
import { cancelJob, jobStatus } from './jobs';

export const jobsHandlers: HandlerMap<keyof typeof jobsChannels> = {
  'jobs.status': async (ctx, { id }) => jobStatus(ctx, id),
  'jobs.cancel': async (ctx, { id }) => cancelJob(ctx, id),
};
