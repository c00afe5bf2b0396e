// Dossier generation as a job: started by the screen, polled for progress, cancellable. The
// work runs in the host's process (Electron main or web host); a cancelled or failed job
// leaves no ZIP (archive.ts). Jobs are kept in memory only: they describe work in progress.
import crypto from 'node:crypto';
import path from 'node:path';
import type { DossierJob } from '../../../shared/ipc/channels/justification';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { AppError, notFound } from '../errors';
import { generateDossier } from './dossier';

interface JobState extends DossierJob {
  controller: AbortController;
  promise: Promise<void>;
}

const jobs = new Map<string, JobState>();

export function defaultDossierDir(ctx: ServiceContext): string {
  return path.join(ctx.dataDir, 'dossiers');
}

function view(j: JobState): DossierJob {
  const { controller: _c, promise: _p, ...rest } = j;
  return { ...rest };
}

export async function startDossierJob(ctx: ServiceContext, input: { conventionId: number; outDir?: string }): Promise<DossierJob> {
  await getConvention(ctx, input.conventionId);
  const raw = input.outDir?.trim();
  if (raw !== undefined && raw !== '' && !path.isAbsolute(raw)) {
    throw new AppError('validation', 'Indiquez un dossier de destination complet (ex. C:\\Users\\…\\Documents\\FNE).', { fields: { outDir: 'Chemin complet attendu.' } });
  }
  const outDir = raw ? path.resolve(raw) : defaultDossierDir(ctx);
  for (const j of jobs.values()) {
    if (j.status === 'en_cours' && j.conventionId === input.conventionId) {
      throw new AppError('conflict', 'Un dossier de cette convention est déjà en cours de génération.');
    }
  }
  const jobId = crypto.randomBytes(8).toString('hex');
  const controller = new AbortController();
  const job: JobState = {
    jobId,
    conventionId: input.conventionId,
    status: 'en_cours',
    done: 0,
    total: 0,
    bytes: 0,
    current: 'Préparation des documents…',
    message: null,
    result: null,
    controller,
    promise: Promise.resolve(),
  };
  jobs.set(jobId, job);
  job.promise = generateDossier(ctx, input.conventionId, {
    outDir,
    signal: controller.signal,
    onProgress: (p) => Object.assign(job, { done: p.done, total: p.total, bytes: p.bytes, current: p.current }),
  }).then(
    (r) => {
      job.status = 'termine';
      job.current = '';
      job.done = job.total;
      job.result = {
        zipPath: r.zipPath,
        folderPath: r.folderPath,
        zipSha256: r.zipSha256,
        zipSize: r.zipSize,
        files: r.manifest.length + 1,
        departures: r.departures,
        missingCount: r.checklist.missingCount,
        date: r.date,
      };
      job.message = r.checklist.ready ? 'Dossier complet.' : `Dossier généré en brouillon : ${r.checklist.missingCount} élément(s) manquant(s).`;
    },
    (e: unknown) => {
      const aborted = controller.signal.aborted || (e instanceof Error && e.name === 'AbortError');
      job.status = aborted ? 'annule' : 'echec';
      job.message = aborted ? 'Génération annulée : aucun fichier n’a été laissé.' : `La génération a échoué, aucun fichier n’a été laissé : ${e instanceof Error ? e.message : String(e)}`;
    },
  );
  return view(job);
}

function get(jobId: string): JobState {
  const j = jobs.get(jobId);
  if (!j) throw notFound('La génération demandée');
  return j;
}

export async function dossierJobStatus(jobId: string): Promise<DossierJob> {
  return view(get(jobId));
}

export async function cancelDossierJob(jobId: string): Promise<DossierJob> {
  const j = get(jobId);
  if (j.status === 'en_cours') {
    j.controller.abort();
    await j.promise;
  }
  return view(j);
}

/** For tests and the CLI: waits for the job to end. */
export async function waitForJob(jobId: string): Promise<DossierJob> {
  await get(jobId).promise;
  return view(get(jobId));
}
