// The Marché commands a demo script uses: every step prints its ids with --json.
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
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

describe('CLI: of / marche / depense', () => {
  it('imports the public list, checks an OF, and records OF → quotes → choice → order → invoice → payment', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'x.sqlite');
    const cert = path.join(dir, 'certificat.pdf');
    fs.writeFileSync(cert, '%PDF-1.4 certificat');
    await json(db, 'convention', 'create', '--departement', '23', '--beneficiaire', 'CD 23', '--signature', '2024-10-15', '--recu-le', '2024-11-02', '--montant-recu', '20000');
    expect((await cli(db, 'of', 'import-public-list', path.join(fixturesDir, 'liste-publique-of.csv'))).out).toBe('Liste publique importée : 6 organismes (1 ligne ignorée, sans identifiant).');
    const check = await json(db, 'of', 'check', '75230123423');
    expect(check).toMatchObject({ found: true, denomination: 'Mednum Formation', nda: '75230123423', siret: '81234567600017', qualiopi_actions_formation: true });
    expect(await json(db, 'of', 'check', '90011122000035')).toMatchObject({ found: true, qualiopi_actions_formation: false });
    expect(await json(db, 'of', 'check', '12345678901')).toMatchObject({ found: false, qualiopi_actions_formation: false });

    const a = await json(db, 'of', 'add', '--nom', 'Mednum Formation', '--siret', '81234567600017', '--nda', '75230123423', '--qualiopi-certificateur', 'AFNOR', '--qualiopi-fin', '2027-12-31', '--anct-le', '2024-05-01', '--certificat', cert);
    expect(a).toMatchObject({ hasQualiopiCertificate: true, qualiopiActionsFormation: true });
    const b = await json(db, 'of', 'add', '--nom', 'Familles Rurales', '--siret', '77567890700020', '--qualiopi-certificateur', 'BV', '--qualiopi-fin', '2027-06-30');
    const m = await json(db, 'marche', 'create', '--convention', '1', '--libelle', 'AC agents', '--type', 'AC', '--places', '12');
    const q1 = await json(db, 'marche', 'quote', '--marche', String(m.id), '--of', String(a.id), '--date', '2025-03-01', '--ht', '7000', '--tva', '1400');
    await json(db, 'marche', 'quote', '--marche', String(m.id), '--of', String(b.id), '--date', '2025-03-01', '--ht', '9600', '--exoneration', 'art. 261-4-4° CGI');
    await json(db, 'marche', 'choose', '--marche', String(m.id), '--devis', String(q1.id), '--raison', 'Moins cher, seul organisme référencé ANCT des deux.', '--date', '2025-03-05');
    const o = await json(db, 'marche', 'order', '--marche', String(m.id), '--numero', 'BC-1', '--date', '2025-03-10');
    expect(o.order).toMatchObject({ amountTtcCents: 8_400_00 });
    const inv = await json(db, 'marche', 'invoice', '--commande', String(o.id), '--numero', 'F-1', '--date', '2025-06-01', '--montant', '8400');
    const pay = await json(db, 'marche', 'pay', '--facture', String(inv.id), '--date', '2025-06-20', '--montant', '8 400,00', '--mandat', 'MDT-1');
    expect(pay.remainingToPayCents).toBe(0);
    const refused = await cli(db, 'depense', 'add', '--convention', '1', '--type', 'ingenierie', '--libelle', 'Kit', '--date', '2025-07-01', '--montant', '100');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/il en manque 60/);
    const stats = await json(db, 'stats');
    expect(stats.budget).toEqual({ amount_cents: 20_000_00, received_cents: 20_000_00, committed_cents: 8_400_00, paid_cents: 8_400_00 });
    // Reading, like `stats`: the latest convention when none is named.
    expect(await json(db, 'budget')).toMatchObject({ conventionId: 1, committedCents: 8_400_00, paidCents: 8_400_00 });
    expect((await json(db, 'marche', 'list')).map((x: { id: number }) => x.id)).toEqual([m.id]);
  });

  it('the consultation date decides the threshold (décret n° 2025-1386, art. 4); the other purchases of a year count; internal trainers’ pay is its own budget line', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    await json(db, 'convention', 'create', '--departement', '23', '--beneficiaire', 'CD 23', '--signature', '2024-10-15', '--recu-le', '2024-11-02', '--montant-recu', '20000');
    const a = await json(db, 'of', 'add', '--nom', 'Mednum Formation', '--siret', '81234567600017', '--qualiopi-certificateur', 'AFNOR', '--qualiopi-fin', '2027-12-31');
    const m = await json(db, 'marche', 'create', '--convention', '1', '--libelle', 'AN tout le département', '--type', 'AN', '--places', '120');
    const q = await json(db, 'marche', 'quote', '--marche', String(m.id), '--of', String(a.id), '--date', '2026-03-20', '--ht', '45000', '--exoneration', 'art. 261-4-4° CGI');
    await json(db, 'marche', 'choose', '--marche', String(m.id), '--devis', String(q.id), '--raison', 'Seul organisme ayant répondu, offre conforme au besoin.', '--date', '2026-03-25');
    const refused = await cli(db, 'marche', 'order', '--marche', String(m.id), '--numero', 'BC-1', '--date', '2026-04-02', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/décret n° 2025-1386, art\. 4.*consultation engagée au plus tard le 20\/03\/2026.*bon de commande du 02\/04\/2026/);
    // The consultation date cannot follow the first quote.
    expect((await cli(db, 'marche', 'consultation', '--marche', String(m.id), '--date', '2026-04-03')).code).toBe(2);
    expect((await json(db, 'marche', 'consultation', '--marche', String(m.id), '--date', '2026-03-10')).consultation).toEqual({ date: '2026-03-10', source: 'demande_de_devis' });
    expect(await json(db, 'marche', 'autres-achats', '--annee', '2026', '--ht', '12 000', '--note', 'Plan de formation du CD')).toEqual([
      { year: 2026, amountHtCents: 12_000_00, note: 'Plan de formation du CD', updatedAt: expect.any(String), ordersHtCents: 0, totalHtCents: 12_000_00 },
    ]);
    expect((await cli(db, 'marche', 'autres-achats')).out).toMatch(/^2026\tcommandes 0,00.€ HT\tautres achats 12.000,00.€ HT\ttotal 12.000,00.€ HT\tPlan de formation du CD$/);
    const e = await json(db, 'depense', 'add', '--convention', '1', '--type', 'formateurs_internes', '--libelle', 'Vacations de deux agents-formateurs', '--date', '2025-05-12', '--montant', '480');
    expect(e).toMatchObject({ kind: 'formateurs_internes', kindLabel: 'Rémunération des formateurs internes (décret n° 2010-235)' });
    expect(await json(db, 'budget')).toMatchObject({ internalTrainersSpentCents: 480_00, totalCommittedCents: 480_00 });
  });

  it('budget and marche list say there is no convention yet', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const r = await cli(db, 'budget');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Aucune convention enregistrée/);
  });
});
