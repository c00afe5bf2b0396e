import { describe, expect, it } from 'vitest';
import { isValidSiren, isValidSiret, normaliseDepartement } from '../../electron/services/common/identifiers';
import { formatEuros, parseEurosToCents } from '../../electron/services/common/money';

describe('SIREN / SIRET', () => {
  it('accepts Luhn-valid numbers and refuses a wrong key', () => {
    expect(isValidSiren('732829320')).toBe(true);
    expect(isValidSiret('73282932000074')).toBe(true);
    expect(isValidSiret('73282932000075')).toBe(false);
    expect(isValidSiret('7328293200007')).toBe(false);
  });
  it("applies La Poste's rule (digit sum multiple of 5)", () => {
    expect(isValidSiret('35600000000048')).toBe(false); // sum 26
    expect(isValidSiret('35600000049837')).toBe(true); // digit sum 45, not Luhn-valid
  });
});

describe('départements', () => {
  it('keeps codes as text and knows Corsica and overseas', () => {
    expect(normaliseDepartement('1')).toBe('01');
    expect(normaliseDepartement('2a')).toBe('2A');
    expect(normaliseDepartement('974')).toBe('974');
    expect(normaliseDepartement('977')).toBe('977');
    expect(normaliseDepartement('20')).toBeNull();
    expect(normaliseDepartement('96')).toBeNull();
  });
});

describe('money', () => {
  it('parses what an officer types into cents', () => {
    expect(parseEurosToCents('20000')).toBe(2_000_000);
    expect(parseEurosToCents('20 000')).toBe(2_000_000);
    expect(parseEurosToCents('1 234,56 €')).toBe(123_456);
    expect(parseEurosToCents('1.234,5')).toBe(123_450);
    expect(parseEurosToCents('12.5')).toBe(1250);
    expect(parseEurosToCents('douze')).toBeNull();
  });
  it('formats cents the French way', () => {
    expect(formatEuros(123_456)).toBe('1\u202f234,56\u00a0€');
  });
});
