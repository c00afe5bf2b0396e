// The sessions commands a demo script uses: create a session with half-days, register people
// (by e-mail), record attendance, export and print; --json outputs carry the ids.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { parseHalfDays } from '../../electron/cli/commands/sessions';
import { fixturesDir, tempDir } from '../helpers/app';

async function cli(db: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const json = async (db: string, ...argv: string[]) => {
  const r = await cli(db, ...argv, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
};

describe('CLI: session', () => {
  it('parses half-days with optional hours', () => {
    expect(parseHalfDays('2025-04-08:matin,2025-04-08:apres-midi@13h30-17:00')).toEqual([
      { date: '2025-04-08', period: 'matin', start: undefined, end: undefined },
      { date: '2025-04-08', period: 'apres_midi', start: '13:30', end: '17:00' },
    ]);
  });

  it('creates an internal AN session, registers imported people by e-mail, records attendance, exports and prints', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'x.sqlite');
    await json(db, 'convention', 'create', '--departement', '23', '--beneficiaire', 'CD 23');
    await json(db, 'import', path.join(fixturesDir, 'candidatures-formulaire.xlsx'), '--accept-rejected');
    const s = await json(db, 'session', 'create', '--convention', '1', '--type', 'AN', '--titre', 'Aidant numérique — Guéret', '--interne', '--modalite', 'presentiel', '--lieu', 'Hôtel du département', '--demi-journees', '2025-05-12:matin,2025-05-12:apres-midi');
    expect(s).toMatchObject({ id: 1, capacity: 12, internal: true, halfDayCount: 2 });
    const r = await json(db, 'session', 'register', '--session', String(s.id), '--emails', 'sandrine.robert@associationnumeriq.fr,catherine.david@associationnumeriq.fr');
    expect(r.registered).toHaveLength(2);
    // A refusal is explained and exits non-zero.
    const again = await cli(db, 'session', 'register', '--session', String(s.id), '--emails', 'sandrine.robert@associationnumeriq.fr');
    expect(again.code).not.toBe(0);
    expect(again.err + again.out).toMatch(/déjà inscrit\(e\) à cette session/);
    const one = r.registered[0].registrationId;
    const p = await json(db, 'session', 'attendance', '--inscription', String(one), '--demi-journee', String(s.halfDays[0].id), '--statut', 'present');
    expect(p).toMatchObject({ present: 1, attended: false });
    expect(await json(db, 'session', 'attendance', '--session', String(s.id), '--tous-presents')).toEqual({ sessionId: s.id, recorded: 4 });
    const stats = await json(db, 'stats');
    expect(stats.departures).toMatchObject({ planned: 2, done: 2 });
    const x = await json(db, 'session', 'export', '--session', String(s.id), '--pour', 'of', '--format', 'csv', '--out', path.join(dir, 'of.csv'));
    expect(x.rows).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'of.csv'), 'utf8')).toMatch(/^\ufeffNom;Prénom;Fonction;E-mail;Téléphone;Structure;SIRET;Adresse;Code postal;Ville\r\n/);
    const pdf = await json(db, 'session', 'emargement', '--session', String(s.id), '--out', path.join(dir, 'e.pdf'));
    expect(fs.readFileSync(pdf.file).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
