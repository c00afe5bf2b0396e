// Long work (an import of 20 000 rows, the dossier) runs as a job: the channel that starts it
// returns at once with a job id; the screen polls `jobs.status` for progress and may call
// `jobs.cancel`. The work receives an AbortSignal and a progress callback; a cancelled or failed
// job must leave nothing behind (the work itself guarantees it: one transaction, temp files).
// Jobs live in memory, per host process: a job does not survive a restart, and nothing partial does either.
import crypto from 'node:crypto';
import type { IpcError } from '../../shared/ipc/envelope';
import { outsideHold } from '../db/write-gate';
import type { ServiceContext } from './context';
import { AppError } from './errors';
import { toIpcError } from './ipc-errors';

export interface JobProgress {
  done: number;
  total: number;
  /** What is being done, in French ("Lecture du fichier", "Enregistrement des professionnels"…). */
  label: string;
}

export type JobState = 'en_cours' | 'termine' | 'echec' | 'annule';

export interface JobStatus {
  id: string;
  kind: string;
  state: JobState;
  progress: JobProgress;
  startedAt: string;
  endedAt: string | null;
  result: unknown;
  error: IpcError | null;
}

interface Job extends JobStatus {
  controller: AbortController;
  promise: Promise<void>;
}

const registries = new WeakMap<ServiceContext, Map<string, Job>>();
/** Finished jobs are kept this long for the screen to read their result. */
const KEEP_FINISHED_MS = 30 * 60 * 1000;

function jobsOf(ctx: ServiceContext): Map<string, Job> {
  let m = registries.get(ctx);
  if (!m) registries.set(ctx, (m = new Map()));
  const now = Date.now();
  for (const [id, j] of m) if (j.endedAt && now - Date.parse(j.endedAt) > KEEP_FINISHED_MS) m.delete(id);
  return m;
}

export type JobWork<T> = (tools: { signal: AbortSignal; progress: (p: JobProgress) => void }) => Promise<T>;

/** Starts `work` in the background and returns its id at once. One job of a kind at a time. */
export function startJob<T>(ctx: ServiceContext, kind: string, work: JobWork<T>): JobStatus {
  const jobs = jobsOf(ctx);
  for (const j of jobs.values()) {
    if (j.kind === kind && j.state === 'en_cours') throw new AppError('conflict', 'Un traitement du même type est déjà en cours : attendez sa fin ou annulez-le.');
  }
  const controller = new AbortController();
  const job: Job = {
    id: crypto.randomUUID(),
    kind,
    state: 'en_cours',
    progress: { done: 0, total: 0, label: 'Démarrage' },
    startedAt: new Date().toISOString(),
    endedAt: null,
    result: null,
    error: null,
    controller,
    promise: Promise.resolve(),
  };
  jobs.set(job.id, job);
  // Run on the next tick so the caller gets the id before any work starts; outside the caller's
  // hold of the write gate (a channel that starts a job holds it): the job takes the gate itself
  // when it writes (context.ts, writeJob), and other channels' writes wait for that, not for the job.
  job.promise = outsideHold(() =>
    new Promise<void>((r) => setImmediate(r))
      .then(() => work({ signal: controller.signal, progress: (p) => (job.progress = p) }))
      .then((result) => {
        job.result = result ?? null;
        job.state = controller.signal.aborted ? 'annule' : 'termine';
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) {
          job.state = 'annule';
          job.error = { code: 'cancelled', message: 'Traitement annulé : rien n’a été enregistré.' };
        } else {
          job.state = 'echec';
          job.error = toIpcError(err);
        }
      })
      .finally(() => {
        job.endedAt = new Date().toISOString();
      }),
  );
  return statusOf(job);
}

function statusOf(j: Job): JobStatus {
  return { id: j.id, kind: j.kind, state: j.state, progress: { ...j.progress }, startedAt: j.startedAt, endedAt: j.endedAt, result: j.result, error: j.error };
}

export function jobStatus(ctx: ServiceContext, id: string): JobStatus {
  const j = jobsOf(ctx).get(id);
  if (!j) throw new AppError('not_found', 'Traitement introuvable (terminé depuis longtemps, ou l’application a redémarré).');
  return statusOf(j);
}

export function cancelJob(ctx: ServiceContext, id: string): JobStatus {
  const j = jobsOf(ctx).get(id);
  if (!j) throw new AppError('not_found', 'Traitement introuvable.');
  if (j.state === 'en_cours') j.controller.abort();
  return statusOf(j);
}

/** For tests and the CLI: wait until the job ends. */
export async function waitForJob(ctx: ServiceContext, id: string): Promise<JobStatus> {
  const j = jobsOf(ctx).get(id);
  if (!j) throw new AppError('not_found', 'Traitement introuvable.');
  await j.promise;
  return statusOf(j);
}

/** Yields to the event loop so progress can be read and a cancel can arrive during long synchronous work. */
export function breathe(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
