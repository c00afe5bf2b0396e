// Step 4 on a real database, through dispatch: sessions, each refusal of the assignment, the
// waiting list and moves, the departure rule as the dashboard and stats see it.
import { afterEach, describe, expect, it } from 'vitest';
import { loadDepartures } from '../../electron/services/justification/departure-facts';
import { art52Rows } from '../../electron/services/justification/documents';
import { gatherFacts } from '../../electron/services/justification/facts';
import { listBackups } from '../../electron/services/sauvegarde/backup';
import { stats } from '../../electron/services/stats/service';
import { dbSnapshot, openTestApp, type TestApp } from '../helpers/app';
import { api, conventionWithAcOrder, person, refused, structure, twoHalfDays } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(now = '2025-03-20T09:00:00Z'): TestApp {
  const a = openTestApp({ now });
  apps.push(a);
  return a;
}

async function setup() {
  const { ctx } = app();
  const { conventionId, orderId } = await conventionWithAcOrder(ctx);
  const st = await structure(ctx);
  const ac = (over: Record<string, unknown> = {}) =>
    api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'Aidants Connect — Guéret', orderId, modality: 'presentiel', place: 'Salle du conseil, Guéret', halfDays: twoHalfDays, ...over });
  const an = (over: Record<string, unknown> = {}) =>
    api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'Aidant numérique', internal: true, modality: 'presentiel', place: 'Hôtel du département', halfDays: [{ date: '2025-05-12', period: 'matin' }], ...over });
  return { ctx, conventionId, orderId, st, ac, an };
}

