// The Aidants Connect steps of the guide for training organisations, as warnings on a session:
// before the training (list sent to ANCT, eligibility validated, sandbox opened), after it
// (Pix at the end of the training day, connection method, attendance reported to ANCT).
import { describe, expect, it } from 'vitest';
import { acStepWarnings, stepPatch, type AcPersonFacts, type AcSessionFacts } from '../../electron/services/sessions/ac-steps';

const session: AcSessionFacts = { id: 1, title: 'AC Guéret', kind: 'AC', cancelled: false, lastDate: '2025-04-08' };
const done = (over: Partial<AcPersonFacts> = {}): AcPersonFacts => ({
  personId: 1,
  name: 'DURAND Anne',
  attended: true,
  status: 'presence_transmise',
  requestedOn: '2025-03-01',
  eligibilityValidatedOn: '2025-03-05',
  sandboxOn: '2025-03-10',
  pixOn: '2025-04-08',
  reportedOn: '2025-04-15',
  connectionMethod: 'application',
  ...over,
});
const codes = (s: AcSessionFacts, people: AcPersonFacts[]) => acStepWarnings(s, people).map((w) => w.code);

describe('Aidants Connect steps of a session', () => {
  it('nothing is missing when every step is recorded', () => {
    expect(acStepWarnings(session, [done()])).toEqual([]);
  });

  it('before the training: list sent to ANCT, eligibility validated, sandbox opened — each missing one named with its people', () => {
    const p = done({ personId: 2, name: 'MARTIN Paul', attended: false, status: 'inscrit', requestedOn: null, eligibilityValidatedOn: null, sandboxOn: null, pixOn: null, reportedOn: null, connectionMethod: null });
    const w = acStepWarnings(session, [done(), p]);
    expect(w.map((x) => x.code)).toEqual(['ac_liste_anct', 'ac_eligibilite', 'ac_bac_a_sable']);
    expect(w.every((x) => x.when === 'avant' && x.count === 1 && x.people[0] === 'MARTIN Paul' && x.personIds[0] === 2)).toBe(true);
    expect(w[0]!.message).toMatch(/^1 personne sans date d’envoi à l’ANCT/);
  });

  it('after the training, for those who came: Pix, connection method, attendance reported on ANCT’s table', () => {
    const p = done({ pixOn: null, connectionMethod: null, reportedOn: null });
    expect(codes(session, [p, { ...p, personId: 2 }])).toEqual(['ac_pix', 'ac_moyen_connexion', 'ac_presence_anct']);
    expect(acStepWarnings(session, [p, { ...p, personId: 2 }])[0]!.message).toMatch(/^2 personnes présentes sans test Pix/);
    // Someone absent is not asked for a Pix test.
    expect(codes(session, [{ ...p, attended: false }])).toEqual([]);
  });

  it('a Pix test taken after the training day is flagged', () => {
    expect(codes(session, [done({ pixOn: '2025-04-09' })])).toEqual(['ac_pix_tardif']);
    expect(codes(session, [done({ pixOn: '2025-04-08' })])).toEqual([]);
  });

  it('AN sessions, cancelled sessions and refused or cancelled follow-ups have nothing to follow', () => {
    const missing = done({ requestedOn: null, pixOn: null });
    expect(codes({ ...session, kind: 'AN' }, [missing])).toEqual([]);
    expect(codes({ ...session, cancelled: true }, [missing])).toEqual([]);
    expect(codes(session, [{ ...missing, status: 'refuse' }])).toEqual([]);
    expect(codes({ ...session, kind: 'AN_AC' }, [missing])).toEqual(['ac_liste_anct', 'ac_pix']);
  });

  it('recording a step fills its date and moves the status forward only', () => {
    expect(stepPatch({ status: 'forme' }, 'eligibilite_validee', '2025-03-05')).toEqual({ eligibility_validated_on: '2025-03-05' });
    expect(stepPatch({ status: 'forme' }, 'pix', '2025-04-08')).toEqual({ pix_on: '2025-04-08', status: 'pix' });
    expect(stepPatch(undefined, 'demande', '2025-03-01')).toEqual({ requested_on: '2025-03-01', status: 'demande' });
    expect(stepPatch({ status: 'annule' }, 'pix', '2025-04-08')).toEqual({ pix_on: '2025-04-08' });
  });
});
