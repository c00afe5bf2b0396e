// Issue 15: the one CSV reader (streaming, record cap, unclosed quote), its decoder (real
// Windows-1252: € ’ œ, which Node's TextDecoder maps as Latin-1), the ZIP pre-checks and the
// parsing worker's time limit.
import { describe, expect, it } from 'vitest';
import { CsvReader, StreamTextDecoder } from '../../electron/services/common/tabular/csv';
import { readTabular } from '../../electron/services/common/tabular/read';
import { LIMITS, fewNames } from '../../electron/services/common/untrusted/limits';
import { readUntrusted, runUntrusted, timeLimitFor } from '../../electron/services/common/untrusted/run';
import { checkZipSizes } from '../../electron/services/common/untrusted/zip-check';
import { AppError } from '../../electron/services/errors';
import { blanksBomb, columnZZZZZ, zipOf } from '../fixtures/hostile/generate';

function readAll(pieces: string[], opts: ConstructorParameters<typeof CsvReader>[0] = {}): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const r = new CsvReader(opts, (f, line) => {
    rows.push(f);
    lines.push(line);
  });
  for (const p of pieces) r.feed(p);
  r.end();
  return { rows, lines };
}

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('should have thrown');
}

describe('CsvReader (one reader for every import)', () => {
  const text = 'nom;commentaire;n\r\nDurand;"Dispo le mardi ; ""merci""\r\nà bientôt";1\r\n\r\nPetit;;2\nRoux;"x";3\r\n';
  const whole = readAll([text], { delimiter: ';' });

  it('reads quoted delimiters, doubled quotes, quoted line breaks, blank lines, with line numbers', () => {
    expect(whole.rows).toEqual([['nom', 'commentaire', 'n'], ['Durand', 'Dispo le mardi ; "merci"\r\nà bientôt', '1'], [''], ['Petit', '', '2'], ['Roux', 'x', '3']]);
    expect(whole.lines).toEqual([1, 2, 4, 5, 6]);
  });

  it('gives the same records whatever the pieces the text arrives in (every cut point)', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      for (const cut2 of [cut, Math.min(text.length, cut + 1), Math.min(text.length, cut + 7)]) {
        expect(readAll([text.slice(0, cut), text.slice(cut, cut2), text.slice(cut2)], { delimiter: ';' }), `cut ${cut}/${cut2}`).toEqual(whole);
      }
    }
  });

  it('detects « ; » or « , » on the first lines when not given', () => {
    expect(readAll(['a,b\n1,2\n']).rows).toEqual([['a', 'b'], ['1', '2']]);
    expect(readAll(['a;b,c\n1;2,5\n']).rows).toEqual([['a', 'b,c'], ['1', '2,5']]);
  });

  it('an unclosed quote is a French error naming its line, never one garbage row', () => {
    const e = thrown(() => readAll(['a;b\n1;2\n3;"jamais fermé\n4;5\n6;7\n'], { fileName: 'liste.csv' }));
    expect(e.code).toBe('file_unreadable');
    expect(e.message).toMatch(/« liste\.csv ».*ligne 3.*guillemet/);
  });

  it('a record longer than the cap stops the reading as soon as the cap is passed', () => {
    const rows: string[][] = [];
    const r = new CsvReader({ delimiter: ';', fileName: 'x.csv', maxRecordChars: 1000 }, (f) => void rows.push(f));
    r.feed('a;b\n1;"');
    const e = thrown(() => {
      for (let i = 0; i < 100; i++) r.feed('x'.repeat(100) + ';y\n');
    });
    expect(e.message).toMatch(/ligne 2.*plus de 1.000 caractères/);
    expect(rows).toEqual([['a', 'b']]);
  });

  it('the real reader refuses a 2 MB unclosed quote through readTabular too', () => {
    const csv = Buffer.from('Nom;Prénom\n"Durand;Léa\n' + 'x;y\n'.repeat(600_000));
    const e = thrown(() => readTabular(csv, 'aidants.csv'));
    expect(e.message.length).toBeLessThan(2_000);
    expect(e.message).toMatch(/guillemet/);
  });
});

describe('StreamTextDecoder', () => {
  it('decodes Windows-1252 (€ ’ œ Œ …), which Node’s own decoder gets wrong', () => {
    const bytes = Uint8Array.from([0x80, 0x20, 0x92, 0x20, 0x9c, 0x20, 0x8c, 0x20, 0x85, 0x20, 0xe9]);
    expect(new TextDecoder('windows-1252').decode(bytes)).not.toBe('€ ’ œ Œ … é'); // the bug
    const d = new StreamTextDecoder();
    expect(d.decode(bytes, true)).toBe('€ ’ œ Œ … é');
    expect(d.encoding).toBe('windows-1252');
  });

  it('keeps a UTF-8 character cut between two pieces, strips the BOM, and switches to 1252 on the first invalid piece', () => {
    const bytes = Buffer.from('\ufeffœuvre €', 'utf8');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new StreamTextDecoder();
      expect(d.decode(bytes.subarray(0, cut)) + d.decode(bytes.subarray(cut), true), `cut ${cut}`).toBe('œuvre €');
      expect(d.encoding).toBe('utf-8-bom');
    }
    const d = new StreamTextDecoder();
    expect(d.decode(Buffer.from('abc\n')) + d.decode(Uint8Array.from([0x9c, 0x75]), true)).toBe('abc\nœu');
  });
});

describe('caps and pre-checks', () => {
  it('a message lists at most a few names', () => {
    const names = Array.from({ length: 16_000 }, (_, i) => `Colonne ${i}`);
    const m = fewNames(names);
    expect(m).toContain('« Colonne 4 »');
    expect(m).not.toContain('Colonne 5 »');
    expect(m).toMatch(/et 15.995 autres/);
  });

  it('the central directory alone refuses 3 GB of blanks (no inflation), and sheet cells beyond the grid are refused in the worker', async () => {
    const bomb = blanksBomb();
    const t0 = performance.now();
    expect(() => checkZipSizes(bomb, 'b.xlsx')).toThrow(/anormalement compressé/);
    expect(performance.now() - t0).toBeLessThan(1_000);
    await expect(readUntrusted(columnZZZZZ(), 'z.xlsx')).rejects.toThrow(/hors de la grille/);
  }, 30_000);

  it('a damaged archive is a French error, not a crash', () => {
    const zip = zipOf([{ name: 'a.txt', data: Buffer.from('x') }]);
    expect(() => checkZipSizes(zip.subarray(0, zip.length - 10), 'c.xlsx')).toThrow(/endommagé/);
  });

  it('the worker is stopped at its time limit with a French message, and the next task gets a fresh one', async () => {
    const e = await runUntrusted({ kind: 'tabular', bytes: columnZZZZZ(), fileName: 'lent.xlsx', options: {} }, 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toMatch(/« lent\.xlsx » a dépassé/);
    await expect(readUntrusted(columnZZZZZ(), 'z.xlsx')).rejects.toThrow(/hors de la grille/);
    // The limit grows with the file (a real 6 MB list on a slow laptop passes) and is capped.
    expect(timeLimitFor(2_000)).toBeLessThanOrEqual(LIMITS.workerTimeoutMs + 100);
    expect(timeLimitFor(6 * 1024 * 1024)).toBeGreaterThan(timeLimitFor(1024 * 1024));
    expect(timeLimitFor(1e9)).toBe(LIMITS.workerTimeoutMaxMs);
  }, 30_000);
});
