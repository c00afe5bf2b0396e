// What a host with a screen does once the app is open: the start-up check (its report is kept
// for the "sauvegarde.etat" channel and the banner), then the daily backup — only from a sound
// database, so a damaged one never pushes good backups out of the kept number.
import type { ServiceContext } from '../context';
import { logger } from '../logging';
import { refreshEligibilityIfRulesChanged } from '../recensement/rules-version';
import { dailyBackupIfNeeded } from './backup';
import { rememberReport, runCheck, type CheckReport } from './check';
import { setAsideAtStart } from './open';

export async function startupTasks(ctx: ServiceContext, opts: { minAgeMs?: number } = {}): Promise<CheckReport> {
  const report = await runCheck(ctx, { setAside: setAsideAtStart(ctx), minAgeMs: opts.minAgeMs });
  rememberReport(ctx, report);
  if (report.database.ok && !report.setAside) {
    try {
      await dailyBackupIfNeeded(ctx);
    } catch (e) {
      logger.error('Sauvegarde quotidienne impossible', e);
      report.messages.push(`La sauvegarde quotidienne n'a pas pu être faite : ${e instanceof Error ? e.message : String(e)}`);
      report.ok = false;
    }
    // After the backup: new eligibility rules of this version apply to the people already recorded.
    try {
      const changed = await refreshEligibilityIfRulesChanged(ctx);
      if (changed) logger.info(`Règles d’éligibilité mises à jour : ${changed} décision(s) recalculée(s)`);
    } catch (e) {
      logger.error('Recalcul de l’éligibilité impossible', e);
    }
  }
  return report;
}
