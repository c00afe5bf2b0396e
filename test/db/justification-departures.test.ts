// The dossier's departures on a real database: loadDepartures is built on the ONE departure
// rule (sessions/departures.ts) — same registrations, same attended flag — and fills every
// field the art. 5.2 table and the checklist read. A departure without its certificate is in
// the checklist and in the dossier's missing list, and leaves both once the certificate is in.
import { afterEach, describe, expect, it } from 'vitest';
import { loadDepartures } from '../../electron/services/justification/departure-facts';
import { DOSSIER_FILES, planDossier } from '../../electron/services/justification/dossier';
import { countDepartures, departureRows } from '../../electron/services/sessions/departures';
import { departuresFrom } from '../../electron/services/sessions/rules';
import { openTestApp, type TestApp } from '../helpers/app';
import { api, conventionWithAcOrder, person, structure, twoHalfDays } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function scenario() {
  const a = openTestApp({ now: '2025-06-01T09:00:00Z' });
  apps.push(a);
  const { ctx } = a;
  const { conventionId, orderId, organismeId } = await conventionWithAcOrder(ctx);
  await api(ctx, 'marche.of.addTraining', { organismeId, kind: 'AC', title: 'Aidants Connect — formation habilitante (7 h)', hours: 7, priceCents: 350_00, priceUnit: 'place' });
  const st = await structure(ctx);
  const ac = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'Aidants Connect — Guéret', orderId, modality: 'presentiel', place: 'Salle du conseil, Guéret', halfDays: twoHalfDays });
  const an = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'Aidant numérique — Aubusson', internal: true, modality: 'presentiel', place: 'Hôtel du département', halfDays: [{ date: '2025-05-12', period: 'matin' }] });
  const later = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'Aidant numérique — Bourganeuf', internal: true, modality: 'presentiel', place: 'Mairie de Bourganeuf', halfDays: [{ date: '2025-09-15', period: 'matin' }] });
  const p = [] as number[];
  for (let i = 0; i < 8; i++) p.push(await person(ctx, st));
  const [both, registeredOnly, cancelled, partialOk, partialNo, absent, future, waiting] = p;
  const regAc = await api(ctx, 'sessions.register', { sessionId: ac.id, personIds: [both, registeredOnly, cancelled, partialOk, partialNo, absent] });
  const regOf = (s: typeof regAc, personId: number) => s.registered.find((r) => r.personId === personId)!.registrationId;
  await api(ctx, 'sessions.register', { sessionId: ac.id, personIds: [waiting], waitingList: true });
  const regAn = await api(ctx, 'sessions.register', { sessionId: an.id, personIds: [both] });
  const regLater = await api(ctx, 'sessions.register', { sessionId: later.id, personIds: [future] });
  const [am, pm] = ac.halfDays;
  const set = (registrationId: number, halfDayId: number, status: 'present' | 'absent' | 'excuse') => api(ctx, 'sessions.attendance.set', { registrationId, halfDayId, status });
  await api(ctx, 'sessions.registration.cancel', { registrationId: regOf(regAc, cancelled), reason: 'Départ du poste' });
  for (const h of [am, pm]) await set(regOf(regAc, both), h.id, 'present');
  await set(regOf(regAn, both), an.halfDays[0].id, 'present');
  await set(regOf(regAc, partialOk), am.id, 'present');
  await set(regOf(regAc, partialOk), pm.id, 'excuse');
  await api(ctx, 'sessions.attendance.acceptPartial', { registrationId: regOf(regAc, partialOk), reason: 'Rendez-vous médical l’après-midi, contenu rattrapé avec le formateur.' });
  await set(regOf(regAc, partialNo), am.id, 'present');
  await set(regOf(regAc, partialNo), pm.id, 'absent');
  for (const h of [am, pm]) await set(regOf(regAc, absent), h.id, 'absent');
  await api(ctx, 'presence.pix.set', { registrationId: regOf(regAc, both), date: '2025-04-22' });
  return {
    ctx,
    conventionId,
    organismeId,
    ac,
    an,
    later,
    reg: {
      bothAc: regOf(regAc, both),
      bothAn: regOf(regAn, both),
      registeredOnly: regOf(regAc, registeredOnly),
      cancelled: regOf(regAc, cancelled),
      partialOk: regOf(regAc, partialOk),
      partialNo: regOf(regAc, partialNo),
      absent: regOf(regAc, absent),
      future: regOf(regLater, future),
    },
  };
}

