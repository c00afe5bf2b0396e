// Issue 13 on a real database: the convention's window (sessions kept with a warning, not
// counted; expenses dated outside it named in the checklist; the dashboard's end date, days left
// and alert), an unknown OPCO, the guide's priority (public agents: a filter and a count).
import { afterEach, describe, expect, it } from 'vitest';
import { stats } from '../../electron/services/stats/service';
import { openTestApp, type TestApp } from '../helpers/app';
import { api, conventionWithAcOrder, person, structure } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(now = '2025-12-01T09:00:00Z'): TestApp {
  const a = openTestApp({ now });
  apps.push(a);
  return a;
}

describe('the convention’s window', () => {
  it('a session after the end date is kept with a warning and its departures are left out; moving it inside the window counts them', async () => {
    const { ctx } = app();
    const { conventionId } = await conventionWithAcOrder(ctx);
    const st = await structure(ctx);
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'AN — janvier', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: [{ date: '2026-01-15', period: 'matin' }] });
    expect(s.warnings.map((w) => w.code)).toEqual(['hors_fenetre']);
    expect((await api(ctx, 'sessions.list', { conventionId })).find((x) => x.id === s.id)?.warnings).toHaveLength(1);
    const p = await person(ctx, st);
    const r = (await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [p] })).registered[0];
    await api(ctx, 'sessions.attendance.set', { registrationId: r.registrationId, halfDayId: s.halfDays[0].id, status: 'present' });
    expect((await stats(ctx, conventionId)).departures).toEqual({ planned: 0, done: 0, target: 60, not_counted: { hors_fenetre: 1 } });
    const cl = await api(ctx, 'justification.checklist', { conventionId });
    expect(cl.attention.map((i) => i.key)).toContain(`session:${s.id}:hors_fenetre`);
    // The date was wrong: corrected (the attendance stays on the same half-day only if it is kept, so add the new one first).
    const moved = await api(ctx, 'sessions.update', { id: s.id, values: { kind: 'AN', title: 'AN — décembre', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: [{ date: '2026-01-15', period: 'matin' }, { date: '2025-12-15', period: 'matin' }] } });
    expect(moved.warnings.map((w) => w.code)).toEqual(['hors_fenetre']); // still ends after the end date
    // The convention was extended by avenant: the same session counts (the end date is the convention's, never a constant).
    const c = await api(ctx, 'convention.get', { id: conventionId });
    await api(ctx, 'convention.update', { id: conventionId, patch: { endDate: '2026-06-30' } });
    expect((await api(ctx, 'sessions.get', { id: s.id })).warnings).toEqual([]);
    expect((await stats(ctx, conventionId)).departures.not_counted).toEqual({});
    expect((await stats(ctx, conventionId)).departures.planned).toBe(1);
    expect(c.endDate).toBe('2025-12-31');
  });

  it('orders, invoices and fees dated outside the window are named in the checklist (attention), with the screen that corrects them', async () => {
    const { ctx } = app();
    const { conventionId, orderId } = await conventionWithAcOrder(ctx);
    const inv = await api(ctx, 'marche.addInvoice', { orderId, number: 'F-2026-001', invoiceDate: '2026-01-20', amountCents: 1_000_00 });
    const fee = await api(ctx, 'marche.expenses.create', { conventionId, kind: 'frais_gestion', label: 'Reprographie', expenseDate: '2024-09-01', amountCents: 50_00, acceptWarnings: true });
    const cl = await api(ctx, 'justification.checklist', { conventionId });
    const invoiceId = inv.order!.invoices[0].id;
    expect(cl.attention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: `invoice:${invoiceId}:hors_fenetre`, missing: expect.stringMatching(/20\/01\/2026, après la fin de la convention \(31\/12\/2025\)/) }),
        expect.objectContaining({ key: `expense:${fee.id}:hors_fenetre`, link: 'marche/budget', missing: expect.stringMatching(/01\/09\/2024, avant la signature de la convention/) }),
      ]),
    );
    expect(cl.attention.some((i) => i.key.startsWith('order:'))).toBe(false); // ordered on 05/02/2025: inside
    // The screens that correct them say it too: the marché's page, the budget's list of expenses.
    expect(inv.windowWarnings).toEqual([expect.stringMatching(/^Facture F-2026-001 daté\(e\) du 20\/01\/2026, après la fin de la convention \(31\/12\/2025\)/)]);
    const expenses = await api(ctx, 'marche.expenses.list', { conventionId });
    expect(expenses.find((e) => e.id === fee.id)!.windowWarning).toMatch(/01\/09\/2024, avant la signature de la convention/);
    expect((await api(ctx, 'marche.get', { id: inv.id })).windowWarnings).toHaveLength(1);
  });

  it('the dashboard shows the end date, the days left and warns when the departures planned before it do not reach the target', async () => {
    const { ctx } = app('2025-12-01T09:00:00Z');
    const { conventionId } = await conventionWithAcOrder(ctx);
    const g = await api(ctx, 'guide.get', { conventionId });
    expect(g.dashboard?.window).toEqual({ signatureDate: '2024-10-15', endDate: '2025-12-31', daysLeft: 30 });
    expect(g.dashboard?.alerts).toEqual([{ code: 'objectif_non_atteint', link: 'sessions', message: expect.stringMatching(/avant la fin de la convention \(31\/12\/2025, dans 30 jours\).*0 sur 60, il en manque 60/) }]);
    await api(ctx, 'convention.update', { id: conventionId, patch: { departureTarget: 1 } });
    const st = await structure(ctx);
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'AN', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: [{ date: '2025-12-10', period: 'matin' }] });
    await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [await person(ctx, st)] });
    expect((await api(ctx, 'guide.get', { conventionId })).dashboard?.alerts).toEqual([]);
  });
});

