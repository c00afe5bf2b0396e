// What the Aidants Connect board needs from the service: every status in its order with the
// French label (the screen shows them; it does not hold its own copy of the lifecycle).
import { afterEach, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app';
import { api, person, structure } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('sessions.ac.list statuses', () => {
  it('lists the lifecycle in order (steps first, then refused / cancelled) with labels, counts matching', async () => {
    const a = openTestApp({ now: '2025-03-20T09:00:00Z' });
    apps.push(a);
    const st = await structure(a.ctx);
    const p = await person(a.ctx, st);
    await api(a.ctx, 'sessions.ac.update', { personIds: [p], status: 'pix', date: '2025-03-25' });
    const board = await api(a.ctx, 'sessions.ac.list', {});
    expect(board.statuses.map((s) => s.code)).toEqual(['demande', 'eligibilite_validee', 'inscrit', 'bac_a_sable', 'forme', 'pix', 'presence_transmise', 'habilite', 'refuse', 'annule']);
    expect(board.statuses.filter((s) => !s.step).map((s) => s.label)).toEqual(['Refusé', 'Annulé']);
    expect(board.statuses.find((s) => s.code === 'eligibilite_validee')?.label).toBe('Éligibilité validée par l’ANCT');
    expect(Object.keys(board.counts).sort()).toEqual(board.statuses.map((s) => s.code).sort());
    expect(board.counts.pix).toBe(1);
    expect(board.rows[0]).toMatchObject({ personId: p, status: 'pix', statusLabel: 'Test Pix passé' });
  });
});
