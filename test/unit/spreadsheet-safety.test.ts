import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { neutraliseCell, neutraliseRow, toSafeCsv } from '../../electron/services/common/spreadsheet-safety';

describe('formula injection', () => {
  it.each(['=HYPERLINK("http://x","clic")', '+33 5 55 00 00 00', '-1+2', '@SUM(A1)', '\t=1', '\r=1'])('makes « %s » inert', (v) => {
    expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it.each([
    ['leading spaces', '  =HYPERLINK("http://x")'],
    ['a leading line break', '\n=1+1'],
    ['a line break then spaces', '\r\n  +33 5'],
    ['a no-break space', '\u00a0@SUM(A1)'],
    ['an ideographic space', '\u3000-1+2'],
    ['a full-width equals sign', '\uff1dHYPERLINK("http://x")'],
    ['a full-width plus sign', '\uff0b1'],
    ['a full-width minus sign', '\uff0d1'],
    ['a full-width at sign', '\uff20SUM(A1)'],
    ['spaces then a full-width sign', ' \uff1d1'],
    ['a line break alone at the start', '\nDupont'],
  ])('makes a value starting with %s inert', (_why, v) => {
    expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it('leaves text with inner signs or leading spaces before a letter alone', () => {
    for (const v of ['  Dupont', 'Jean-Marie', 'a=b', 'contact@exemple.fr', ' 12 rue de la Paix', '\uff21bc']) expect(neutraliseCell(v)).toBe(v);
  });
  it('neutralises a spaced formula in CSV too', () => {
    expect(toSafeCsv(['nom'], [[' \uff1d1']])).toBe("\ufeffnom\r\n' \uff1d1\r\n");
  });
  it('leaves ordinary text, numbers and null alone', () => {
    expect(neutraliseCell('Élise Dupont')).toBe('Élise Dupont');
    expect(neutraliseCell(-12)).toBe(-12);
    expect(neutraliseCell(null)).toBe(null);
    expect(neutraliseRow({ nom: '=1+1', age: 3 })).toEqual({ nom: "'=1+1", age: 3 });
  });
  it('a neutralised cell written to xlsx is read back as text, not a formula', () => {
    const ws = XLSX.utils.aoa_to_sheet([[neutraliseCell('=1+1')]]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'x');
    const back = XLSX.read(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }), { type: 'buffer' });
    const cell = back.Sheets.x.A1;
    expect(cell.f).toBeUndefined();
    expect(cell.t).toBe('s');
  });
  it('writes CSV for Excel: BOM, semicolons, quotes, neutralised cells', () => {
    const csv = toSafeCsv(['nom', 'note'], [['=cmd|calc', 'a;b'], ['Zoé', 'dit "oui"']]);
    expect(csv).toBe('\ufeffnom;note\r\n\'=cmd|calc;"a;b"\r\nZoé;"dit ""oui"""\r\n');
  });
});
