import { describe, expect, it } from 'vitest';
import { conventionFieldErrors, type ConventionValues } from '../../electron/services/convention/rules';

const ok: ConventionValues = {
  departement: '23',
  beneficiaireNom: 'Conseil départemental de la Creuse',
  beneficiaireSiret: '22230001600011',
  designationDate: '2024-09-20',
  signatureDate: '2024-10-15',
  amountCents: 20_000_00,
  fundsReceivedDate: '2024-11-02',
  fundsReceivedCents: 20_000_00,
  endDate: '2025-12-31',
  departureTarget: 60,
  fraisGestionPlannedCents: 1_000_00,
  engineeringActions: [{ label: 'Cartographie des lieux de médiation', plannedCents: 2_000_00 }],
};

describe('convention rules', () => {
  it('accept a complete, coherent convention', () => {
    expect(conventionFieldErrors(ok)).toEqual({});
  });
  it('refuse a signature before the préfecture designation', () => {
    expect(conventionFieldErrors({ ...ok, signatureDate: '2024-09-01' }).signatureDate).toMatch(/ne peut pas précéder la désignation/);
  });
  it('refuse more received than the convention amount', () => {
    expect(conventionFieldErrors({ ...ok, fundsReceivedCents: 20_000_01 }).fundsReceivedCents).toMatch(/dépasse le montant/);
  });
  it('refuse an invalid SIRET, an unknown département, an empty name', () => {
    const e = conventionFieldErrors({ ...ok, beneficiaireSiret: '22230001600012', departement: '20', beneficiaireNom: ' ' });
    expect(Object.keys(e).sort()).toEqual(['beneficiaireNom', 'beneficiaireSiret', 'departement']);
  });
  it('accept other envelopes: 977, another amount and target', () => {
    expect(conventionFieldErrors({ ...ok, departement: '977', amountCents: 8_000_00, fundsReceivedCents: 8_000_00, departureTarget: 20, fraisGestionPlannedCents: 0, engineeringActions: [] })).toEqual({});
  });
  it('refuse planned management and engineering above the amount', () => {
    expect(conventionFieldErrors({ ...ok, fraisGestionPlannedCents: 19_000_00 }).fraisGestionPlannedCents).toMatch(/dépassent/);
  });
  it('want the received date and amount together', () => {
    expect(conventionFieldErrors({ ...ok, fundsReceivedDate: null }).fundsReceivedDate).toBeDefined();
  });
});
