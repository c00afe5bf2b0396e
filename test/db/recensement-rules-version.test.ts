// A new version of the eligibility rules applies at start-up to the people already recorded,
// once, audited; the same version does nothing the next time.
import { afterEach, describe, expect, it } from 'vitest';
import { ELIGIBILITY_RULES_VERSION, refreshEligibilityIfRulesChanged } from '../../electron/services/recensement/rules-version';
import { startupTasks } from '../../electron/services/sauvegarde/startup';
import { openTestApp, type TestApp } from '../helpers/app';
import { person, structure } from './sessions-setup';
import { writeSync } from '../../electron/services/context';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('eligibility rules version', () => {
  it('recomputes stored decisions once when the rules changed, at start-up after the daily backup', async () => {
    const a = openTestApp({ now: '2026-11-25T09:00:00Z' });
    apps.push(a);
    const st = await structure(a.ctx);
    const id = await person(a.ctx, st, { profession: 'Conseiller(e) numérique' });
    const db = a.ctx.store.sqlite;
    // As an older version stored it: the inclusive spelling was not recognised then.
    await writeSync(a.ctx, (w) => {
      w.prepare("UPDATE people SET eligible = 1, ineligible_json = '[]' WHERE id = ?").run(id);
      w.prepare("INSERT INTO app_settings (key, value_json) VALUES ('eligibility_rules_version', '1') ON CONFLICT(key) DO UPDATE SET value_json = '1'").run();
    });

    await startupTasks(a.ctx);
    const after = db.prepare('SELECT eligible, ineligible_json FROM people WHERE id = ?').get(id) as { eligible: number; ineligible_json: string };
    expect(after.eligible).toBe(0);
    expect(JSON.parse(after.ineligible_json)).toContain('conseiller_numerique');
    expect(db.prepare("SELECT value_json FROM app_settings WHERE key = 'eligibility_rules_version'").get()).toEqual({ value_json: String(ELIGIBILITY_RULES_VERSION) });
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'eligibility_rules'").get()).toEqual({ n: 1 });

    // Same version: nothing recomputed, nothing audited.
    expect(await refreshEligibilityIfRulesChanged(a.ctx)).toBeNull();
    expect(db.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'eligibility_rules'").get()).toEqual({ n: 1 });
  });
});
