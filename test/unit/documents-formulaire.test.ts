// The application-form workbook speaks the Recensement import's language: every header is
// recognised by the import dictionary, the file is detected as form answers, and every closed
// answer of the drop-downs means what the eligibility rules expect.
import { describe, expect, it } from 'vitest';
import { normaliseHeader } from '../../electron/services/common/tabular/header';
import { toBool } from '../../electron/services/common/tabular/values';
import { eligibilityNotes, inlineList } from '../../electron/services/documents/formulaire';
import { formColumns, PERSON_STATUSES, TRAINING_CHOICES, YES_NO, YES_NO_UNKNOWN } from '../../electron/services/documents/formulaire-columns';
import { evaluateEligibility, ineligibilityRules, parseTrainingWish, type EligibilityFacts } from '../../electron/services/recensement/eligibility';
import { detectKind, recensementDictionary, requiredFields } from '../../electron/services/recensement/fields';
import { proposeMapping } from '../../electron/services/common/tabular/header';

const facts = (over: Partial<EligibilityFacts>): EligibilityFacts => ({
  email: 'anne.durand@gueret.fr',
  profession: 'Secrétaire de mairie',
  conseillerNumerique: false,
  statut: 'Agent public',
  uniformation: false,
  structureOpco: null,
  structureSiret: '21230096500017',
  structureSiren: '212300965',
  hasStructure: true,
  ...over,
});

describe('formulaire de candidature — colonnes', () => {
  it('every header is recognised by the import, as the field it is meant for', () => {
    for (const c of formColumns) {
      const got = recensementDictionary.lookup(normaliseHeader(c.header));
      expect(got, c.header).toBe(c.field);
    }
  });

  it('the automatic mapping of the whole header row uses each field once and finds the required ones', () => {
    const mapping = proposeMapping(formColumns.map((c) => c.header), recensementDictionary);
    expect(mapping).toEqual(formColumns.map((c) => c.field));
    for (const f of requiredFields) expect(mapping).toContain(f);
  });

  it('a returned copy is detected as form answers', () => {
    expect(detectKind(formColumns.map((c) => c.header))).toBe('formulaire');
  });

  it('statuts: bénévole and service civique are not funded, agent and salarié are', () => {
    const codes = PERSON_STATUSES.map((s) => evaluateEligibility(facts({ statut: s })).ineligible);
    expect(codes).toEqual([[], [], ['benevole'], ['service_civique']]);
  });

  it('yes/no answers read as booleans; « Ne sait pas » stays unknown', () => {
    expect(YES_NO.map((v) => toBool(v))).toEqual([true, false]);
    expect(YES_NO_UNKNOWN.map((v) => toBool(v))).toEqual([true, false, null]);
  });

  it('training choices read as AN, AC and both', () => {
    expect(TRAINING_CHOICES.map((t) => parseTrainingWish(t))).toEqual(['AN', 'AC', 'AN_AC']);
  });

  it('drop-down lists fit Excel (no comma inside a value, at most 255 characters)', () => {
    for (const c of formColumns) if (c.list) expect(() => inlineList(c.list!)).not.toThrow();
    expect(() => inlineList(['a,b'])).toThrow();
    expect(() => inlineList(['x'.repeat(300)])).toThrow();
  });

  it('the notes give every reason of non-eligibility from the rules themselves', () => {
    const text = eligibilityNotes()
      .flatMap((s) => s.lines)
      .join('\n');
    for (const [code, reason] of Object.entries(ineligibilityRules)) {
      if (code === 'decision_agent') expect(text).not.toContain(reason);
      else expect(text).toContain(reason);
    }
  });
});
