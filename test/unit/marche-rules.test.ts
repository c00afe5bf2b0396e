// The rules of the Marché step, read like the rules themselves (electron/services/marche/rules.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkOrganisme,
  checkOverspending,
  checkQuotesCompared,
  checkSameSupplier,
  checkThreshold,
  qualiopiStatus,
  reliquatRule,
  thresholdAt,
  type OrganismeFacts,
} from '../../electron/services/marche/rules';

const E = (euros: number) => euros * 100;

describe('the threshold in force is a dated table', () => {
  it('is 40 000 € HT up to 31/03/2026 and 60 000 € HT from 01/04/2026', () => {
    expect(thresholdAt('2025-06-15').cents).toBe(E(40_000));
    expect(thresholdAt('2026-03-31').cents).toBe(E(40_000));
    expect(thresholdAt('2026-04-01').cents).toBe(E(60_000));
    expect(thresholdAt('2027-01-10').cents).toBe(E(60_000));
  });
});

describe('the threshold is compared with the SUM HT of the training orders of the civil year', () => {
  it('2025: 35 000 € then 10 000 € HT → 45 000 € ≥ 40 000 €: refused without another procedure', () => {
    const c = checkThreshold({ orderDate: '2025-09-10', amountHtCents: E(10_000), otherOrdersSameYearHtCents: E(35_000) });
    expect(c.yearTotalHtCents).toBe(E(45_000));
    expect(c.thresholdCents).toBe(E(40_000));
    expect(c.findings.map((f) => [f.code, f.level])).toEqual([['seuil_depasse', 'refus']]);
    expect(c.findings[0].message).toMatch(/45\u202f000,00\u00a0€ HT/);
    expect(c.findings[0].message).toMatch(/fractionner/);
  });

  it('the single 10 000 € order alone would pass: it is the annual sum that is refused', () => {
    const alone = checkThreshold({ orderDate: '2025-09-10', amountHtCents: E(10_000), otherOrdersSameYearHtCents: 0 });
    expect(alone.findings.map((f) => f.level)).toEqual(['info']);
  });

  it('2025 above the threshold is allowed once the other procedure used is recorded', () => {
    const c = checkThreshold({
      orderDate: '2025-09-10',
      amountHtCents: E(10_000),
      otherOrdersSameYearHtCents: E(35_000),
      otherProcedure: { reference: 'MAPA 2025-FORM-03', date: '2025-07-01' },
    });
    expect(c.findings.map((f) => [f.code, f.level])).toEqual([['seuil_autre_procedure', 'info']]);
    expect(c.findings[0].message).toContain('MAPA 2025-FORM-03');
  });

  it('May 2026: the same 35 000 € + 10 000 € HT → 75 % of 60 000 €: allowed, no warning', () => {
    const c = checkThreshold({ orderDate: '2026-05-12', amountHtCents: E(10_000), otherOrdersSameYearHtCents: E(35_000) });
    expect(c.thresholdCents).toBe(E(60_000));
    expect(c.percent).toBe(75);
    expect(c.findings.map((f) => [f.code, f.level])).toEqual([['seuil_ok', 'info']]);
  });

  it('warns from 80 % of the threshold', () => {
    expect(checkThreshold({ orderDate: '2025-03-01', amountHtCents: E(31_999) + 99, otherOrdersSameYearHtCents: 0 }).findings[0].level).toBe('info'); // 79,99 %
    const c = checkThreshold({ orderDate: '2025-03-01', amountHtCents: E(32_000), otherOrdersSameYearHtCents: 0 });
    expect(c.percent).toBe(80);
    expect(c.findings.map((f) => [f.code, f.level])).toEqual([['seuil_proche', 'alerte']]);
  });

  it('reaching exactly the threshold is refused (the rule is « inférieure à »)', () => {
    expect(checkThreshold({ orderDate: '2025-03-01', amountHtCents: E(40_000), otherOrdersSameYearHtCents: 0 }).findings[0].level).toBe('refus');
    expect(checkThreshold({ orderDate: '2025-03-01', amountHtCents: E(40_000) - 1, otherOrdersSameYearHtCents: 0 }).findings[0].level).toBe('alerte');
  });
});

