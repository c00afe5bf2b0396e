// Through the import: a bare number in a date column of a CSV is set aside with a warning (it
// used to become a date of 1900 or 1905); real dates are kept.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { tempDir } from '../helpers/app';

describe('dates of an import', () => {
  it('« 2024 », « 12 » and « 45292 » typed in date columns are not dates; 15/03/2024 is', async () => {
    const dir = tempDir();
    const csv = path.join(dir, 'besoins.csv');
    fs.writeFileSync(csv, 'Nom;Prénom;Adresse électronique;Nom de la structure;Date de formation;Date de la demande\nDupont;Ana;ana@exemple.fr;Mairie A;2024;12\nMartin;Léo;leo@exemple.fr;Mairie B;15/03/2024;45292\n');
    const db = path.join(dir, 'x.sqlite');
    const out: string[] = [];
    const code = await runCli(['import', csv, '--db', db, '--json'], { out: (l) => out.push(l), err: () => undefined });
    expect(code).toBe(0);
    const r = JSON.parse(out.join('\n'));
    expect(r.warnings.filter((w: { code: string }) => w.code === 'date_illisible').map((w: { message: string }) => w.message)).toEqual([
      'Date de formation illisible « 2024 » : ignorée.',
      'Date de la demande illisible « 12 » : ignorée.',
      'Date de la demande illisible « 45292 » : ignorée.',
    ]);
    const Database = require('better-sqlite3');
    const d = new Database(db, { readonly: true });
    const rows = d.prepare('SELECT nom, training_date, request_date FROM people ORDER BY nom').all();
    d.close();
    expect(rows).toEqual([
      { nom: 'Dupont', training_date: null, request_date: null },
      { nom: 'Martin', training_date: '2024-03-15', request_date: null },
    ]);
  });
});
