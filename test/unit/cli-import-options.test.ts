// Issue 16 item 6: what the wizard asks, given on the command line — --map « En-tête=champ »
// (repeatable, « ignorer » leaves a column out), --ligne-entete, --dates — and the files that
// are not lists of professionals, named with the command that imports them.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { tempDir } from '../helpers/app';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function file(name: string, text: string): string {
  const p = path.join(tempDir(), name);
  fs.writeFileSync(p, text, 'utf8');
  return p;
}

function people(db: string): Record<string, unknown>[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT nom, prenom, email, profession, comment, request_date FROM people ORDER BY nom').all() as Record<string, unknown>[];
  } finally {
    d.close();
  }
}

const LIST = [
  'Liste des agents à former — mise à jour du 3 mars',
  'Nom;Prénom;Courriel;Bidule;Notes internes;Structure;SIRET;Date de la demande',
  'Durand;Anne;anne.durand@gueret.fr;Secrétaire de mairie;à rappeler;Mairie de Guéret;21230096500010;02/03/2025',
  'Martin;Paul;paul.martin@gueret.fr;Agent d’accueil;congé en mai;Mairie de Guéret;21230096500010;03/04/2025',
].join('\n');

describe('CLI import options', () => {
  it('--map names a column the import does not know, and leaves another out; --ligne-entete gives the header row', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const f = file('agents.csv', LIST);
    const r = await cli(['import', f, '--db', db, '--ligne-entete', '2', '--map', 'Bidule=profession', '--map=Notes internes=ignorer', '--dates', 'jma', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(people(db)).toEqual([
      { nom: 'Durand', prenom: 'Anne', email: 'anne.durand@gueret.fr', profession: 'Secrétaire de mairie', comment: null, request_date: '2025-03-02' },
      { nom: 'Martin', prenom: 'Paul', email: 'paul.martin@gueret.fr', profession: 'Agent d’accueil', comment: null, request_date: '2025-04-03' },
    ]);
    const refused = await cli(['import', f, '--db', db, '--map', 'Bidule=métier']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--map « Bidule=métier » : champ inconnu « métier »\. Champs possibles : .*profession/);
  });

  it('a date column no value decides is not guessed: refused without --dates, read month first with --dates mja', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const f = file('agents.csv', LIST);
    const r = await cli(['import', f, '--db', db, '--map', 'Bidule=profession']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Date de la demande/);
    expect(fs.existsSync(db) ? people(db) : []).toEqual([]);
    const us = await cli(['import', f, '--db', db, '--map', 'Bidule=profession', '--dates', 'mja']);
    expect(us.code).toBe(0);
    expect(people(db).map((p) => p.request_date)).toEqual(['2025-02-03', '2025-03-04']);
  });

  it('the public list of training organisations and an attendance sheet are named, with the command that imports them', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const list = file(
      'liste-publique.csv',
      'numeroDeclarationActivite;denomination;siren;siretEtablissementDeclarant;certifications.actionsDeFormation;adressePhysiqueOrganismeFormation.codePostal;adressePhysiqueOrganismeFormation.ville\n75230123423;Mednum Formation;812345676;81234567600017;true;23000;Guéret\n',
    );
    const r = await cli(['import', list, '--db', db]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/liste publique des organismes de formation.*npm run cli -- of import-public-list/);
    const sheet = file('releve.csv', 'Stagiaire;08/04/2025 matin;08/04/2025 après-midi\nDUPONT Élise;P;P\nMARTIN Jean;P;A\n');
    const s = await cli(['import', sheet, '--db', db]);
    expect(s.code).toBe(2);
    expect(s.err).toMatch(/relevé de présence.*npm run cli -- presence import/);
  });
});