describe('departures of the dossier', () => {
  it('loadDepartures and countDepartures agree: AN + AC of one person = 2, registered ≠ done, cancelled and waiting list are not departures, partial accepted with a reason counts', async () => {
    const { ctx, conventionId, reg } = await scenario();
    const facts = await loadDepartures(ctx, conventionId);
    const counts = await countDepartures(ctx, conventionId);
    // The same registrations as the one rule, with the same attended flag…
    expect(facts.map((f) => [f.registrationId, f.attended])).toEqual(
      departureRows(ctx, conventionId)
        .map((r) => [r.registrationId, r.attended])
        .sort((x, y) => (x[0] as number) - (y[0] as number)),
    );
    // …so the same counts.
    expect(departuresFrom(facts)).toEqual(counts);
    expect(counts).toEqual({ planned: 7, done: 3, notCounted: {} });
    const ids = facts.map((f) => f.registrationId);
    expect(ids).not.toContain(reg.cancelled);
    expect(facts.filter((f) => f.attended).map((f) => f.registrationId).sort((a, b) => a - b)).toEqual([reg.bothAc, reg.bothAn, reg.partialOk].sort((a, b) => a - b));
    const state = Object.fromEntries(facts.map((f) => [f.registrationId, f.attendance]));
    expect(state).toEqual({
      [reg.bothAc]: 'complete',
      [reg.bothAn]: 'complete',
      [reg.registeredOnly]: 'not_recorded',
      [reg.partialOk]: 'partial_accepted',
      [reg.partialNo]: 'partial',
      [reg.absent]: 'absent',
      [reg.future]: 'future',
    });
  });

  it('fills every field of a departure: employer, OF through the order, training title, dates, attendance, Pix date of the AC follow-up', async () => {
    const { ctx, conventionId, organismeId, ac, reg } = await scenario();
    const facts = await loadDepartures(ctx, conventionId);
    const d = facts.find((f) => f.registrationId === reg.bothAc)!;
    expect(d).toMatchObject({
      structureName: 'Mairie de Guéret',
      structureSiret: '21230096500010',
      structureType: 'Commune',
      sessionId: ac.id,
      sessionTitle: 'Aidants Connect — Guéret',
      kind: 'AC',
      trainingTitle: 'Aidants Connect — formation habilitante (7 h)',
      organismeId,
      organismeName: 'Mednum Formation',
      dates: ['2025-04-08', '2025-04-08'],
      firstDate: '2025-04-08',
      lastDate: '2025-04-08',
      halfDays: 2,
      recorded: 2,
      present: 2,
      attendance: 'complete',
      partialReason: null,
      attended: true,
      pixDate: '2025-04-22',
    });
    expect(d.nom).toMatch(/^Nom\d+$/);
    expect(d.structureId).toBeGreaterThan(0);
    // The AN training of the same person: internal trainers, session title, no Pix date.
    const an = facts.find((f) => f.registrationId === reg.bothAn)!;
    expect(an).toMatchObject({ kind: 'AN', organismeName: 'Formateurs internes du Conseil départemental', trainingTitle: 'Aidant numérique — Aubusson', pixDate: null, attendance: 'complete' });
    const partial = facts.find((f) => f.registrationId === reg.partialOk)!;
    expect(partial).toMatchObject({ present: 1, recorded: 2, partialReason: 'Rendez-vous médical l’après-midi, contenu rattrapé avec le formateur.' });
  });

  it('a departure without its certificate is in the checklist and in the dossier’s missing list; attaching it removes it from both', async () => {
    const { ctx, conventionId, ac, reg } = await scenario();
    const label = (registrationId: number) => `departure:${registrationId}:attestation`;
    const plan = await planDossier(ctx, conventionId);
    const keys = plan.checklist.items.map((i) => i.key);
    expect(keys).toContain(label(reg.bothAc));
    expect(keys).toContain(label(reg.partialOk));
    // Not done (partial without reason, absent, future): no certificate asked.
    for (const r of [reg.absent, reg.future]) expect(keys).not.toContain(label(r));
    // Recorded nowhere: attendance asked; partial without reason: the acceptance asked.
    expect(keys).toContain(`departure:${reg.registeredOnly}:presence`);
    expect(keys).toContain(`departure:${reg.partialNo}:presence`);
    expect(keys).toContain(`session:${ac.id}:feuille_presence`);
    const item = plan.checklist.items.find((i) => i.key === label(reg.bothAc))!;
    expect(item.missing).toBe('Attestation de fin de formation à joindre.');
    expect(item.link).toBe(`justification/presences/${ac.id}`);
    const missingFile = (p: typeof plan) => Buffer.from((p.entries.find((e) => e.path === DOSSIER_FILES.missing)!.source as { bytes: Uint8Array }).bytes).toString('utf8');
    expect(missingFile(plan)).toContain(`- ${item.label} : ${item.missing}`);

    await api(ctx, 'pieces.attach', { ownerType: 'registration', ownerId: reg.bothAc, role: 'attestation_fin_formation', fileName: 'attestation.pdf', contentBase64: Buffer.from('%PDF-1.4 attestation').toString('base64') });
    const after = await planDossier(ctx, conventionId);
    expect(after.checklist.items.map((i) => i.key)).not.toContain(label(reg.bothAc));
    expect(missingFile(after)).not.toContain(`- ${item.label} : ${item.missing}`);
    expect(after.checklist.missingCount).toBe(plan.checklist.missingCount - 1);
    // The art. 5.2 table has one row per departure done.
    expect(after.departures).toBe((await countDepartures(ctx, conventionId)).done);
  });
});
