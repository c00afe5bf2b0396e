// The eligibility rules of the FNE envelope, as the officer would read them.
import { describe, expect, it } from 'vitest';
import { evaluateEligibility, isGenericEmail, isPublicAgent, parseTrainingWish, type EligibilityFacts } from '../../electron/services/recensement/eligibility';

const agent: EligibilityFacts = {
  email: 'lea.durand@mairie-gueret.fr',
  profession: 'Secrétaire de mairie',
  conseillerNumerique: false,
  statut: 'Salarié·e / agent',
  uniformation: false,
  structureOpco: null,
  structureSiret: '21230096600018',
  structureSiren: '212300966',
  hasStructure: true,
};

describe('who can be trained on the envelope', () => {
  it('a secrétaire de mairie with a nominative e-mail and a SIRET is eligible, without warning', () => {
    expect(evaluateEligibility(agent)).toEqual({ eligible: true, ineligible: [], warnings: [], overridden: false });
  });

  it('a conseiller numérique is not eligible (flag of the ANCT export, or the profession typed)', () => {
    expect(evaluateEligibility({ ...agent, conseillerNumerique: true }).ineligible).toEqual(['conseiller_numerique']);
    expect(evaluateEligibility({ ...agent, conseillerNumerique: null, profession: 'Conseillère numérique France Services' }).ineligible).toEqual(['conseiller_numerique']);
    expect(evaluateEligibility({ ...agent, profession: 'Médiateur numérique' }).eligible).toBe(true);
  });

  it('a conseiller numérique is recognised however the profession is written (inclusive forms, plural, hyphen)', () => {
    for (const p of ['Conseiller(e) numérique', 'Conseiller(ère) numérique', 'Conseiller·e numérique', 'Conseiller.e numérique', 'Conseillers numériques', 'Conseiller-numérique', 'CONSEILLÈRE NUMÉRIQUE']) {
      expect(evaluateEligibility({ ...agent, conseillerNumerique: null, profession: p }).ineligible, p).toEqual(['conseiller_numerique']);
    }
    expect(evaluateEligibility({ ...agent, profession: 'Conseiller en insertion professionnelle' }).eligible).toBe(true);
  });

  it('an employee of an employer covered by OPCO Uniformation is not eligible (form answer or SIRO table)', () => {
    expect(evaluateEligibility({ ...agent, uniformation: true }).ineligible).toEqual(['uniformation']);
    expect(evaluateEligibility({ ...agent, structureOpco: 'OPCO UNIFORMATION' }).ineligible).toEqual(['uniformation']);
    expect(evaluateEligibility({ ...agent, structureOpco: 'AKTO' }).eligible).toBe(true);
    expect(evaluateEligibility({ ...agent, uniformation: null }).eligible).toBe(true); // « Je ne sais pas »
  });

  it('bénévoles and volunteers in service civique are not eligible', () => {
    expect(evaluateEligibility({ ...agent, statut: 'Bénévole' }).ineligible).toEqual(['benevole']);
    expect(evaluateEligibility({ ...agent, statut: 'Service civique' }).ineligible).toEqual(['service_civique']);
  });

  it('a list without a statut column that gives « Bénévole » or « Service civique » as the function: not eligible either', () => {
    const noStatut = { ...agent, statut: null };
    for (const p of ['Bénévole', 'Aidant bénévole', 'Bénévole - accueil', 'BENEVOLES']) {
      expect(evaluateEligibility({ ...noStatut, profession: p }).ineligible, p).toEqual(['benevole']);
    }
    for (const p of ['Service civique', 'Volontaire en service civique', 'Volontaire', 'Jeune en service civique']) {
      expect(evaluateEligibility({ ...noStatut, profession: p }).ineligible, p).toEqual(['service_civique']);
    }
    // professionals who work with volunteers stay eligible
    for (const p of ['Coordinatrice des bénévoles', 'Responsable de bénévoles', 'Tuteur des services civiques', 'Référent du service civique']) {
      expect(evaluateEligibility({ ...noStatut, profession: p }).eligible, p).toBe(true);
    }
  });

  it('several reasons are all given', () => {
    expect(evaluateEligibility({ ...agent, statut: 'bénévole', conseillerNumerique: true }).ineligible).toEqual(['conseiller_numerique', 'benevole']);
  });

  it('a generic e-mail, a missing e-mail or a structure without full SIRET is a warning, not a refusal', () => {
    expect(evaluateEligibility({ ...agent, email: 'contact@mairie-gueret.fr' })).toMatchObject({ eligible: true, warnings: ['generic_email'] });
    expect(evaluateEligibility({ ...agent, email: null }).warnings).toEqual(['email_manquant']);
    expect(evaluateEligibility({ ...agent, structureSiret: null, structureSiren: null }).warnings).toEqual(['siret_manquant']);
    expect(evaluateEligibility({ ...agent, structureSiret: null }).warnings).toEqual(['siret_incomplet']);
  });

  it('the officer can decide against the rules; the rules’ reasons stay visible', () => {
    const d = evaluateEligibility({ ...agent, statut: 'Bénévole' }, { eligible: true, reason: 'Agent contractuel, statut mal saisi' });
    expect(d).toMatchObject({ eligible: true, ineligible: ['benevole'], overridden: true });
    expect(evaluateEligibility(agent, { eligible: false, reason: 'A quitté la structure' })).toMatchObject({ eligible: false, overridden: true });
  });
});

