import type { sauvegardeChannels } from '../../../shared/ipc/channels/sauvegarde';
import type { ServiceContext } from '../context';
import type { HandlerMap } from '../handler-types';
import { resolvePicked } from '../common/picked-paths';
import { logger } from '../logging';
import { createBackup, listBackups, RETENTION } from './backup';
import { lastReport, rememberReport, runCheck } from './check';
import { lastOperation, listHistory, undoLast, undoMessage } from './history';
import { restoreBackup } from './restore';
import { backupDir, defaultBackupDir, saveBackupDir, validateBackupDir } from './settings';

function strip<T extends { path?: string }>(b: T): Omit<T, 'path'> {
  const { path: _p, ...rest } = b;
  return rest;
}

async function state(ctx: ServiceContext, refresh = false) {
  let report = lastReport(ctx);
  if (!report || refresh) {
    report = await runCheck(ctx, { setAside: report?.setAside ?? null });
    rememberReport(ctx, report);
  }
  return {
    dossier: backupDir(ctx.dataDir),
    dossierParDefaut: defaultBackupDir(ctx.dataDir),
    dossierDonnees: ctx.dataDir,
    fichierBase: ctx.store.file,
    journal: logger.file(),
    sauvegardes: listBackups(ctx).map(strip),
    conservees: { quotidiennes: RETENTION.quotidiennes, automatiques: RETENTION.automatiques, manuelles: RETENTION.manuelles, avantRestauration: RETENTION['avant-restauration'] },
    verification: report,
  };
}

export const sauvegardeHandlers: HandlerMap<keyof typeof sauvegardeChannels> = {
  'sauvegarde.etat': (ctx, i) => state(ctx, i.refresh ?? false),
  'sauvegarde.creer': async (ctx) => strip(await createBackup(ctx, 'manuelle')),
  'sauvegarde.restaurer': async (ctx, i) => {
    const r = await restoreBackup(ctx, 'name' in i ? { name: i.name } : { pickedFile: resolvePicked(ctx, i.fichier, 'file') });
    return { restored: strip(r.restored), previousKeptAs: r.previousKeptAs, verification: r.report };
  },
  'sauvegarde.dossier': async (ctx, i) => {
    if (i.dossier === null || i.dossier.trim() === '') saveBackupDir(ctx.dataDir, null);
    else saveBackupDir(ctx.dataDir, validateBackupDir(ctx.dataDir, resolvePicked(ctx, i.dossier, 'folder')));
    logger.info(backupDir(ctx.dataDir) === defaultBackupDir(ctx.dataDir) ? 'Dossier de sauvegarde : celui par défaut' : 'Dossier de sauvegarde changé');
    return state(ctx);
  },
  'historique.liste': async (ctx, i) => ({ ...(await listHistory(ctx, i)), lastOperation: await lastOperation(ctx) }),
  'historique.annuler': async (ctx, i) => {
    const r = await undoLast(ctx, i.lastId);
    return { undone: r.undone, previousKeptAs: r.result.previousKeptAs, verification: r.result.report, message: undoMessage(r.undone, r.result.previousKeptAs) };
  },
};
