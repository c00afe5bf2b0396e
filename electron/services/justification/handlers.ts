import type { justificationChannels } from '../../../shared/ipc/channels/justification';
import type { HandlerMap } from '../handler-types';
import { readinessChecklist } from './checklist';
import { cancelDossierJob, defaultDossierDir, dossierJobStatus, startDossierJob } from './jobs';

export const justificationHandlers: HandlerMap<keyof typeof justificationChannels> = {
  'justification.checklist': (ctx, { conventionId }) => readinessChecklist(ctx, conventionId),
  'justification.dossier.defaults': async (ctx) => ({ outDir: defaultDossierDir(ctx) }),
  'justification.dossier.start': (ctx, input) => startDossierJob(ctx, input),
  'justification.dossier.status': (_ctx, { jobId }) => dossierJobStatus(jobId),
  'justification.dossier.cancel': (_ctx, { jobId }) => cancelDossierJob(jobId),
};