describe('sessions', () => {
  it('creates a session bought through an order, with half-days, default capacity 12 (2021 plan: groups of 8 to 15)', async () => {
    const { ctx, conventionId, orderId } = await setup();
    const missing = await refused(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'AC', modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
    expect(missing.fields?.orderId).toMatch(/bon de commande/);
    const internalAc = await refused(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'AC', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
    expect(internalAc.fields?.internal).toMatch(/que des formations Aidant Numérique/);
    const wrongKind = await refused(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'AN', orderId, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
    expect(wrongKind.fields?.kind).toMatch(/Formation Aidants Connect/);
    const badHours = await refused(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'AC', orderId, modality: 'distance', place: 'https://visio', halfDays: [{ date: '2025-04-08', period: 'matin', start: '12:00', end: '09:00' }] });
    expect(badHours.fields?.['halfDays.0.end']).toMatch(/heure de fin/);

    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'Aidants Connect', orderId, modality: 'distance', place: 'https://visio.example/ac', halfDays: twoHalfDays, trainers: ['Léa Martin'] });
    expect(s).toMatchObject({ capacity: 12, organismeName: 'Mednum Formation', orderNumber: 'BC-2025-007', halfDayCount: 2, hours: 7, firstDate: '2025-04-08', trainers: ['Léa Martin'] });
    expect(s.halfDays.map((h) => h.label)).toEqual(['08/04/2025 matin', '08/04/2025 après-midi']);
    const options = await api(ctx, 'sessions.options', { conventionId });
    expect(options.orders).toEqual([expect.objectContaining({ id: orderId, kind: 'AC', seats: 36 })]);
  });

  it('groups sessions in a cohort of the same convention (optional); a nameless cohort or one of another convention is refused and writes nothing', async () => {
    const { ctx, conventionId, orderId, ac } = await setup();
    const before = dbSnapshot(ctx);
    expect((await refused(ctx, 'sessions.cohorts.save', { conventionId, label: '   ' })).fields?.label).toBe('Donnez un nom à la cohorte.');
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    const cohort = await api(ctx, 'sessions.cohorts.save', { conventionId, label: 'France Services — printemps 2025' });
    expect(cohort).toMatchObject({ label: 'France Services — printemps 2025', note: null, sessions: 0 });

    // A cohort belongs to one convention: a session of another convention's cohort is refused.
    const other = await api(ctx, 'convention.create', { departement: '87', beneficiaireNom: 'Conseil départemental de la Haute-Vienne' });
    const foreign = await api(ctx, 'sessions.cohorts.save', { conventionId: other.id, label: 'Limoges' });
    const beforeSession = dbSnapshot(ctx);
    const e = await refused(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'AC', orderId, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays, cohortId: foreign.id });
    expect(e.fields?.cohortId).toBe('Cohorte introuvable pour cette convention.');
    expect(dbSnapshot(ctx).equals(beforeSession)).toBe(true);
    expect((await refused(ctx, 'sessions.cohorts.save', { conventionId, id: foreign.id, label: 'Renommée' })).message).toMatch(/cohorte n° \d+/i);

    // Two sessions in the cohort: the session says so, the cohort counts them; renaming keeps them.
    const s1 = await ac({ cohortId: cohort.id });
    await ac({ cohortId: cohort.id, title: 'Aidants Connect — Aubusson' });
    await ac({ title: 'Hors cohorte' });
    expect(s1).toMatchObject({ cohortId: cohort.id, cohortLabel: 'France Services — printemps 2025' });
    const renamed = await api(ctx, 'sessions.cohorts.save', { conventionId, id: cohort.id, label: 'France Services — 2025', note: 'Mêmes agents, deux journées' });
    expect(renamed).toMatchObject({ id: cohort.id, label: 'France Services — 2025', note: 'Mêmes agents, deux journées', sessions: 2 });
    expect((await api(ctx, 'sessions.options', { conventionId })).cohorts).toEqual([expect.objectContaining({ id: cohort.id, sessions: 2 })]);
  });

  it('refuses an ineligible person with the reason, unless the officer writes why; nothing is written on refusal', async () => {
    const { ctx, st, ac } = await setup();
    const s = await ac();
    const cn = await person(ctx, st, { profession: 'Conseiller numérique France Services' });
    const before = dbSnapshot(ctx);
    const e = await refused(ctx, 'sessions.register', { sessionId: s.id, personIds: [cn] });
    expect(e.message).toMatch(/n’est pas éligible \(Conseiller numérique : sa formation est financée par le dispositif Conseillers numériques/);
    expect((e.details as { refused: { reasons: { code: string }[] }[] }).refused[0].reasons.map((r) => r.code)).toEqual(['non_eligible']);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    expect((await refused(ctx, 'sessions.register', { sessionId: s.id, personIds: [cn], overrideReason: 'parce que' })).message).toMatch(/écrivez le motif/);
    const ok = await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [cn], overrideReason: 'Contrat de conseiller numérique terminé au 31/01/2025, désormais agent d’accueil.' });
    expect(ok.session.participants[0]).toMatchObject({ personId: cn, status: 'inscrit', overrideReason: expect.stringMatching(/Contrat de conseiller/) });
  });

  it('refuses a person already registered in the same kind (AN_AC overlaps both), allows AN then AC', async () => {
    const { ctx, st, ac, an } = await setup();
    const s1 = await ac();
    const s2 = await ac({ title: 'Aidants Connect — Aubusson', halfDays: [{ date: '2025-06-03', period: 'matin' }, { date: '2025-06-03', period: 'apres_midi' }] });
    const a = await person(ctx, st);
    await api(ctx, 'sessions.register', { sessionId: s1.id, personIds: [a] });
    const again = await refused(ctx, 'sessions.register', { sessionId: s1.id, personIds: [a] });
    expect(again.message).toMatch(/déjà inscrit\(e\) à cette session/);
    const other = await refused(ctx, 'sessions.register', { sessionId: s2.id, personIds: [a] });
    expect(other.message).toMatch(/déjà inscrit\(e\) à la Formation Aidants Connect « Aidants Connect — Guéret » \(08\/04\/2025\)/);
    const sAn = await an();
    const reg = await api(ctx, 'sessions.register', { sessionId: sAn.id, personIds: [a] });
    expect(reg.registered).toHaveLength(1); // AN and AC are two trainings
  });

  it('refuses a person already trained: attended an AC session, or trained in AC according to ANCT’s list', async () => {
    const { ctx, st, ac } = await setup();
    const s1 = await ac();
    const a = await person(ctx, st);
    const r = (await api(ctx, 'sessions.register', { sessionId: s1.id, personIds: [a] })).registered[0];
    for (const h of s1.halfDays) await api(ctx, 'sessions.attendance.set', { registrationId: r.registrationId, halfDayId: h.id, status: 'present' });
    const s2 = await ac({ title: 'Aidants Connect — session 2', halfDays: [{ date: '2025-06-03', period: 'matin' }] });
    expect((await refused(ctx, 'sessions.register', { sessionId: s2.id, personIds: [a] })).message).toMatch(/a déjà suivi la Formation Aidants Connect « Aidants Connect — Guéret »/);
    const aidant = await person(ctx, st, { trainingDate: '2024-04-25', trainingOrg: 'Mednum' });
    const e = await refused(ctx, 'sessions.register', { sessionId: s2.id, personIds: [aidant] });
    expect(e.message).toMatch(/déjà été formé\(e\) à Aidants Connect le 25\/04\/2024 \(Mednum\)/);
    expect((e.details as { refused: { reasons: { code: string }[] }[] }).refused[0].reasons[0].code).toBe('deja_forme');
  });

  it('refuses going over capacity (all or nothing) but opens the waiting list; a waiting person is promoted when a place frees', async () => {
    const { ctx, st, ac } = await setup();
    const s = await ac({ capacity: 2 });
    const [a, b, c] = [await person(ctx, st), await person(ctx, st), await person(ctx, st)];
    const before = dbSnapshot(ctx);
    const full = await refused(ctx, 'sessions.register', { sessionId: s.id, personIds: [a, b, c] });
    expect(full.message).toMatch(/complète \(2 inscrits pour 2 places\)/);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [a, b] });
    const w = await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [c], waitingList: true });
    expect(w.session).toMatchObject({ registered: 2, waiting: 1 });
    const waiting = w.session.participants.find((p) => p.personId === c)!;
    expect((await refused(ctx, 'sessions.registration.promote', { registrationId: waiting.registrationId })).message).toMatch(/complète/);
    const ra = w.session.participants.find((p) => p.personId === a)!;
    await api(ctx, 'sessions.registration.cancel', { registrationId: ra.registrationId, reason: 'Arrêt maladie' });
    const after = await api(ctx, 'sessions.registration.promote', { registrationId: waiting.registrationId });
    expect(after).toMatchObject({ registered: 2, waiting: 0 });
  });

  it('warns (but registers) a person with a generic e-mail', async () => {
    const { ctx, st, ac } = await setup();
    const s = await ac();
    const g = await person(ctx, st, { email: 'contact@mairie-gueret.fr' });
    const r = await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [g] });
    expect(r.registered[0].warnings.map((w) => w.code)).toEqual(['generic_email']);
    expect(r.registered[0].warnings[0].message).toMatch(/adresses nominatives/);
    const cand = await api(ctx, 'sessions.candidates', { sessionId: s.id, search: 'contact@' });
    expect(cand.rows[0]).toMatchObject({ inSession: 'inscrit', warnings: [expect.objectContaining({ code: 'generic_email' })] });
  });

  it('moves a person between sessions keeping the history', async () => {
    const { ctx, st, ac } = await setup();
    const s1 = await ac();
    const s2 = await ac({ title: 'Aidants Connect — Aubusson', halfDays: [{ date: '2025-06-03', period: 'matin' }] });
    const a = await person(ctx, st);
    const reg = (await api(ctx, 'sessions.register', { sessionId: s1.id, personIds: [a] })).registered[0];
    const to = await api(ctx, 'sessions.registration.move', { registrationId: reg.registrationId, toSessionId: s2.id });
    expect(to.participants).toEqual([expect.objectContaining({ personId: a, status: 'inscrit', movedFromSessionId: s1.id })]);
    const from = await api(ctx, 'sessions.get', { id: s1.id });
    expect(from.participants).toEqual([expect.objectContaining({ personId: a, status: 'deplace', movedToSessionId: s2.id, movedToSessionTitle: 'Aidants Connect — Aubusson' })]);
    expect(from.registered).toBe(0);
  });

  it('candidates: filtered lists with the refusal reasons of each person', async () => {
    const { ctx, st, ac } = await setup();
    const s = await ac();
    const other = await structure(ctx, 'CCAS d’Aubusson', '21230047000011');
    await person(ctx, st, { trainingWish: 'AC' });
    await person(ctx, st, { statut: 'Bénévole', trainingWish: 'AC' });
    await person(ctx, other, { trainingWish: 'AN' });
    const all = await api(ctx, 'sessions.candidates', { sessionId: s.id });
    expect(all.total).toBe(3);
    const inel = await api(ctx, 'sessions.candidates', { sessionId: s.id, eligibility: 'ineligible' });
    expect(inel.rows).toEqual([expect.objectContaining({ eligible: false, refusals: [expect.objectContaining({ code: 'non_eligible', message: expect.stringMatching(/Bénévole/) })] })]);
    expect((await api(ctx, 'sessions.candidates', { sessionId: s.id, structureId: other })).total).toBe(1);
    expect((await api(ctx, 'sessions.candidates', { sessionId: s.id, training: 'AC', assignableOnly: true })).total).toBe(1);
  });
});

