// The readiness rules for each departure, on facts built by hand (the Sessions tables fill the
// same facts from the database): what the checklist and the dossier's missing list say.
import { describe, expect, it } from 'vitest';
import { buildChecklist } from '../../electron/services/justification/checklist';
import { art52Rows, ART_5_2_COLUMNS } from '../../electron/services/justification/documents';
import { missingText } from '../../electron/services/justification/dossier';
import type { DepartureFact, DossierFacts, OrganismeFact, PieceFact } from '../../electron/services/justification/facts';

const of: OrganismeFact = { id: 7, name: 'Mednum Formation', isInternal: false, siret: '81234567600017', nda: '75230123423', qualiopiActionsFormation: true, qualiopiIssuer: 'AFNOR Certification', qualiopiNumber: 'Q-2022-0042', qualiopiValidFrom: '2022-01-01', qualiopiValidUntil: '2025-06-30', anctReferencedDate: '2024-05-01' };
const internal: OrganismeFact = { ...of, id: 1, name: 'Formateurs internes du Conseil départemental', isInternal: true, qualiopiActionsFormation: false, qualiopiIssuer: null, qualiopiNumber: null, qualiopiValidFrom: null, qualiopiValidUntil: null };

function dep(id: number, over: Partial<DepartureFact> = {}): DepartureFact {
  return {
    registrationId: id, personId: 100 + id, nom: `Nom${id}`, prenom: 'Élise', structureId: 3, structureName: 'Mairie de Guéret', structureSiret: '22230001600011', structureType: 'Commune',
    sessionId: 50, sessionTitle: 'Aidants Connect — Guéret', kind: 'AC', trainingTitle: 'Aidants Connect (7 h)', organismeId: 7, organismeName: 'Mednum Formation',
    dates: ['2025-04-10'], firstDate: '2025-04-10', lastDate: '2025-04-10', halfDays: 2, recorded: 2, present: 2, attendance: 'complete', partialReason: null, attended: true, completed: ['AC'], notCounted: [], overrideReason: null, personWarnings: [], pixDate: '2025-04-20',
    ...over,
  };
}
const piece = (ownerType: string, ownerId: number, role: string): PieceFact => ({ id: ownerId * 10, sha256: 'a'.repeat(64), originalName: `${role}.pdf`, mimeType: 'application/pdf', size: 10, ownerType, ownerId, role });

function facts(departures: DepartureFact[], pieces: PieceFact[]): DossierFacts {
  const all = [piece('convention', 1, 'convention_signee'), piece('convention', 1, 'avis_sirene'), piece('convention', 1, 'rib'), piece('organisme', 7, 'certificat_qualiopi'), piece('organisme', 7, 'referencement_anct'), ...pieces];
  const map = new Map<string, PieceFact[]>();
  for (const p of all) map.set(`${p.ownerType}:${p.ownerId}`, [...(map.get(`${p.ownerType}:${p.ownerId}`) ?? []), p]);
  return {
    convention: { id: 1, label: 'Convention FNE 2024 — 23', departement: '23', beneficiaireNom: 'CD 23', beneficiaireSiret: null, designationDate: null, signatureDate: '2024-10-15', anctReference: null, amountCents: 2_000_000, fundsReceivedDate: '2024-11-02', fundsReceivedCents: 2_000_000, endDate: '2025-12-31', departureTarget: 2, fraisGestionPlannedCents: 0, engineeringActions: [], createdAt: '', updatedAt: '' },
    marches: [], expenses: [], organismes: new Map([[7, of], [1, internal]]), departures, pieces: map, acSteps: [],
  };
}

