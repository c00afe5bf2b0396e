// The rules of the Marché step, read like the rules themselves (electron/services/marche/rules.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anctReferencing,
  checkOrganisme,
  consultationDateOf,
  sessionReferencingWarning,
  THRESHOLD_TABLE,
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

describe('the threshold is the one in force on the day the CONSULTATION was engaged, never the order date (décret n° 2025-1386, art. 4)', () => {
  it('quotes received on 20–21/03/2026 for 45 000 € HT, order dated 02/04/2026: under the 40 000 € threshold → refused, the message cites the décret and both dates', () => {
    const consultation = consultationDateOf({ recorded: null, quoteDates: ['2026-03-21', '2026-03-20'], orderDate: '2026-04-02' });
    expect(consultation).toEqual({ date: '2026-03-20', source: 'premier_devis' });
    const c = checkThreshold({ orderDate: '2026-04-02', consultation, amountHtCents: E(45_000), otherOrdersSameYearHtCents: 0 });
    expect(c.thresholdCents).toBe(E(40_000));
    expect(c.consultationDate).toBe('2026-03-20');
    expect(c.findings.map((f) => [f.code, f.level])).toEqual([['seuil_depasse', 'refus']]);
    const m = c.findings[0].message;
    expect(m).toContain('décret n° 2025-1386, art. 4');
    expect(m).toMatch(/consultation engagée au plus tard le 20\/03\/2026 \(premier devis reçu/);
    expect(m).toContain('bon de commande du 02/04/2026');
    expect(m).toMatch(/le seuil de 60\u202f000,00\u00a0€ HT ne vaut que pour les consultations engagées à partir du 01\/04\/2026/);
    // The same order read by its own date (the old rule) would have passed: the order date is not the criterion.
    expect(checkThreshold({ orderDate: '2026-04-02', amountHtCents: E(45_000), otherOrdersSameYearHtCents: 0 }).thresholdCents).toBe(E(60_000));
  });

  it('a consultation engaged on 03/04/2026 for the same 45 000 € HT is accepted under 60 000 € (75 %)', () => {
    const consultation = consultationDateOf({ recorded: '2026-04-03', quoteDates: ['2026-04-10'], orderDate: '2026-04-20' });
    expect(consultation).toEqual({ date: '2026-04-03', source: 'demande_de_devis' });
    const c = checkThreshold({ orderDate: '2026-04-20', consultation, amountHtCents: E(45_000), otherOrdersSameYearHtCents: 0 });
    expect([c.thresholdCents, c.percent]).toEqual([E(60_000), 75]);
    expect(c.findings.map((f) => [f.code, f.level])).toEqual([['seuil_ok', 'info']]);
    expect(c.findings[0].message).toContain('consultation engagée le 03/04/2026 (envoi de la demande de devis)');
    expect(c.findings[0].message).toContain('consultations engagées à partir du 01/04/2026 (décret n° 2025-1386, art. 4)');
  });

  it('the recorded demande de devis wins over the quotes; with neither, the order date is all there is', () => {
    expect(consultationDateOf({ recorded: '2026-03-25', quoteDates: ['2026-04-05'], orderDate: '2026-04-20' })).toEqual({ date: '2026-03-25', source: 'demande_de_devis' });
    expect(consultationDateOf({ recorded: null, quoteDates: [], orderDate: '2026-04-20' })).toEqual({ date: '2026-04-20', source: 'commande' });
  });

  it('the table covers every day with exactly one row, each citing the décret that dates it', () => {
    for (const d of ['1990-01-01', '2025-12-31', '2026-03-31', '2026-04-01', '2040-06-30']) {
      expect(THRESHOLD_TABLE.filter((r) => (r.from === null || d >= r.from) && (r.until === null || d <= r.until))).toHaveLength(1);
    }
    for (const r of THRESHOLD_TABLE) expect(r.appliesTo).toContain('décret n° 2025-1386');
  });

  it('the département’s other training purchases of the year are counted in the annual sum and named in the message', () => {
    const consultation = { date: '2026-04-03', source: 'demande_de_devis' as const };
    const c = checkThreshold({ orderDate: '2026-04-20', consultation, amountHtCents: E(45_000), otherOrdersSameYearHtCents: 0, otherPurchasesHtCents: E(15_000) });
    expect([c.yearTotalHtCents, c.otherPurchasesHtCents]).toEqual([E(60_000), E(15_000)]);
    expect(c.findings.map((f) => f.code)).toEqual(['seuil_depasse']);
    expect(c.findings[0].message).toContain('dont 15\u202f000,00\u00a0€ HT d’autres achats de formation du département');
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

  it('never refuses an order because the OF is not referenced by ANCT, for any kind of training (the referencing follows the choice)', () => {
    for (const kind of ['AN', 'AN_AC', 'AC'] as const) {
      expect(checkOrganisme(of, kind, '2025-06-01')).toEqual([]);
      expect(checkOrganisme({ ...of, anctReferencedDate: '2025-07-01' }, kind, '2025-06-01')).toEqual([]);
    }
  });

  it('the ANCT referencing is a step after the choice: not referenced, proof missing, referenced; internal trainers are not concerned', () => {
    expect(anctReferencing(of, false).status).toBe('non_reference');
    expect(anctReferencing(of, false).message).toMatch(/Mednum Formation n’est pas encore référencé auprès de l’ANCT.*pour tout type de formation/);
    expect(anctReferencing({ ...of, anctReferencedDate: '2025-02-01' }, false)).toMatchObject({ status: 'preuve_manquante' });
    expect(anctReferencing({ ...of, anctReferencedDate: '2025-02-01' }, true)).toMatchObject({ status: 'reference' });
    expect(anctReferencing({ ...of, isInternal: true }, false).status).toBe('sans_objet');
  });

  it('a session carries a warning while its OF is not referenced, its proof is missing, or it was referenced after the session began', () => {
    expect(sessionReferencingWarning(of, false, '2025-04-08')?.code).toBe('anct_non_reference');
    expect(sessionReferencingWarning({ ...of, anctReferencedDate: '2025-02-01' }, false, '2025-04-08')?.code).toBe('anct_preuve_manquante');
    expect(sessionReferencingWarning({ ...of, anctReferencedDate: '2025-02-01' }, true, '2025-04-08')).toBeNull();
    const late = sessionReferencingWarning({ ...of, anctReferencedDate: '2025-05-01' }, true, '2025-04-08');
    expect(late?.code).toBe('anct_reference_apres_session');
    expect(late?.message).toMatch(/le 01\/05\/2025, après le début de la session \(08\/04\/2025\)/);
    expect(sessionReferencingWarning({ ...of, isInternal: true }, false, '2025-04-08')).toBeNull();
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

describe('internal trainers’ pay (décret n° 2010-235): a budget line of its own', () => {
  it('the état récapitulatif has its line and its category', async () => {
    const { expenseSummaryRows, EXPENSE_CATEGORIES } = await import('../../electron/services/justification/documents');
    const b = {
      conventionId: 1, amountCents: E(20_000), receivedCents: E(20_000), fundsReceived: true, committedCents: E(8_000), invoicedCents: 0, paidCents: 0,
      fraisGestionPlannedCents: 0, fraisGestionSpentCents: E(500), engineeringPlannedCents: 0, engineeringSpentCents: 0, internalTrainersSpentCents: E(480),
      totalCommittedCents: E(8_980), remainingCents: E(11_020), overspentCents: 0, departures: { done: 0, target: 60 }, reliquat: reliquatRule(0, 60),
    };
    expect(expenseSummaryRows(b)).toContainEqual(['Rémunération des formateurs internes (décret n° 2010-235)', E(480)]);
    expect(EXPENSE_CATEGORIES).toContain('Rémunération des formateurs internes (décret n° 2010-235)');
  });
});