describe('departures (THE rule: one per person per training followed; planned when registered, done when attended)', () => {
  it('AN + AC = 2 departures; registered ≠ done; cancelled and waiting are not departures; the dashboard and stats agree', async () => {
    const { ctx, conventionId, st, ac, an } = await setup();
    const sAc = await ac();
    const sAn = await an();
    const [a, b, c, d] = [await person(ctx, st), await person(ctx, st), await person(ctx, st), await person(ctx, st)];
    const regAc = await api(ctx, 'sessions.register', { sessionId: sAc.id, personIds: [a, b, c] });
    await api(ctx, 'sessions.register', { sessionId: sAn.id, personIds: [a] });
    await api(ctx, 'sessions.register', { sessionId: sAc.id, personIds: [d], waitingList: true });
    const dep = async () => (await stats(ctx, conventionId)).departures;
    expect(await dep()).toEqual({ planned: 4, done: 0, target: 60, not_counted: {} }); // a: AN + AC, b: AC, c: AC; d waits

    const rc = regAc.registered.find((r) => r.personId === c)!;
    await api(ctx, 'sessions.registration.cancel', { registrationId: rc.registrationId, reason: 'Ne peut plus venir' });
    expect(await dep()).toEqual({ planned: 3, done: 0, target: 60, not_counted: {} });

    // a present on both half-days of AC: done. b present on one half-day only: not done…
    const ra = regAc.registered.find((r) => r.personId === a)!;
    const rb = regAc.registered.find((r) => r.personId === b)!;
    const [h1, h2] = sAc.halfDays;
    await api(ctx, 'sessions.attendance.set', { registrationId: ra.registrationId, halfDayId: h1.id, status: 'present' });
    expect((await dep()).done).toBe(0); // one half-day of two
    await api(ctx, 'sessions.attendance.set', { registrationId: ra.registrationId, halfDayId: h2.id, status: 'present' });
    await api(ctx, 'sessions.attendance.set', { registrationId: rb.registrationId, halfDayId: h1.id, status: 'present' });
    await api(ctx, 'sessions.attendance.set', { registrationId: rb.registrationId, halfDayId: h2.id, status: 'absent' });
    expect(await dep()).toEqual({ planned: 3, done: 1, target: 60, not_counted: {} });
    // …until the partial attendance is accepted with a written reason.
    expect((await refused(ctx, 'sessions.attendance.acceptPartial', { registrationId: rb.registrationId, reason: 'ok' })).fields?.reason).toMatch(/motif/);
    const p = await api(ctx, 'sessions.attendance.acceptPartial', { registrationId: rb.registrationId, reason: 'Urgence de service l’après-midi, contenus rattrapés avec le formateur.' });
    expect(p).toMatchObject({ present: 1, attended: true });
    expect(await dep()).toEqual({ planned: 3, done: 2, target: 60, not_counted: {} });
    const g = await api(ctx, 'guide.get', { conventionId });
    expect(g.dashboard?.departures).toEqual({ planned: 3, done: 2, target: 60 });
    expect(g.steps.find((s) => s.key === 'sessions')?.summary).toMatch(/3 départs prévus, 2 réalisés sur 60/);

    // A cancelled session is not a departure for anyone.
    await api(ctx, 'sessions.cancel', { id: sAn.id, reason: 'Formateur indisponible' });
    expect(await dep()).toEqual({ planned: 2, done: 2, target: 60, not_counted: {} });
  });

  it('a combined AN + AC training split into parts: present on both parts counts 2, on one part counts 1; the session, stats, the checklist facts and the art. 5.2 lines agree', async () => {
    const { ctx, conventionId, st } = await setup();
    const of = await api(ctx, 'marche.of.list', {});
    const m = await api(ctx, 'marche.create', { conventionId, label: 'AN avec brique AC', kind: 'AN_AC', seats: 10 });
    const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: of.find((o) => !o.isInternal)!.id, quoteDate: '2025-02-10', amountHtCents: 3_000_00, vatCents: 0, vatExemption: 'Exonération de TVA, art. 261-4-4° a du CGI' });
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul OF référencé ANCT disponible dans le département aux dates voulues.', choiceDate: '2025-02-11' });
    const o = await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-2025-009', orderDate: '2025-02-12', acceptWarnings: true });
    const halfDays = [
      { date: '2025-04-08', period: 'matin' as const, part: 'AN' as const },
      { date: '2025-04-08', period: 'apres_midi' as const, part: 'AN' as const },
      { date: '2025-04-09', period: 'matin' as const, part: 'AC' as const },
      { date: '2025-04-09', period: 'apres_midi' as const, part: 'AC' as const },
    ];
    // Every half-day in one part leaves the other part without any: refused, nothing written.
    const bad = await refused(ctx, 'sessions.create', { conventionId, kind: 'AN_AC', title: 'AN + AC', orderId: o.order!.id, modality: 'presentiel', place: 'Guéret', halfDays: halfDays.map((h) => ({ ...h, part: 'AN' as const })) });
    expect(bad.fields?.halfDays).toMatch(/partie Aidants Connect/);
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AN_AC', title: 'AN + AC', orderId: o.order!.id, modality: 'presentiel', place: 'Guéret', halfDays });
    expect(s.halfDays.map((h) => h.part)).toEqual(['AN', 'AN', 'AC', 'AC']);
    const [both, anOnly, acOnly, half] = [await person(ctx, st), await person(ctx, st), await person(ctx, st), await person(ctx, st)];
    const reg = (await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [both, anOnly, acOnly, half] })).registered;
    const regOf = (p: number) => reg.find((r) => r.personId === p)!.registrationId;
    const presentOn = async (p: number, parts: ('AN' | 'AC')[]) => {
      for (const h of s.halfDays) await api(ctx, 'sessions.attendance.set', { registrationId: regOf(p), halfDayId: h.id, status: parts.includes(h.part!) ? 'present' : 'absent' });
    };
    expect((await stats(ctx, conventionId)).departures).toMatchObject({ planned: 8, done: 0 });
    await presentOn(both, ['AN', 'AC']);
    await presentOn(anOnly, ['AN']);
    await presentOn(acOnly, ['AC']);
    // Half of each part, no accepted reason: no part completed.
    for (const [i, h] of s.halfDays.entries()) await api(ctx, 'sessions.attendance.set', { registrationId: regOf(half), halfDayId: h.id, status: i % 2 === 0 ? 'present' : 'absent' });
    expect((await stats(ctx, conventionId)).departures).toEqual({ planned: 8, done: 4, target: 60, not_counted: {} });
    const detail = await api(ctx, 'sessions.get', { id: s.id });
    const parts = Object.fromEntries(detail.participants.map((p) => [p.personId, p.partsCompleted]));
    expect(parts).toEqual({ [both]: ['AN', 'AC'], [anOnly]: ['AN'], [acOnly]: ['AC'], [half]: [] });
    expect(detail.attended).toBe(3);
    const facts = await loadDepartures(ctx, conventionId);
    expect(facts.find((f) => f.personId === anOnly)?.attendance).toBe('one_part');
    const f = await gatherFacts(ctx, conventionId);
    const lines = art52Rows(f);
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l[1] === facts.find((x) => x.personId === both)!.nom).map((l) => l[8])).toEqual([
      'Aidant Numérique (partie de la formation combinée avec la brique Aidants Connect)',
      'Brique Aidants Connect (partie de la formation combinée)',
    ]);
  });

  it('an AN_AC training attended on both parts is two departures (guide: « compté comme deux départs »), and it overlaps AC and AN (no second registration)', async () => {
    const { ctx, conventionId, st, ac, an } = await setup();
    const of = await api(ctx, 'marche.of.list', {});
    const m = await api(ctx, 'marche.create', { conventionId, label: 'AN avec brique AC', kind: 'AN_AC', seats: 10 });
    const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: of.find((o) => !o.isInternal)!.id, quoteDate: '2025-02-10', amountHtCents: 3_000_00, vatCents: 0, vatExemption: 'Exonération de TVA, art. 261-4-4° a du CGI' });
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul OF référencé ANCT disponible dans le département aux dates voulues.', choiceDate: '2025-02-11' });
    const o = await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-2025-008', orderDate: '2025-02-12', acceptWarnings: true });
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AN_AC', title: 'AN + brique AC', orderId: o.order!.id, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
    const a = await person(ctx, st);
    const r = (await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [a] })).registered[0];
    for (const h of s.halfDays) await api(ctx, 'sessions.attendance.set', { registrationId: r.registrationId, halfDayId: h.id, status: 'present' });
    expect((await stats(ctx, conventionId)).departures).toMatchObject({ planned: 2, done: 2 });
    const sAc = await ac({ title: 'AC plus tard', halfDays: [{ date: '2025-06-03', period: 'matin' }] });
    expect((await refused(ctx, 'sessions.register', { sessionId: sAc.id, personIds: [a] })).message).toMatch(/a déjà suivi la Formation Aidant Numérique avec brique Aidants Connect/);
    const sAn = await an();
    expect((await refused(ctx, 'sessions.register', { sessionId: sAn.id, personIds: [a] })).message).toMatch(/a déjà suivi/);
  });

  it('takes a backup before each bulk change (several registrations, AC steps of several people, a cancelled session), not for one person', async () => {
    const { ctx, st, ac } = await setup();
    const s = await ac();
    const bulk = () => listBackups(ctx).filter((b) => b.reason === 'modification-groupee').length;
    const [a, b, c] = [await person(ctx, st), await person(ctx, st), await person(ctx, st)];
    await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [a] });
    expect(bulk()).toBe(0);
    await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [b, c] });
    expect(bulk()).toBe(1);
    await api(ctx, 'sessions.ac.update', { personIds: [a], status: 'eligibilite_validee', date: '2025-03-21' });
    expect(bulk()).toBe(1);
    await api(ctx, 'sessions.ac.update', { personIds: [b, c], status: 'eligibilite_validee', date: '2025-03-21' });
    expect(bulk()).toBe(2);
    await api(ctx, 'sessions.cancel', { id: s.id, reason: 'Formatrice indisponible' });
    expect(bulk()).toBe(3);
  });
});
