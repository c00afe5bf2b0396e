import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/handlers';
import { createConvention, listConventions, updateConvention } from '../../electron/services/convention/service';
import { guide } from '../../electron/services/guide/service';
import { createExpense } from '../../electron/services/marche/expenses';
import { stats } from '../../electron/services/stats/service';
import { creuseConvention, dbSnapshot, openTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeEach(() => {
  app = openTestApp({ now: '2024-12-01T10:00:00Z' });
});
afterEach(() => app.close());

describe('convention service', () => {
  it('creates a convention with the model defaults and reads it back', async () => {
    const c = await createConvention(app.ctx, { departement: '2a', beneficiaireNom: 'Collectivité de Corse' });
    expect(c).toMatchObject({ departement: '2A', amountCents: 20_000_00, endDate: '2025-12-31', departureTarget: 60, fundsReceivedCents: null });
    expect(c.label).toBe('Convention FNE 2025 — 2A');
    expect(await listConventions(app.ctx)).toHaveLength(1);
  });

  it('keeps several conventions with their own amounts, dates and targets', async () => {
    await createConvention(app.ctx, creuseConvention);
    await createConvention(app.ctx, { departement: '977', beneficiaireNom: 'Collectivité de Saint-Barthélemy', amountCents: 8_000_00, departureTarget: 20, endDate: '2026-12-31' });
    const list = await listConventions(app.ctx);
    expect(list.map((c) => [c.departement, c.amountCents, c.departureTarget])).toEqual([
      ['977', 8_000_00, 20],
      ['23', 20_000_00, 60],
    ]);
  });

  it('edits a convention, replaces its engineering actions and records the change in the audit log', async () => {
    const c = await createConvention(app.ctx, creuseConvention);
    const u = await updateConvention(app.ctx, c.id, { engineeringActions: [{ label: 'Étude des besoins', plannedCents: 1_500_00 }], departureTarget: 65 });
    expect(u.engineeringActions.map((a) => a.label)).toEqual(['Étude des besoins']);
    expect(u.departureTarget).toBe(65);
    expect(u.signatureDate).toBe('2024-10-15');
    const audit = await app.ctx.store.db.selectFrom('audit_log').select(['action', 'entity']).execute();
    expect(audit).toEqual([
      { action: 'create', entity: 'convention' },
      { action: 'update', entity: 'convention' },
    ]);
  });

  it('keeps the ids of engineering actions that are edited (expenses refer to them)', async () => {
    const c = await createConvention(app.ctx, { ...creuseConvention, engineeringActions: [{ label: 'Cartographie', plannedCents: 1_000_00 }, { label: 'Étude', plannedCents: 500_00 }] });
    const [carto, etude] = c.engineeringActions;
    const u = await updateConvention(app.ctx, c.id, {
      engineeringActions: [{ id: etude.id, label: 'Étude des besoins', plannedCents: 600_00 }, { label: 'Nouvelle action', plannedCents: 100_00 }],
    });
    expect(u.engineeringActions[0]).toEqual({ id: etude.id, label: 'Étude des besoins', plannedCents: 600_00 });
    expect(u.engineeringActions[1].id).not.toBe(carto.id);
    expect(u.engineeringActions.map((a) => a.id)).not.toContain(carto.id);
    const other = await createConvention(app.ctx, { departement: '87', beneficiaireNom: 'CD 87', engineeringActions: [{ label: 'X', plannedCents: 1 }] });
    const env = await dispatch(app.ctx, 'convention.update', { id: c.id, patch: { engineeringActions: [{ id: other.engineeringActions[0].id, label: 'vol', plannedCents: 1 }] } });
    expect(env).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses to remove an engineering action that already funds an expense, and writes nothing', async () => {
    const c = await createConvention(app.ctx, { ...creuseConvention, engineeringActions: [{ label: 'Cartographie', plannedCents: 1_000_00 }, { label: 'Étude', plannedCents: 500_00 }] });
    const [carto, etude] = c.engineeringActions;
    // The target is reached (departures given by the test): the reliquat funds the cartography.
    await createExpense(app.ctx, { conventionId: c.id, kind: 'ingenierie', engineeringActionId: carto.id, label: 'Impression des cartes', expenseDate: '2024-12-01', amountCents: 400_00, acceptWarnings: true }, async () => ({ planned: 60, done: 60 }));
    const before = dbSnapshot(app.ctx);
    const env = await dispatch(app.ctx, 'convention.update', { id: c.id, patch: { engineeringActions: [{ id: etude.id, label: 'Étude', plannedCents: 500_00 }] } });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('validation');
    expect(env.error.fields?.engineeringActions).toMatch(/^Impossible de retirer l’action « Cartographie » : elle finance déjà 1 dépense \(400,00\u00a0€ : « Impression des cartes »\)\. Supprimez/);
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
    // Removing the other one, or renaming the funded one, stays possible.
    const u = await updateConvention(app.ctx, c.id, { engineeringActions: [{ id: carto.id, label: 'Cartographie des lieux', plannedCents: 1_000_00 }] });
    expect(u.engineeringActions.map((a) => a.id)).toEqual([carto.id]);
  });

  it('refuses an incoherent convention with French messages per field and writes nothing', async () => {
    await createConvention(app.ctx, creuseConvention);
    const before = dbSnapshot(app.ctx);
    const env = await dispatch(app.ctx, 'convention.create', { ...creuseConvention, signatureDate: '2024-01-01', fundsReceivedCents: 30_000_00 });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('validation');
    expect(env.error.fields?.signatureDate).toMatch(/précéder la désignation/);
    expect(env.error.fields?.fundsReceivedCents).toMatch(/dépasse/);
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('feeds the home guide and stats: step 1 in progress until pièces are attached', async () => {
    const c = await createConvention(app.ctx, creuseConvention);
    const g = await guide(app.ctx);
    expect(g.steps.map((s) => s.key)).toEqual(['convention', 'recensement', 'marche', 'sessions', 'justification']);
    expect(g.steps[0]).toMatchObject({ status: 'en_cours' });
    expect(g.steps[0].summary).toBe("Manque : Convention signée ; Avis de situation SIRENE ; Relevé d'identité bancaire (RIB).");
    expect(g.dashboard).toMatchObject({ conventionId: c.id, amountCents: 20_000_00, receivedCents: 20_000_00, departures: { done: 0, target: 60 } });
    const s = await stats(app.ctx);
    expect(s).toMatchObject({ conventions: 1, departures: { planned: 0, done: 0, target: 60 }, budget: { amount_cents: 20_000_00, received_cents: 20_000_00 } });
  });

  it('says step 1 is to do when there is no convention', async () => {
    const g = await guide(app.ctx);
    expect(g.conventionId).toBeNull();
    expect(g.steps[0].status).toBe('a_faire');
    expect(g.dashboard).toBeNull();
  });
});
