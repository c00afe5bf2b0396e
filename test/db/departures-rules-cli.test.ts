// Issue 13 on the demo convention (ends 31/12/2025, 66 departures done), as an officer would do it
// with the CLI: a session held after the end date (its 3 trainees present) and a conseiller
// numérique trained with a written reason leave `departures.done` at 66; `stats --json` says why
// in departures.not_counted; `check --json` lists both (points d'attention, with the screen that
// corrects each); the art. 5.2 table keeps them out of its departures and lists them apart.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { runCli } from '../../electron/cli/run';
import { openApp } from '../../electron/services/app';
import { ART_5_2_COLUMNS, NOT_COUNTED_COLUMNS } from '../../electron/services/justification/documents';
import { DOSSIER_FILES } from '../../electron/services/justification/dossier';
import { api, buildDemo, DEMO_NOW, demoSessions } from '../../scripts/demo';
import { tempDir } from '../helpers/app';
import { readZip } from '../helpers/zip';

async function cli(db: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const json = async (db: string, ...argv: string[]) => {
  const r = await cli(db, ...argv, '--json');
  expect(r.err, r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
};

let dir: string;
let db: string;
let eligibleIds: number[];
let conseillerId: number;

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'fne-formations.sqlite');
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile: db, dataDir: dir, actor: 'test', now: () => fixed });
  await buildDemo(ctx, { sessions: demoSessions });
  // Three eligible people who have not followed an Aidant Numérique training yet…
  eligibleIds = (
    ctx.store.sqlite
      .prepare(
        `SELECT p.id FROM people p WHERE p.eligible = 1 AND p.ineligible_json = '[]' AND p.email IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.person_id = p.id AND s.kind IN ('AN', 'AN_AC'))
         ORDER BY p.id LIMIT 3`,
      )
      .all() as { id: number }[]
  ).map((r) => r.id);
  // …and a conseiller numérique (the rules exclude them: funded by another programme).
  const structureId = (ctx.store.sqlite.prepare('SELECT id FROM structures ORDER BY id LIMIT 1').get() as { id: number }).id;
  conseillerId = (
    await api(ctx, 'recensement.people.save', {
      values: { nom: 'Conum', prenom: 'Camille', email: 'camille.conum@mairie-gueret.fr', profession: 'Conseillère numérique', conseillerNumerique: true, structureId },
    })
  ).id;
  await ctx.store.close();
}, 180_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('issue 13 on the demo convention (CLI)', () => {
  it('a session after the end date and a conseiller numérique trained with a reason leave departures.done at 66; stats and check --json say why', async () => {
    expect(eligibleIds).toHaveLength(3);
    const before = await json(db, 'stats');
    expect(before.departures).toEqual({ planned: 67, done: 66, target: 60, not_counted: {} });

    // A session on 10/02/2026, after the end date (31/12/2025): kept (already held), not counted.
    const late = await json(db, 'session', 'create', '--convention', '1', '--type', 'AN', '--titre', 'Aidant numérique — Bourganeuf (février)', '--interne', '--modalite', 'presentiel', '--lieu', 'Mairie de Bourganeuf', '--demi-journees', '2026-02-10:matin,2026-02-10:apres-midi');
    expect(late.warnings).toEqual([{ code: 'hors_fenetre', message: expect.stringMatching(/le 10\/02\/2026, après la fin de la convention \(31\/12\/2025\)/), link: null }]);
    expect((await json(db, 'session', 'register', '--session', String(late.id), '--personnes', eligibleIds.join(','))).registered).toHaveLength(3);
    expect(await json(db, 'session', 'attendance', '--session', String(late.id), '--tous-presents')).toEqual({ sessionId: late.id, recorded: 6 });

    // A conseiller numérique, refused without a reason, registered with one, present: not counted.
    const inWindow = await json(db, 'session', 'create', '--convention', '1', '--type', 'AN', '--titre', 'Aidant numérique — Guéret (novembre)', '--interne', '--modalite', 'presentiel', '--lieu', 'Hôtel du département', '--demi-journees', '2025-11-20:matin');
    expect(inWindow.warnings).toEqual([]);
    const refused = await cli(db, 'session', 'register', '--session', String(inWindow.id), '--personnes', String(conseillerId));
    expect(refused.code).not.toBe(0);
    expect(refused.err + refused.out).toMatch(/n’est pas éligible \(Conseiller numérique/);
    const reg = await json(db, 'session', 'register', '--session', String(inWindow.id), '--personnes', String(conseillerId), '--motif', 'Demande expresse de la mairie : elle forme ses agents d’accueil.');
    const registrationId = reg.registered[0].registrationId;
    await json(db, 'session', 'attendance', '--session', String(inWindow.id), '--tous-presents');

    const after = await json(db, 'stats');
    expect(after.departures).toEqual({ planned: 67, done: 66, target: 60, not_counted: { hors_fenetre: 3, conseiller_numerique: 1 } });

    const check = await json(db, 'check');
    // Not missing pieces: the dossier stays complete…
    expect(check.items).toEqual([]);
    expect(check.ready).toBe(true);
    // …but both are named, each with the screen that corrects it.
    expect(check.attention).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: `session:${late.id}:hors_fenetre`, link: `sessions/${late.id}/modifier`, missing: expect.stringMatching(/après la fin de la convention/) }),
        expect.objectContaining({ key: `departure:${registrationId}:non_compte`, link: `recensement/personnes/${conseillerId}`, label: expect.stringMatching(/^CONUM Camille/), missing: expect.stringMatching(/Conseiller numérique.*Motif de l’inscription : « Demande expresse/) }),
      ]),
    );
    const text = await cli(db, 'check');
    expect(text.out).toMatch(/À vérifier/);
    expect(text.out).toContain('CONUM Camille');

    // The art. 5.2 table: 66 lines of departures counted; the 4 others apart, with their reason.
    const dossier = await json(db, 'dossier', '--out', path.join(dir, 'dossier'));
    expect(dossier.departures).toBe(66);
    const zip = await readZip(dossier.zipPath);
    const wb = XLSX.read(zip.find((e) => e.name === DOSSIER_FILES.art52)!.bytes);
    const table = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['Art. 5.2'], { header: 1, defval: '' });
    expect(table[0]).toEqual([...ART_5_2_COLUMNS]);
    expect(table.slice(1)).toHaveLength(66);
    expect(table.some((r) => r[1] === 'Conum')).toBe(false);
    const apart = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets['Non comptés'], { header: 1, defval: '' });
    expect(apart[0]).toEqual([...NOT_COUNTED_COLUMNS]);
    expect(apart.slice(1)).toHaveLength(4);
    const conum = apart.find((r) => r[1] === 'Conum')!;
    expect(String(conum[13])).toMatch(/Conseiller numérique/);
    expect(String(conum[14])).toMatch(/Demande expresse/);
    expect(apart.filter((r) => /hors de la période de la convention/.test(String(r[13])))).toHaveLength(3);
  }, 180_000);
});