describe('good use of public money', () => {
  it('warns when fewer than two quotes were compared', () => {
    expect(checkQuotesCompared(0).map((f) => f.code)).toEqual(['moins_de_deux_devis']);
    expect(checkQuotesCompared(1)[0].level).toBe('alerte');
    expect(checkQuotesCompared(2)).toEqual([]);
  });

  it('warns when the same OF won the previous order without competition (R2122-8)', () => {
    const f = checkSameSupplier(7, 'Mednum Formation', [{ organismeId: 7, quoteCount: 1 }]);
    expect(f.map((x) => [x.code, x.level])).toEqual([['meme_fournisseur', 'alerte']]);
    expect(f[0].message).toMatch(/Mednum Formation a déjà obtenu la commande précédente/);
  });

  it('counts the consecutive previous orders of the same OF', () => {
    const f = checkSameSupplier(7, 'Mednum', [
      { organismeId: 7, quoteCount: 1 },
      { organismeId: 7, quoteCount: 3 },
      { organismeId: 9, quoteCount: 1 },
    ]);
    expect(f[0].message).toMatch(/les 2 commandes précédentes, dont une sans mise en concurrence/);
  });

  it('no warning for another OF, nor when the previous order was put in competition', () => {
    expect(checkSameSupplier(8, 'Autre', [{ organismeId: 7, quoteCount: 1 }])).toEqual([]);
    expect(checkSameSupplier(7, 'Mednum', [{ organismeId: 7, quoteCount: 2 }])).toEqual([]);
    expect(checkSameSupplier(7, 'Mednum', [])).toEqual([]);
  });
});

describe('the training organisation', () => {
  const of: OrganismeFacts = {
    name: 'Mednum Formation',
    isInternal: false,
    qualiopiActionsFormation: true,
    qualiopiValidFrom: '2022-01-01',
    qualiopiValidUntil: '2025-12-31',
    anctReferencedDate: null,
  };

  it('refuses an order when Qualiopi is not valid at the order date', () => {
    expect(checkOrganisme(of, 'AN', '2025-06-01')).toEqual([]);
    const expired = checkOrganisme(of, 'AN', '2026-01-05');
    expect(expired.map((f) => [f.code, f.level])).toEqual([['qualiopi_invalide', 'refus']]);
    expect(expired[0].message).toMatch(/a expiré le 31\/12\/2025/);
    expect(checkOrganisme({ ...of, qualiopiActionsFormation: false }, 'AN', '2025-06-01')[0].code).toBe('qualiopi_invalide');
    expect(checkOrganisme(of, 'AN', '2021-06-01')[0].message).toMatch(/ne commence que le 01\/01\/2022/);
  });

  it('refuses an Aidants Connect training (AC, AN avec brique AC) with an OF not referenced by ANCT at the order date', () => {
    expect(checkOrganisme(of, 'AC', '2025-06-01').map((f) => f.code)).toEqual(['anct_non_reference']);
    expect(checkOrganisme(of, 'AN_AC', '2025-06-01').map((f) => f.code)).toEqual(['anct_non_reference']);
    expect(checkOrganisme({ ...of, anctReferencedDate: '2025-07-01' }, 'AC', '2025-06-01').map((f) => f.code)).toEqual(['anct_non_reference']);
    expect(checkOrganisme({ ...of, anctReferencedDate: '2024-07-01' }, 'AC', '2025-06-01')).toEqual([]);
  });

  it('internal CD trainers are never bought', () => {
    expect(checkOrganisme({ ...of, isInternal: true }, 'AN', '2025-06-01').map((f) => f.code)).toEqual(['formateurs_internes']);
  });

  it('flags a certificate expiring within 90 days', () => {
    expect(qualiopiStatus(of, '2025-10-15').status).toBe('expire_bientot');
    expect(qualiopiStatus(of, '2025-06-15').status).toBe('valide');
    expect(qualiopiStatus(of, '2026-01-01').status).toBe('expire');
  });
});

describe('budget', () => {
  it('warns when commitments would exceed the amount received', () => {
    expect(checkOverspending({ receivedCents: E(20_000), alreadyCommittedCents: E(15_000), newCents: E(5_000) })).toEqual([]);
    const f = checkOverspending({ receivedCents: E(20_000), alreadyCommittedCents: E(15_000), newCents: E(5_000) + 1 });
    expect(f[0].message).toMatch(/dépassement de 0,01\u00a0€/);
  });

  it('reliquat: engineering refused below the target, saying how many departures are missing; allowed at the target', () => {
    const r59 = reliquatRule(59, 60);
    expect(r59.allowed).toBe(false);
    expect(r59.missing).toBe(1);
    expect(r59.message).toMatch(/il en manque 1/);
    expect(reliquatRule(60, 60).allowed).toBe(true);
    expect(reliquatRule(12, 10).allowed).toBe(true);
  });

  it('sums of integer cents never drift (any order, any split)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 60 }), (amounts) => {
        const total = amounts.reduce((s, a) => s + a, 0);
        const reversed = [...amounts].reverse().reduce((s, a) => s + a, 0);
        expect(Number.isSafeInteger(total)).toBe(true);
        expect(reversed).toBe(total);
        // The threshold rule sees the same sum whichever order is checked last.
        const last = amounts[amounts.length - 1];
        const c = checkThreshold({ orderDate: '2025-05-01', amountHtCents: last, otherOrdersSameYearHtCents: total - last });
        expect(c.yearTotalHtCents).toBe(total);
        expect(c.findings[0].level === 'refus').toBe(total >= 40_000_00);
      }),
    );
  });
});
