import type { JobKind } from '../../../shared/codes';
import path from 'node:path';
import type { DossierResultDto, justificationChannels } from '../../../shared/ipc/channels/justification';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { offerDownload } from '../common/downloads';
import { resolvePicked } from '../common/picked-paths';
import { AppError } from '../errors';
import type { HandlerMap } from '../handler-types';
import { startJob } from '../jobs';
import { readinessChecklist } from './checklist';
import { generateDossier } from './dossier';

export function defaultDossierDir(ctx: ServiceContext): string {
  return path.join(ctx.dataDir, 'dossiers');
}

/**
 * Starts the dossier job into `outDir` (default: <data>/dossiers). Channels never give a path:
 * the desktop app's picked folder comes through its handle; only the CLI (the officer's own
 * command line) calls this with a path of its own.
 */
export async function startDossierJob(ctx: ServiceContext, conventionId: number, outDirPath?: string) {
  await getConvention(ctx, conventionId);
  const raw = outDirPath?.trim();
  if (raw && !path.isAbsolute(raw)) {
    throw new AppError('validation', 'Indiquez le chemin complet du dossier de destination (ex. C:\\Users\\…\\Documents\\FNE).', { fields: { outDir: 'Chemin complet attendu.' } });
  }
  const outDir = raw ? path.resolve(raw) : defaultDossierDir(ctx);
  const input = { conventionId };
  return startJob(ctx, 'dossier' satisfies JobKind, async ({ signal, progress }): Promise<DossierResultDto> => {
    progress({ done: 0, total: 0, label: 'Préparation des documents (tableau art. 5.2, état des dépenses, bilan)' });
    const r = await generateDossier(ctx, input.conventionId, {
      outDir,
      signal,
      onProgress: (p) => progress({ done: p.done, total: p.total, label: p.current ? `Copie et empreinte : ${p.current}` : 'Finalisation du ZIP' }),
    });
    return {
      zipPath: r.zipPath,
      folderPath: r.folderPath,
      zipSha256: r.zipSha256,
      zipSize: r.zipSize,
      files: r.manifest.length + 1,
      departures: r.departures,
      missingCount: r.checklist.missingCount,
      date: r.date,
      staleTemporaries: r.staleTemporaries,
      parts: r.parts,
      zipName: path.basename(r.zipPath),
      telechargement: offerDownload(ctx, r.zipPath),
    };
  });
}

export const justificationHandlers: HandlerMap<keyof typeof justificationChannels> = {
  'justification.checklist': (ctx, { conventionId }) => readinessChecklist(ctx, conventionId),
  'justification.dossier.defaults': async (ctx) => ({ outDir: defaultDossierDir(ctx) }),
  'justification.dossier.start': (ctx, input) =>
    startDossierJob(ctx, input.conventionId, input.destination === undefined ? undefined : resolvePicked(ctx, input.destination, 'folder')),
};
