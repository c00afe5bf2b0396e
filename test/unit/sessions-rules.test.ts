// The rules of step 4, as pure functions: they read like the rules.
import { describe, expect, it } from 'vitest';
import { checkAssignment, completedParts, departuresFrom, hasAttended, kindsOverlap, notCountedReasons, type AssignmentFacts, type NotCountedCode } from '../../electron/services/sessions/rules';

const base: AssignmentFacts = {
  person: { nom: 'Martin', prenom: 'Léa', eligible: true, ineligibleReasons: [], warnings: [], priorAcTrainingDate: null, priorAcTrainingOrg: null },
  session: { id: 1, kind: 'AC', capacity: 18, cancelled: false, title: 'AC Guéret' },
  others: [],
  registeredCount: 0,
  toWaitingList: false,
  overrideReason: null,
};
const codes = (f: AssignmentFacts) => checkAssignment(f).refusals.map((r) => r.code);

describe('assignment of a person to a session', () => {
  it('accepts an eligible person in a session with room', () => {
    expect(checkAssignment(base)).toEqual({ refusals: [], warnings: [] });
  });
  it('refuses an ineligible person unless the officer writes a reason', () => {
    const inel = { ...base, person: { ...base.person, eligible: false, ineligibleReasons: ['Bénévole'] } };
    expect(codes(inel)).toEqual(['non_eligible']);
    expect(checkAssignment(inel).refusals[0].message).toMatch(/Léa Martin n’est pas éligible \(Bénévole\)/);
    expect(codes({ ...inel, overrideReason: 'Salariée depuis mars 2025 (contrat joint).' })).toEqual([]);
  });
  it('refuses a person already registered or trained in the same kind; AN and AC are different trainings', () => {
    const other = { registrationId: 9, sessionId: 2, sessionTitle: 'AC Aubusson', kind: 'AC' as const, status: 'inscrit' as const, firstDate: '2025-05-02', attended: false };
    expect(codes({ ...base, others: [other] })).toEqual(['deja_inscrit']);
    expect(codes({ ...base, others: [{ ...other, attended: true }] })).toEqual(['deja_forme']);
    expect(codes({ ...base, others: [{ ...other, kind: 'AN' }] })).toEqual([]);
    expect(codes({ ...base, session: { ...base.session, kind: 'AN_AC' }, others: [{ ...other, kind: 'AN' }] })).toEqual(['deja_inscrit']);
  });
  it('refuses a person trained in Aidants Connect before the envelope (ANCT list) for AC and AN_AC, not for AN', () => {
    const aidant = { ...base, person: { ...base.person, priorAcTrainingDate: '2024-04-25', priorAcTrainingOrg: 'Mednum' } };
    expect(codes(aidant)).toEqual(['deja_forme']);
    expect(codes({ ...aidant, session: { ...base.session, kind: 'AN_AC' } })).toEqual(['deja_forme']);
    expect(codes({ ...aidant, session: { ...base.session, kind: 'AN' } })).toEqual([]);
  });
  it('refuses going over capacity, but not onto the waiting list; refuses a cancelled session', () => {
    expect(codes({ ...base, registeredCount: 18 })).toEqual(['complet']);
    expect(codes({ ...base, registeredCount: 17 })).toEqual([]);
    expect(codes({ ...base, registeredCount: 18, toWaitingList: true })).toEqual([]);
    expect(codes({ ...base, session: { ...base.session, cancelled: true } })).toEqual(['session_annulee']);
  });
  it('warns on a generic e-mail without refusing', () => {
    const c = checkAssignment({ ...base, person: { ...base.person, warnings: ['generic_email'] } });
    expect(c.refusals).toEqual([]);
    expect(c.warnings.map((w) => w.code)).toEqual(['generic_email']);
  });
  it('AN_AC overlaps AN and AC; AN and AC do not overlap', () => {
    expect(kindsOverlap('AN', 'AC')).toBe(false);
    expect(kindsOverlap('AN_AC', 'AC')).toBe(true);
    expect(kindsOverlap('AN_AC', 'AN')).toBe(true);
    expect(kindsOverlap('AC', 'AC')).toBe(true);
  });
});

describe('targeting of the guide (warnings, never refusals)', () => {
  const warn = (f: AssignmentFacts) => checkAssignment(f).warnings.map((w) => w.code);
  it('Aidants Connect alone for someone not yet sensibilised: warned, unless they follow an AN training too', () => {
    const notAware = { ...base, person: { ...base.person, dejaSensibilise: false } };
    expect(warn(notAware)).toEqual(['ac_non_sensibilise']);
    expect(checkAssignment(notAware).refusals).toEqual([]);
    expect(warn({ ...notAware, others: [{ registrationId: 9, sessionId: 2, sessionTitle: 'AN Aubusson', kind: 'AN', status: 'inscrit', firstDate: '2025-05-02', attended: false }] })).toEqual([]);
    expect(warn({ ...notAware, session: { ...base.session, kind: 'AN_AC' } })).toEqual([]);
    expect(warn({ ...base, person: { ...base.person, dejaSensibilise: null } })).toEqual([]);
    expect(warn({ ...base, person: { ...base.person, dejaSensibilise: true } })).toEqual([]);
  });
  it('Aidant Numérique alone for someone already sensibilised: warned', () => {
    const an = { ...base, session: { ...base.session, kind: 'AN' as const } };
    expect(warn({ ...an, person: { ...base.person, dejaSensibilise: true } })).toEqual(['an_deja_sensibilise']);
    expect(warn({ ...an, person: { ...base.person, dejaSensibilise: false } })).toEqual([]);
    expect(warn({ ...an, session: { ...an.session, kind: 'AN_AC' }, person: { ...base.person, dejaSensibilise: true } })).toEqual([]);
  });
});

