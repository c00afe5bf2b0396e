// Column inference of the recensement import (issue 16): headers by their meaningful words,
// columns by their content, « NOM Prénom » split, dates' day/month order. Pure functions, no file.
import { describe, expect, it } from 'vitest';
import { inferMapping } from '../../electron/services/recensement/import/infer-mapping';
import { headerWords, scoreHeader } from '../../electron/services/recensement/import/header-words';
import { describeColumn } from '../../electron/services/recensement/import/column-content';
import { columnNameOrder, splitFullName } from '../../electron/services/recensement/import/full-name';
import { inferDateOrder } from '../../electron/services/recensement/import/date-order';
import { toIsoDate } from '../../electron/services/common/tabular/values';

const best = (h: string) => scoreHeader(h)[0]?.field ?? null;

describe('headers by their words', () => {
  it('normalises case, accents, stars, line breaks, brackets, questions', () => {
    expect(headerWords('Quelle est votre\nADRESSE E-MAIL professionnelle ? *')).toEqual(['adresse', 'email', 'professionnelle']);
    expect(headerWords('Formation(s) souhaitée(s) (AN/AC)')).toEqual(['formation', 'souhaitee', 'an', 'ac']);
  });

  it.each([
    ['Mail pro', 'email'],
    ['COURRIEL', 'email'],
    ['Votre adresse mél *', 'email'],
    ['Quelle est votre adresse\ne-mail ?', 'email'],
    ['Courriel de la structure', 'structure_email'],
    ['Mail générique employeur', 'structure_email'],
    ['NOM DE FAMILLE', 'nom'],
    ['Votre nom *', 'nom'],
    ['Quel est votre prénom ?', 'prenom'],
    ['NOM Prénom', 'nom_complet'],
    ['Prénom et nom de l’agent', 'nom_complet'],
    ['Nom de votre structure', 'structure_nom'],
    ['Employeur (collectivité, association…)', 'structure_nom'],
    ['N° SIRET de votre employeur', 'siret'],
    ['Tél. portable', 'telephone'],
    ['Quelle est votre fonction ?', 'profession'],
    ['Métier exercé', 'profession'],
    ['Êtes-vous conseiller(e) numérique ?', 'conseiller_numerique'],
    ['Quel est votre statut ? (salarié, bénévole, service civique)', 'statut'],
    ['Votre employeur est-il adhérent à l’OPCO Uniformation ?', 'uniformation'],
    ['Avez-vous déjà été sensibilisé(e) à l’inclusion numérique ?', 'deja_sensibilise'],
    ['Formation demandée (AN / AC / les deux) *', 'formation_souhaitee'],
    ['Date d’envoi de la demande', 'date_demande'],
    ['Horodatage', 'date_demande'],
    ['Date de la session de formation', 'date_formation'],
    ['Organisme formateur', 'organisme_formation'],
    ['Remarques éventuelles', 'commentaire'],
    ['CP', 'code_postal'],
    ['Code postal de la structure', 'code_postal'],
    ['Ville de la structure', 'commune'],
    ['Dépt', 'departement'],
    ['Type d’établissement', 'structure_type'],
    ['Forme juridique de l’employeur', 'statut_employeur'],
    ['Adresse de messagerie', 'email'],
    ['Nom de naissance', 'nom'],
    ['Raison sociale', 'structure_nom'],
    ['Nom de l’organisme employeur', 'structure_nom'],
    ['Votre structure est-elle labellisée France Services ?', 'france_services'],
    ['Nom / Prénom', 'nom_complet'],
    ['Identité de l’aidant', 'nom_complet'],
    ['N° de téléphone', 'telephone'],
  ])('« %s » → %s', (h, f) => {
    expect(best(h)).toBe(f);
  });

  it('the manager’s name or address is not the person’s', () => {
    for (const h of ['E-mail du responsable', 'Nom du responsable de la structure', 'Téléphone du directeur', 'Prénom de la tutrice']) expect(best(h)).toBe(null);
  });

  it('says nothing of headers about something else', () => {
    for (const h of ['ID FNE', 'Carte TOTP active', 'Moyen de connexion choisi', 'Colonne 3', 'Divers', 'Date de naissance']) expect(best(h)).toBe(null);
  });

  it('a header whose cells say otherwise is left aside (« Type de Parcours » over « Formation classique »)', () => {
    const d = inferMapping(['Type de Parcours'], [['Formation classique', 'Formation classique', 'Formation classique']]);
    expect(d[0].field).toBe(null);
  });
});