describe('generic e-mails (ANCT accepts nominative ones only)', () => {
  it.each(['contact@x.fr', 'accueil@x.fr', 'mairie@x.fr', 'Mairie.Gueret@x.fr', 'accueil-ccas@x.fr', 'contact23@x.fr', 'france-services@x.fr', 'secretariat@x.fr'])('%s is generic', (e) => {
    expect(isGenericEmail(e)).toBe(true);
  });
  it.each([
    'mairiedegueret@wanadoo.fr', 'mairie-de-gueret@orange.fr', 'france-services.gueret@x.fr', 'centre.social@x.fr', 'centre.social.aubusson@x.fr',
    'epn.gueret@x.fr', 'bibliotheque.gueret@x.fr', 'mds.aubusson@x.fr', 'commune.gueret@x.fr', 'cias@x.fr', 'ville@x.fr',
  ])('%s is generic too (shared mailboxes of small communes and services)', (e) => {
    expect(isGenericEmail(e)).toBe(true);
  });
  it.each(['lea.durand@x.fr', 'marie.dupont@mairie.fr', 'j.martin@x.fr', 'contactless.martin@x.fr', 'villeneuve.anne@x.fr', 'anne.communeau@x.fr', 'epner.luc@x.fr'])('%s is nominative', (e) => {
    expect(isGenericEmail(e)).toBe(false);
  });
});

describe('training wished', () => {
  it.each([
    ['Aidants Numériques', 'AN'],
    ['Aidants Connect', 'AC'],
    ['Les deux', 'AN_AC'],
    ['AN + AC', 'AN_AC'],
    ['Aidant Numérique avec brique Aidants Connect', 'AN_AC'],
    ['AC', 'AC'],
    ['', null],
    ['Excel avancé', null],
  ])('« %s » → %s', (raw, wish) => {
    expect(parseTrainingWish(raw)).toBe(wish);
  });
});

describe('codes shown in French', () => {
  it('every warning code the importer can give, and every rule code, has a short French name (preview counts, badges)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { importWarningLabels, ineligibleShortLabels } = await import('../../electron/services/recensement/labels');
    const { ineligibilityRules, warningRules } = await import('../../electron/services/recensement/eligibility');
    // The importer's rows are read and matched in recensement/import/*.ts (issue 18 split).
    const dir = path.join(__dirname, '../../electron/services/recensement/import');
    const src = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const codes = new Set([...src.matchAll(/\b(?:warn|repaired)\([^,]+,[^,]+,\s*'([a-z_]+)'/g)].map((m) => m[1]));
    expect(codes.size).toBeGreaterThan(8);
    for (const c of [...codes, ...Object.keys(warningRules)]) expect(importWarningLabels[c], c).toMatch(/^[^_]+$/);
    for (const c of Object.keys(ineligibilityRules)) expect(ineligibleShortLabels[c as keyof typeof ineligibleShortLabels], c).toMatch(/^[^_]+$/);
  });
});

describe('unknown OPCO of an association’s employee (Uniformation members are excluded by the guide)', () => {
  it('warns opco_inconnu when the employer is an association, the form said neither yes nor no, and no SIRO table gives its OPCO', () => {
    const asso = { ...agent, structureType: 'Association loi 1901', uniformation: null };
    expect(evaluateEligibility(asso).warnings).toEqual(['opco_inconnu']);
    expect(evaluateEligibility(asso).eligible).toBe(true);
    expect(evaluateEligibility({ ...asso, uniformation: false }).warnings).toEqual([]);
    expect(evaluateEligibility({ ...asso, structureOpco: 'AKTO' }).warnings).toEqual([]);
    expect(evaluateEligibility({ ...asso, structureOpco: 'OPCO Uniformation' }).ineligible).toEqual(['uniformation']);
    expect(evaluateEligibility({ ...asso, structureType: 'Commune' }).warnings).toEqual([]);
    expect(evaluateEligibility({ ...asso, structureType: 'Fondation reconnue d’utilité publique' }).warnings).toEqual(['opco_inconnu']);
  });
  it('public agents (local authorities and State) are the priority the guide names', () => {
    for (const t of ['Commune', 'Mairie', 'CCAS', 'Conseil départemental', 'Communauté de communes', 'Préfecture', 'Espace France Services', 'Service de l’État']) expect(isPublicAgent(t), t).toBe(true);
    for (const t of ['Association', 'Entreprise', 'Fondation', null]) expect(isPublicAgent(t), String(t)).toBe(false);
  });
});