describe('attendance and departures', () => {
  it('attended = present on every half-day, or partial accepted with a reason (and present at least once)', () => {
    expect(hasAttended({ halfDays: 2, present: 2, partialReason: null })).toBe(true);
    expect(hasAttended({ halfDays: 2, present: 1, partialReason: null })).toBe(false);
    expect(hasAttended({ halfDays: 2, present: 1, partialReason: 'Urgence de service' })).toBe(true);
    expect(hasAttended({ halfDays: 2, present: 0, partialReason: 'Urgence de service' })).toBe(false);
    expect(hasAttended({ halfDays: 0, present: 0, partialReason: null })).toBe(false);
  });
  it('one departure per person per training content: AN + AC = 2, a combined AN_AC with both parts = 2, one part = 1; planned when registered, done when completed', () => {
    const row = (personId: number, kind: 'AN' | 'AC' | 'AN_AC', completed: ('AN' | 'AC')[], notCounted: NotCountedCode[] = []) => ({ personId, kind, completed, notCounted });
    expect(departuresFrom([row(1, 'AN', ['AN']), row(1, 'AC', [])])).toMatchObject({ planned: 2, done: 1 });
    expect(departuresFrom([row(1, 'AN_AC', ['AN', 'AC'])])).toMatchObject({ planned: 2, done: 2 });
    expect(departuresFrom([row(1, 'AN_AC', ['AN'])])).toMatchObject({ planned: 2, done: 1 });
    expect(departuresFrom([row(1, 'AC', []), row(1, 'AC', ['AC'])])).toMatchObject({ planned: 1, done: 1 });
    expect(departuresFrom([])).toEqual({ planned: 0, done: 0, notCounted: {} });
  });
  it('a registration with a not-counted reason counts in neither planned nor done; its departures done are reported by their first reason', () => {
    const counts = departuresFrom([
      { personId: 1, kind: 'AN', completed: ['AN'], notCounted: [] },
      { personId: 2, kind: 'AN', completed: ['AN'], notCounted: ['conseiller_numerique', 'hors_fenetre'] },
      { personId: 3, kind: 'AN_AC', completed: ['AN', 'AC'], notCounted: ['hors_fenetre'] },
      { personId: 4, kind: 'AC', completed: [], notCounted: ['benevole'] },
    ]);
    expect(counts).toEqual({ planned: 1, done: 1, notCounted: { conseiller_numerique: 1, hors_fenetre: 2 } });
    // Counted elsewhere for the same content: not reported as not counted.
    expect(departuresFrom([
      { personId: 1, kind: 'AN', completed: ['AN'], notCounted: ['hors_fenetre'] },
      { personId: 1, kind: 'AN', completed: ['AN'], notCounted: [] },
    ])).toEqual({ planned: 1, done: 1, notCounted: {} });
  });
  it('the parts of a combined training: each half-day belongs to AN, AC or both; a part is completed when present on all its half-days (or partial accepted and present on it)', () => {
    const h = (part: 'AN' | 'AC' | null, present: boolean) => ({ part, present });
    expect(completedParts('AN_AC', [h('AN', true), h('AN', true), h('AC', true), h('AC', true)], null)).toEqual(['AN', 'AC']);
    expect(completedParts('AN_AC', [h('AN', true), h('AN', true), h('AC', false), h('AC', true)], null)).toEqual(['AN']);
    expect(completedParts('AN_AC', [h('AN', false), h('AN', false), h('AC', true), h('AC', true)], null)).toEqual(['AC']);
    expect(completedParts('AN_AC', [h('AN', true), h('AN', false), h('AC', true), h('AC', false)], null)).toEqual([]);
    expect(completedParts('AN_AC', [h('AN', true), h('AN', false), h('AC', false), h('AC', false)], 'Rendez-vous médical')).toEqual(['AN']);
    // Not split into parts: the whole session is both parts.
    expect(completedParts('AN_AC', [h(null, true), h(null, true)], null)).toEqual(['AN', 'AC']);
    expect(completedParts('AN_AC', [h(null, true), h(null, false)], null)).toEqual([]);
    expect(completedParts('AN', [h(null, true), h(null, true)], null)).toEqual(['AN']);
    expect(completedParts('AC', [], null)).toEqual([]);
  });
  it('who never counts: the eligibility rules (whatever the override), a person set aside at the recensement, a training outside the convention’s window', () => {
    expect(notCountedReasons({ ineligibleCodes: [], eligible: true, inWindow: true })).toEqual([]);
    expect(notCountedReasons({ ineligibleCodes: ['conseiller_numerique'], eligible: true, inWindow: true })).toEqual(['conseiller_numerique']);
    expect(notCountedReasons({ ineligibleCodes: ['benevole', 'service_civique'], eligible: false, inWindow: false })).toEqual(['benevole', 'service_civique', 'hors_fenetre']);
    expect(notCountedReasons({ ineligibleCodes: [], eligible: false, inWindow: true })).toEqual(['decision_agent']);
    expect(notCountedReasons({ ineligibleCodes: [], eligible: true, inWindow: false })).toEqual(['hors_fenetre']);
  });
});