describe('columns by their content', () => {
  const luhnSiret = '13002603200016';
  it('recognises e-mails, SIRETs, postcodes, phones, dates, AN/AC, names', () => {
    expect(describeColumn(['a.b@x.fr', 'c@y.org', ' d@z.fr ']).kind).toBe('email');
    expect(describeColumn([luhnSiret, '130 026 032 00016', 13002603200016]).kind).toBe('siret');
    expect(describeColumn(['23000', 23200, '20200']).kind).toBe('postcode');
    expect(describeColumn(['05 55 12 34 56', '06.12.34.56.78', '+33 5 55 00 11 22']).kind).toBe('phone');
    expect(describeColumn(['12/03/2025', '2025-01-02', 45720.5]).kind).toBe('date');
    expect(describeColumn(['AN', 'Aidants Connect', 'Les deux', 'AN + AC']).kind).toBe('formation');
    expect(describeColumn(['DUPONT Jean', 'Léa MARTIN', 'DA SILVA Maëlys']).kind).toBe('nom_complet');
  });

  it('a vague header over e-mails or SIRETs is decided by the content, with the reason', () => {
    const d = inferMapping(
      ['Qui', 'Contact', 'Identifiant', 'Où', 'Infos'],
      [
        ['DUPONT Jean', 'MARTIN Léa', 'LE GALL Hugo'],
        ['jean.dupont@a.fr', 'lea.martin@b.fr', 'hugo.legall@c.fr'],
        [luhnSiret, '35600000000010', luhnSiret],
        ['23000', '23200', '23300'],
        ['blabla', 'rien', 'x'],
      ],
    );
    expect(d.map((x) => x.field)).toEqual(['nom_complet', 'email', 'siret', 'code_postal', null]);
    expect(d[1].reason).toContain('contenu : 3 adresses e-mail');
    expect(d[2].reason).toContain('SIRET valides');
  });

  it('a header contradicted by its content loses; a known header confirmed says so', () => {
    const d = inferMapping(['Nom', 'E-mail', 'Prénom'], [['a@b.fr', 'c@d.fr', 'e@f.fr'], ['x', 'y', 'z'], ['Léa', 'Jean', 'Hugo']]);
    expect(d[0].field).toBe('email');
    expect(d[1].field).toBe(null);
  });

  it('weak content does not overrule a header: « Agent d’accueil » under « Fonction » is a profession', () => {
    const d = inferMapping(['Fonction', 'Vous êtes'], [['Agent d’accueil', 'Agent France Services', 'Agent social'], ['Salarié', 'Bénévole', 'Service civique']]);
    expect(d.map((x) => x.field)).toEqual(['profession', 'statut']);
  });

  it('identifiers of 5 digits under their header keep it (not taken for postcodes)', () => {
    const d = inferMapping(['Numero_d_habilitation_Aidants_Connect', 'Datapass'], [[31240, 25736, 95819], ['41240', '45736', '52819']]);
    expect(d.map((x) => x.field)).toEqual(['habilitation_ac', 'datapass_id']);
  });

  it('a repeated address is the structure’s, distinct ones the people’s', () => {
    const d = inferMapping(['Mail 1', 'Mail 2'], [['contact@mairie.fr', 'contact@mairie.fr', 'contact@mairie.fr', 'accueil@ccas.fr'], ['a@x.fr', 'b@x.fr', 'c@x.fr', 'd@x.fr']]);
    expect(d.map((x) => x.field)).toEqual(['structure_email', 'email']);
  });

  it('the CLI’s « En-tête=champ » wins over the inference', () => {
    const d = inferMapping(['Mail pro', 'Autre'], [['a@x.fr'], ['b@y.fr']], { map: { Autre: 'email', 'mail pro': null } });
    expect(d.map((x) => x.field)).toEqual([null, 'email']);
  });
});

describe('« NOM Prénom » in one column', () => {
  it('capitals tell the family name, in either order', () => {
    expect(splitFullName('DUPONT Jean', null)).toEqual({ nom: 'DUPONT', prenom: 'Jean', unsure: false });
    expect(splitFullName('Jean-Pierre DA SILVA', null)).toEqual({ nom: 'DA SILVA', prenom: 'Jean-Pierre', unsure: false });
    expect(splitFullName("N'DIAYE Loïc", null)).toEqual({ nom: "N'DIAYE", prenom: 'Loïc', unsure: false });
  });
  it('without capitals, the column’s order, and unsure', () => {
    const order = columnNameOrder(['DUPONT Jean', 'MARTIN Léa', 'Hugo Petit']);
    expect(order).toBe('nom_prenom');
    expect(splitFullName('Petit Hugo', order)).toEqual({ nom: 'Petit', prenom: 'Hugo', unsure: true });
  });
});

describe('day/month order of a date column', () => {
  it('a value above 12 decides, in either place', () => {
    expect(inferDateOrder(['02/01/2025', '13/02/2025']).order).toBe('jma');
    expect(inferDateOrder(['2/1/2025', '6/13/2025', '12/31/2024']).order).toBe('mja');
    expect(toIsoDate('6/13/2025', false, 'mja')).toBe('2025-06-13');
    expect(toIsoDate('2/1/2025', false, 'mja')).toBe('2025-02-01');
    expect(toIsoDate('6/13/2025 2:05 PM', false, 'mja')).toBe('2025-06-13');
  });
  it('nothing decides: no order (the officer or an option says)', () => {
    const f = inferDateOrder(['02/01/2025', '03/04/2025', 45720]);
    expect(f.order).toBe(null);
    expect(f.examples).toEqual(['02/01/2025', '03/04/2025']);
  });
});