describe('checklist — each departure', () => {
  it('a departure without its certificate is listed, in the checklist and in the dossier’s missing list', () => {
    const f = facts([dep(1), dep(2)], [piece('session', 50, 'feuille_presence'), piece('registration', 1, 'attestation_fin_formation')]);
    const cl = buildChecklist(f, { planned: 2, done: 2 });
    expect(cl.items).toEqual([
      { key: 'departure:2:attestation', group: 'departs', label: 'NOM2 Élise — Aidants Connect, session « Aidants Connect — Guéret » du 10/04/2025', missing: 'Attestation de fin de formation à joindre.', link: 'justification/presences/50' },
    ]);
    const text = missingText(cl, '2025-12-31');
    expect(text).toContain('== Départs en formation (chaque professionnel) (1) ==');
    expect(text).toContain('- NOM2 Élise — Aidants Connect, session « Aidants Connect — Guéret » du 10/04/2025 : Attestation de fin de formation à joindre.');
    // With it, nothing is missing.
    const complete = buildChecklist(facts([dep(1), dep(2)], [piece('session', 50, 'feuille_presence'), piece('registration', 1, 'attestation_fin_formation'), piece('registration', 2, 'attestation_fin_formation')]), { planned: 2, done: 2 });
    expect(complete.ready).toBe(true);
    expect(missingText(complete, '2025-12-31')).toContain('Aucun élément manquant');
  });

  it('attendance: not recorded and partial-not-accepted are missing; absent and future sessions prove nothing and ask nothing', () => {
    const cl = buildChecklist(
      facts(
        [
          dep(1, { attendance: 'not_recorded', recorded: 1, present: 1, attended: false }),
          dep(2, { attendance: 'partial', present: 1, attended: false }),
          dep(3, { attendance: 'absent', present: 0, attended: false }),
          dep(4, { attendance: 'future', present: 0, attended: false, sessionId: 51 }),
        ],
        [],
      ),
      { planned: 4, done: 0 },
    );
    expect(cl.items.filter((i) => i.group === 'departs').map((i) => [i.key, i.missing])).toEqual([
      ['departure:1:presence', 'Présence à saisir (1 demi-journée renseignée sur 2).'],
      ['departure:2:presence', 'Présence partielle (1 demi-journée sur 2) : elle ne compte comme départ que si vous l’acceptez avec un motif.'],
    ]);
  });

  it('employer SIRET and the OF’s Qualiopi certification valid at the session date', () => {
    const sheets = [piece('session', 50, 'feuille_presence'), piece('session', 52, 'feuille_presence'), ...[1, 2, 3].map((i) => piece('registration', i, 'attestation_fin_formation'))];
    const cl = buildChecklist(
      facts(
        [
          dep(1, { structureSiret: '22230001600012' }),
          dep(2, { firstDate: '2025-09-15', lastDate: '2025-09-15', dates: ['2025-09-15'] }), // certificate expired on 30/06/2025
          dep(3, { organismeId: 1, organismeName: internal.name, kind: 'AN', sessionId: 52 }), // internal trainers: no Qualiopi asked
        ],
        sheets,
      ),
      { planned: 3, done: 3 },
    );
    expect(cl.items.map((i) => [i.key, i.missing, i.link])).toEqual([
      ['departure:1:siret', 'SIRET de l’employeur invalide (22230001600012).', 'recensement/structures/3'],
      ['departure:2:qualiopi', 'Certification Qualiopi de Mednum Formation non valide au 15/09/2025 (Qualiopi expiré).', 'marche/organismes/7'],
    ]);
  });
});

describe('art. 5.2 table', () => {
  it('one row per departure that counts, every column filled', () => {
    const f = facts([dep(2), dep(1, { attendance: 'partial_accepted', present: 1, partialReason: 'Malade l’après-midi, contenu rattrapé' }), dep(3, { attended: false, attendance: 'absent' })], []);
    const rows = art52Rows(f);
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r).toHaveLength(ART_5_2_COLUMNS.length);
      r.forEach((cell, i) => expect(String(cell), ART_5_2_COLUMNS[i]).not.toBe(''));
    }
    expect(rows[0].slice(0, 9)).toEqual([1, 'Nom1', 'Élise', '22230001600011', 'Mairie de Guéret', 'Mednum Formation', 'Aidants Connect (7 h)', 'AFNOR Certification — certificat n° Q-2022-0042 — valide du 01/01/2022 au 30/06/2025', 'Aidants Connect ; test Pix le 20/04/2025']);
    expect(rows[0][12]).toBe('Oui — présence partielle acceptée (1/2 demi-journées) : Malade l’après-midi, contenu rattrapé');
  });
});

describe('checklist — ANCT referencing of the OF (a step after the choice, every kind of training)', () => {
  const done = [piece('session', 50, 'feuille_presence'), piece('registration', 1, 'attestation_fin_formation')];
  const withOf = (f: DossierFacts, o: OrganismeFact): DossierFacts => ({ ...f, organismes: new Map([...f.organismes, [o.id, o]]) });
  const withoutProof = (f: DossierFacts): DossierFacts => ({ ...f, pieces: new Map([...f.pieces].map(([k, v]) => [k, v.filter((p) => p.role !== 'referencement_anct')])) });

  it('an OF running sessions without referencing, or without its proof, is one item linked to its record; internal trainers ask nothing', () => {
    const base = facts([dep(1), dep(2, { organismeId: 1, organismeName: internal.name, kind: 'AN', sessionId: 52 })], [...done, piece('session', 52, 'feuille_presence'), piece('registration', 2, 'attestation_fin_formation')]);
    expect(buildChecklist(base, { planned: 2, done: 2 }).ready).toBe(true);
    const unreferenced = buildChecklist(withOf(base, { ...of, anctReferencedDate: null }), { planned: 2, done: 2 });
    expect(unreferenced.items.map((i) => [i.key, i.group, i.label, i.link])).toEqual([['organisme:7:referencement_anct', 'depenses', 'Organisme Mednum Formation', 'marche/organismes/7']]);
    expect(unreferenced.items[0].missing).toBe('Référencement auprès de l’ANCT à enregistrer (date et preuve) : il suit le choix de l’organisme, pour tout type de formation, avant les sessions (1 session concernée).');
    const unproven = buildChecklist(withoutProof(base), { planned: 2, done: 2 });
    expect(unproven.items.map((i) => i.missing)).toEqual(['Preuve du référencement auprès de l’ANCT du 01/05/2024 à joindre (1 session concernée).']);
  });

  it('an Aidant Numérique session asks it too (every kind of training)', () => {
    const f = withoutProof(facts([dep(1, { kind: 'AN' })], done));
    expect(buildChecklist(f, { planned: 1, done: 1 }).items.filter((i) => i.group !== 'objectif').map((i) => i.key)).toEqual(['organisme:7:referencement_anct']);
  });
});
