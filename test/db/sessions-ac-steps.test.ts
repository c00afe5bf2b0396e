// The Aidants Connect steps of a session through the channels the screens use: each missing step
// is a warning on the session and an item of the checklist (linked to the session), recording
// it removes both, and none of them changes the departures counted.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import { dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { api, conventionWithAcOrder, person, refused, structure, twoHalfDays } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function acSessionOf3() {
  const a = openTestApp({ now: '2025-04-20T09:00:00Z' });
  apps.push(a);
  const { ctx } = a;
  const { conventionId, orderId } = await conventionWithAcOrder(ctx);
  const st = await structure(ctx);
  const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'AC Guéret', orderId, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
  const ids = [await person(ctx, st, { nom: 'Durand', prenom: 'Anne' }), await person(ctx, st, { nom: 'Martin', prenom: 'Paul' }), await person(ctx, st, { nom: 'Petit', prenom: 'Zoé' })];
  const reg = await api(ctx, 'sessions.register', { sessionId: s.id, personIds: ids });
  return { ctx, conventionId, sessionId: s.id, ids, reg, halfDays: (await api(ctx, 'sessions.get', { id: s.id })).halfDays };
}

describe('Aidants Connect steps of a session', () => {
  it('lists each missing step before and after the training; recording them clears the session and the checklist; departures unchanged', async () => {
    const { ctx, conventionId, sessionId, ids, reg, halfDays } = await acSessionOf3();
    let steps = await api(ctx, 'sessions.ac.steps', { sessionId });
    expect(steps.applies).toBe(true);
    expect(steps.warnings.map((w) => [w.code, w.count])).toEqual([
      ['ac_liste_anct', 3],
      ['ac_eligibilite', 3],
      ['ac_bac_a_sable', 3],
    ]);
    let cl = await api(ctx, 'justification.checklist', { conventionId });
    expect(cl.items.filter((i) => i.group === 'aidants_connect').map((i) => [i.key, i.link])).toEqual([
      [`ac:${sessionId}:ac_liste_anct`, `sessions/${sessionId}`],
      [`ac:${sessionId}:ac_eligibilite`, `sessions/${sessionId}`],
      [`ac:${sessionId}:ac_bac_a_sable`, `sessions/${sessionId}`],
    ]);
    expect(cl.items.find((i) => i.key === `ac:${sessionId}:ac_eligibilite`)!.missing).toContain('DURAND Anne, MARTIN Paul, PETIT Zoé');

    for (const step of ['demande', 'eligibilite_validee', 'bac_a_sable'] as const) steps = await api(ctx, 'sessions.ac.recordStep', { sessionId, personIds: ids, step, date: '2025-03-20' });
    expect(steps.warnings).toEqual([]);

    // Anne and Paul come; Zoé is absent. Paul takes the Pix test a week later.
    const [anne, paul, zoe] = reg.registered.map((r) => r.registrationId);
    for (const h of halfDays) {
      await api(ctx, 'sessions.attendance.set', { registrationId: anne!, halfDayId: h.id, status: 'present' });
      await api(ctx, 'sessions.attendance.set', { registrationId: paul!, halfDayId: h.id, status: 'present' });
      await api(ctx, 'sessions.attendance.set', { registrationId: zoe!, halfDayId: h.id, status: 'absent' });
    }
    const before = await api(ctx, 'stats.get', { conventionId });
    steps = await api(ctx, 'sessions.ac.steps', { sessionId });
    expect(steps.warnings.map((w) => [w.code, w.people])).toEqual([
      ['ac_pix', ['DURAND Anne', 'MARTIN Paul']],
      ['ac_moyen_connexion', ['DURAND Anne', 'MARTIN Paul']],
      ['ac_presence_anct', ['DURAND Anne', 'MARTIN Paul']],
    ]);
    await api(ctx, 'sessions.ac.recordStep', { sessionId, personIds: [ids[0]!], step: 'pix', date: '2025-04-08' });
    await api(ctx, 'sessions.ac.recordStep', { sessionId, personIds: [ids[1]!], step: 'pix', date: '2025-04-15' });
    await api(ctx, 'sessions.ac.setConnection', { sessionId, personIds: [ids[0]!], method: 'application' });
    steps = await api(ctx, 'sessions.ac.setConnection', { sessionId, personIds: [ids[1]!], method: 'carte' });
    expect(steps.people.find((p) => p.personId === ids[1])!.connectionMethod).toBe('carte');
    expect(steps.warnings.map((w) => w.code)).toEqual(['ac_pix_tardif', 'ac_presence_anct']);
    expect(steps.warnings[0]!.people).toEqual(['MARTIN Paul']);
    cl = await api(ctx, 'justification.checklist', { conventionId });
    expect(cl.items.filter((i) => i.group === 'aidants_connect').map((i) => i.key)).toEqual([`ac:${sessionId}:ac_pix_tardif`, `ac:${sessionId}:ac_presence_anct`]);
    // The follow-up board shows the method too; the status moved forward with the Pix test.
    const board = await api(ctx, 'sessions.ac.list', {});
    expect(board.rows.find((r) => r.personId === ids[1])).toMatchObject({ connectionMethod: 'carte', status: 'pix' });

    steps = await api(ctx, 'sessions.ac.recordStep', { sessionId, personIds: [ids[0]!, ids[1]!], step: 'presence_transmise', date: '2025-04-18' });
    expect(steps.warnings.map((w) => w.code)).toEqual(['ac_pix_tardif']);
    // Nothing of this moves the departures: the guide counts attendance.
    expect((await api(ctx, 'stats.get', { conventionId })).departures).toEqual(before.departures);
  });

  it('refuses people not registered in the session, and AN sessions, changing nothing', async () => {
    const { ctx, conventionId, sessionId, ids } = await acSessionOf3();
    const other = await person(ctx, null, { nom: 'Ailleurs', prenom: 'Luc' });
    const snap = dbSnapshot(ctx);
    expect((await refused(ctx, 'sessions.ac.recordStep', { sessionId, personIds: [ids[0]!, other], step: 'pix', date: '2025-04-08' })).message).toMatch(/n’est pas inscrite à cette session/);
    expect((await refused(ctx, 'sessions.ac.setConnection', { sessionId, personIds: [ids[0]!], method: 'sms' as never })).code).toBe('invalid_input');
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    const an = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'AN', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: [{ date: '2025-05-12', period: 'matin' }] });
    expect((await api(ctx, 'sessions.ac.steps', { sessionId: an.id })).applies).toBe(false);
    expect((await refused(ctx, 'sessions.ac.setConnection', { sessionId: an.id, personIds: [ids[0]!], method: 'carte' })).message).toMatch(/pas de formation Aidants Connect/);
    const after = await api(ctx, 'sessions.ac.steps', { sessionId });
    expect(after.warnings.map((w) => w.count)).toEqual([3, 3, 3]);
  });

  it('migration 0010 adds the connection method (application or card, NULL until chosen) to follow-ups already recorded', () => {
    const d = new Database(path.join(tempDir(), 'm.sqlite'));
    try {
      migrate(d, { to: 9 });
      d.prepare("INSERT INTO people (nom, prenom, name_key, eligible, created_at, updated_at) VALUES ('Durand', 'Anne', 'durand|anne', 1, 't', 't')").run();
      d.prepare("INSERT INTO ac_followups (person_id, status, created_at, updated_at) VALUES (1, 'inscrit', 't', 't')").run();
      migrate(d, { to: 10 });
      expect(d.prepare('SELECT status, connection_method FROM ac_followups').all()).toEqual([{ status: 'inscrit', connection_method: null }]);
      d.prepare("UPDATE ac_followups SET connection_method = 'carte'").run();
      expect(() => d.prepare("UPDATE ac_followups SET connection_method = 'sms'").run()).toThrow(/CHECK/);
    } finally {
      d.close();
    }
  });
});
