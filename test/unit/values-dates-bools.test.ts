// Cells of the officer's files: a bare number typed as text is not a date (« 2024 » was stored as
// 16/07/1905, « 12 » as 11/01/1900); yes/no answers are looked up as own entries only
// (toBool('constructor') returned a function).
import { describe, expect, it } from 'vitest';
import { toBool, toIsoDate } from '../../electron/services/common/tabular/values';

describe('bare numbers in text cells are not dates', () => {
  it.each(['2024', '12', '1', '45292', '45292.5', ' 2024 ', '0'])('« %s » (text) → null', (s) => {
    expect(toIsoDate(s)).toBeNull();
  });
  it('dates written as dates still read', () => {
    expect(toIsoDate('15/03/2024')).toBe('2024-03-15');
    expect(toIsoDate('2024-03-15')).toBe('2024-03-15');
    expect(toIsoDate('15.03.24')).toBe('2024-03-15');
  });
  it('a number cell (how Excel stores a date) is still a serial', () => {
    expect(toIsoDate(45292)).toBe('2024-01-01');
    expect(toIsoDate(45292, true)).toBe('2028-01-02');
  });
});

describe('toBool looks up its own words only', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])('« %s » → null', (s) => {
    expect(toBool(s)).toBeNull();
  });
  it('the fast words and the folded ones still read', () => {
    expect(['True', 'Non', 'oui', 'OUI', ' Oui ', 'Vrai', 'x', 'aucun', 'None'].map((s) => toBool(s))).toEqual([true, false, true, true, true, true, true, false, false]);
  });
});