describe('unknown OPCO and the guide’s priority', () => {
  it('an association’s employee whose OPCO is unknown gets opco_inconnu (and a checklist point once trained); public agents are a filter and a count', async () => {
    const { ctx } = app();
    const { conventionId } = await conventionWithAcOrder(ctx);
    const mairie = await structure(ctx);
    const asso = (await api(ctx, 'recensement.structures.save', { values: { name: 'Association Lien numérique', siret: '44306184100047', type: 'Association', postcode: '23000', city: 'Guéret', departement: '23' } })).id;
    const agent = await person(ctx, mairie);
    const salarie = await person(ctx, asso, { profession: 'Animatrice' });
    const known = await person(ctx, asso, { profession: 'Animateur', uniformation: false });
    const warnings = async (id: number) => (await api(ctx, 'recensement.people.get', { id })).warnings.map((w) => w.code);
    expect(await warnings(salarie)).toEqual(['opco_inconnu']);
    expect(await warnings(known)).toEqual([]);
    expect(await warnings(agent)).toEqual([]);
    const rec = await stats(ctx, conventionId);
    expect(rec.warnings).toMatchObject({ opco_inconnu: 1 });
    expect(rec.public_agents).toBe(1);
    const list = await api(ctx, 'recensement.people.list', { priority: 'agents_publics', offset: 0, limit: 50 });
    expect(list.rows.map((r) => r.id)).toEqual([agent]);
    expect(list.rows[0].publicAgent).toBe(true);
    // Trained: the checklist names it, with the person's page.
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'AN', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: [{ date: '2025-11-10', period: 'matin' }] });
    const r = (await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [salarie] })).registered[0];
    await api(ctx, 'sessions.attendance.set', { registrationId: r.registrationId, halfDayId: s.halfDays[0].id, status: 'present' });
    const cl = await api(ctx, 'justification.checklist', { conventionId });
    expect(cl.attention).toEqual(expect.arrayContaining([expect.objectContaining({ key: `person:${salarie}:opco_inconnu`, link: `recensement/personnes/${salarie}` })]));
  });
});
