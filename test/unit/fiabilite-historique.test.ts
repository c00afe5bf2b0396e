// The history screen shows what a journal line changed as « champ : avant → après », in French,
// never as raw JSON nor as a code (the services tell it: electron/services/sauvegarde/history-format.ts).
import { describe, expect, it } from 'vitest';
import { describeChange, fieldLabel, formatValue, recordLabel } from '../../electron/services/sauvegarde/history-format';

describe('history lines, readable', () => {
  it('an update shows only the fields that changed, with French labels, euros and dates', () => {
    const before = { id: 1, departement: '23', beneficiaireNom: 'CD Creuse', signatureDate: null, fundsReceivedCents: 1_000_000, updatedAt: '2025-01-01T00:00:00Z' };
    const after = { id: 1, departement: '23', beneficiaireNom: 'Conseil départemental de la Creuse', signatureDate: '2024-10-15', fundsReceivedCents: 2_000_000, updatedAt: '2025-02-01T00:00:00Z' };
    const { lines, more } = describeChange(before, after);
    expect(more).toBe(0);
    expect(lines).toEqual([
      { label: 'Bénéficiaire', before: 'CD Creuse', after: 'Conseil départemental de la Creuse' },
      { label: 'Date de signature', before: '(vide)', after: '15/10/2024' },
      { label: 'Fonds reçus', before: '10\u202f000,00\u00a0€', after: '20\u202f000,00\u00a0€' },
    ]);
  });

  it('a creation lists the filled fields; an attachment shows the file and a short fingerprint', () => {
    const { lines } = describeChange(null, { ownerType: 'convention', ownerId: 1, role: 'convention_signee', sha256: 'd81fa67c3dcf49971b0fabe0447eb7fd51af820b2eff246fded685a2bde5afdc', originalName: 'convention-signée.pdf' });
    expect(lines).toEqual([
      { label: 'Rattachée à', after: 'Convention' },
      { label: 'N° de l’enregistrement', after: '1' },
      { label: 'Rôle', after: 'Convention signée' },
      { label: 'Empreinte', after: 'd81fa67c3dcf…' },
      { label: 'Fichier', after: 'convention-signée.pdf' },
    ]);
  });

  it('a deletion lists what was there; database rows (snake_case) and screen values (camelCase) compare as one', () => {
    expect(describeChange({ amount_cents: 12_345, label: 'Repas' }, undefined).lines).toEqual([
      { label: 'Montant', before: '123,45\u00a0€' },
      { label: 'Libellé', before: 'Repas' },
    ]);
    expect(describeChange({ amount_cents: 100, label: 'Repas' }, { amountCents: 200, label: 'Repas' }).lines).toEqual([{ label: 'Montant', before: '1,00\u00a0€', after: '2,00\u00a0€' }]);
  });

  it('no JSON braces reach the screen; nested values are summarised; long lists are capped', () => {
    const { lines } = describeChange({ kept: { id: 1, firstName: 'Ana', lastName: 'Diallo' }, merged: { id: 2, firstName: 'Anna' } }, { email: 'ana@x.fr' });
    expect(lines.map((l) => `${l.label} : ${l.before ?? ''} → ${l.after ?? ''}`).join('\n')).not.toMatch(/[{}"]/);
    expect(lines).toContainEqual({ label: 'Adresse électronique', after: 'ana@x.fr' });
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`champ${i}`, i]));
    const r = describeChange(null, many);
    expect(r.lines).toHaveLength(8);
    expect(r.more).toBe(4);
    expect(formatValue('x', 'a'.repeat(200))).toHaveLength(80);
    expect(formatValue('eligible', true)).toBe('oui');
    expect(formatValue('engineeringActions', [])).toBe('(aucun)');
  });

  it('records and unknown fields get French names', () => {
    expect(recordLabel('piece', 1)).toBe('Pièce n° 1');
    expect(recordLabel('convention', null)).toBe('Convention');
    expect(fieldLabel('headcount_planned')).toBe('Headcount planned');
    expect(fieldLabel('plannedCents')).toBe('Montant prévu');
    expect(fieldLabel('constructor')).toBe('Constructor'); // own labels only, never Object's
  });
});
