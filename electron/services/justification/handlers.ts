import type { JobKind } from '../../../shared/codes';
import path from 'node:path';
import type { DossierResultDto, justificationChannels } from '../../../shared/ipc/channels/justification';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { AppError } from '../errors';
import type { HandlerMap } from '../handler-types';
import { startJob } from '../jobs';
import { readinessChecklist } from './checklist';
import { generateDossier } from './dossier';

export function defaultDossierDir(ctx: ServiceContext): string {
  return path.join(ctx.dataDir, 'dossiers');
}

async function startDossier(ctx: ServiceContext, input: { conventionId: number; outDir?: string }) {
  await getConvention(ctx, input.conventionId);
  const raw = input.outDir?.trim();
  if (raw && !path.isAbsolute(raw)) {
    throw new AppError('validation', 'Indiquez le chemin complet du dossier de destination (ex. C:\\Users\\…\\Documents\\FNE).', { fields: { outDir: 'Chemin complet attendu.' } });
  }
  const outDir = raw ? path.resolve(raw) : defaultDossierDir(ctx);
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
    };
  });
}

export const justificationHandlers: HandlerMap<keyof typeof justificationChannels> = {
  'justification.checklist': (ctx, { conventionId }) => readinessChecklist(ctx, conventionId),
  'justification.dossier.defaults': async (ctx) => ({ outDir: defaultDossierDir(ctx) }),
  'justification.dossier.start': (ctx, input) => startDossier(ctx, input),
};
