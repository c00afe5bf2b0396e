// When a new version of the app changes an eligibility rule (eligibility.ts), the decisions
// already stored would stay those of the old rules until someone touches each person. At start-up
// the stored version of the rules is compared with this one; if it differs, every decision is
// recomputed once (one transaction, audited, after the day's backup) and the version stored.
import { recordAudit } from '../audit';
import { type ServiceContext, writeTransaction } from '../context';
import { refreshEligibility } from './refresh';
import type { Cols } from '../../db/rows';

/** Bump whenever a rule of eligibility.ts changes what it decides. */
export const ELIGIBILITY_RULES_VERSION = 2;
const SETTING = 'eligibility_rules_version';

/** Recomputes every stored decision if the rules changed since the last run; returns how many changed (null: nothing to do). */
export async function refreshEligibilityIfRulesChanged(ctx: ServiceContext): Promise<number | null> {
  const row = ctx.store.sqlite.prepare('SELECT value_json FROM app_settings WHERE key = ?').get(SETTING) as Cols<'app_settings', 'value_json'> | undefined;
  if (row && JSON.parse(row.value_json) === ELIGIBILITY_RULES_VERSION) return null;
  const now = ctx.now().toISOString();
  let changed = 0;
  await writeTransaction(ctx, async (trx) => {
    changed = refreshEligibility(ctx.store.sqlite, { all: true }, now);
    ctx.store.sqlite
      .prepare('INSERT INTO app_settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json')
      .run(SETTING, JSON.stringify(ELIGIBILITY_RULES_VERSION));
    if (changed > 0) await recordAudit(trx, ctx, { action: 'refresh', entity: 'eligibility_rules', after: { version: ELIGIBILITY_RULES_VERSION, peopleChanged: changed } });
  });
  return changed;
}
