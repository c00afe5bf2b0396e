// Amounts are read once, by shared/money.ts, through the IPC contract: the renderer sends the text
// the officer typed. Every French spelling is read; anything else is refused in French, never 0.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../shared/ipc/zod-fr';
import { amountBlankIsZeroSchema, amountSchema, optionalAmountSchema } from '../../shared/ipc/common';
import { contract } from '../../shared/ipc/contract';
import { readEuros } from '../../shared/money';
import { parseEurosToCents } from '../../electron/services/common/money';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('readEuros: the French spellings', () => {
  it.each([
    ['1234', 123_400],
    ['1 234', 123_400],
    [`1${NBSP}234`, 123_400],
    [`1${NNBSP}234,56`, 123_456],
    ['1 234,56', 123_456],
    [`20${NNBSP}000,00${NBSP}€`, 2_000_000],
    ['1234,56 €', 123_456],
    ['1234,56€', 123_456],
    ['1234,5 €', 123_450],
    ['1234,56 EUR', 123_456],
    ['12 euros', 1_200],
    ['1.234,56', 123_456],
    ['1.234.567', 123_456_700],
    ['1.234.567,8', 123_456_780],
    ['1234.56', 123_456],
    ['12.5', 1_250],
    ['0,50', 50],
    ['  8400,5  ', 840_050],
    ['1 234 567,89', 123_456_789],
    ['-12,50', -1_250],
  ])('« %s » → %i cents', (text, cents) => {
    expect(readEuros(text)).toEqual({ ok: true, cents });
  });
});

describe('readEuros: refusals, in French, never 0', () => {
  it.each([
    ['abc'],
    ['0x10'],
    ['1e3'],
    ['Infinity'],
    ['NaN'],
    ['+5'],
    ['12 34'],
    ['1,234.56'],
    ['12,3,4'],
    ['1..2'],
    [',5'],
    ['12 abc'],
    ['€'],
    [''],
    ['   '],
    ['99999999999999999999'],
  ])('« %s » is refused', (text) => {
    const r = readEuros(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/montant/);
  });

  it('« 12,345 » is refused (three figures after the comma), not rounded to 12,35 € nor read as 12 345 €', () => {
    const r = readEuros('12,345');
    expect(r).toEqual({ ok: false, message: '« 12,345 » n’est pas un montant en euros : un montant a au plus deux chiffres après la virgule (les centimes).' });
  });

  it('« 1.234 » alone is ambiguous: refused, both readings proposed', () => {
    const r = readEuros('1.234');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('« 1 234 »');
  });

  it('« abc » gets a French message with an example', () => {
    expect(readEuros('abc')).toEqual({ ok: false, message: '« abc » n’est pas un montant en euros : écrivez par exemple 1 234,56 €.' });
  });
});

describe('the contract reads amounts (what the handlers receive)', () => {
  it('a typed text becomes integer cents; cents from a program pass as they are', () => {
    expect(amountSchema.parse('1 234,56')).toBe(123_456);
    expect(amountSchema.parse('1234,56 €')).toBe(123_456);
    expect(amountSchema.parse('1.234,56')).toBe(123_456);
    expect(amountSchema.parse('1 234')).toBe(123_400);
    expect(amountSchema.parse(123_456)).toBe(123_456);
  });

  it('refuses, with the reason on the field: text, empty, negative, fractional cents', () => {
    const msg = (v: unknown) => {
      const r = amountSchema.safeParse(v);
      expect(r.success).toBe(false);
      return r.error!.issues.map((i) => i.message).join(' ');
    };
    expect(msg('abc')).toContain('n’est pas un montant en euros');
    expect(msg('0x10')).toContain('n’est pas un montant en euros');
    expect(msg('')).toContain('Indiquez un montant');
    expect(msg('-5')).toContain('ne peut pas être négatif');
    expect(msg(12.5)).toContain('centimes');
    expect(msg(null)).not.toBe('');
  });

  it('an optional amount left empty is no amount (null), not 0; the VAT left empty is 0 by the form’s wording', () => {
    expect(optionalAmountSchema.parse('')).toBeNull();
    expect(optionalAmountSchema.parse('  ')).toBeNull();
    expect(optionalAmountSchema.parse(null)).toBeNull();
    expect(optionalAmountSchema.parse('12,5')).toBe(1250);
    expect(optionalAmountSchema.safeParse('abc').success).toBe(false);
    expect(amountBlankIsZeroSchema.parse('')).toBe(0);
    expect(amountBlankIsZeroSchema.safeParse('abc').success).toBe(false);
  });

  it('every euro field of the forms’ channels reads text', () => {
    const quote = contract['marche.addQuote'].input.safeParse({ marcheId: 1, organismeId: 2, quoteDate: '2025-01-10', amountHtCents: '1.234,56', vatCents: '246,91 €' });
    expect(quote.success && quote.data).toMatchObject({ amountHtCents: 123_456, vatCents: 24_691 });
    const bad = contract['marche.addInvoice'].input.safeParse({ orderId: 1, number: 'F1', invoiceDate: '2025-01-10', amountCents: 'abc' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['amountCents']);
    const conv = contract['convention.create'].input.safeParse({ departement: '23', beneficiaireNom: 'CD', amountCents: '20 000', fundsReceivedCents: '', engineeringActions: [{ label: 'x', plannedCents: '1 500,5' }] });
    expect(conv.success && conv.data).toMatchObject({ amountCents: 2_000_000, fundsReceivedCents: null, engineeringActions: [{ plannedCents: 150_050 }] });
  });

  it('every amount of every channel’s input (a key ending in « Cents ») accepts the four spellings and refuses « abc » in French', () => {
    type Def = { type: string; shape?: Record<string, unknown>; innerType?: unknown; element?: unknown; in?: unknown; options?: unknown[] };
    const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;
    const found: string[] = [];
    const walk = (schema: unknown, path: string) => {
      const def = defOf(schema);
      if (def.type === 'object') {
        for (const [k, v] of Object.entries(def.shape!)) {
          if (/Cents$/.test(k)) {
            found.push(`${path}.${k}`);
            const z = v as { safeParse: (x: unknown) => { success: boolean; data?: unknown; error?: { issues: { message: string }[] } } };
            const read = (t: string) => z.safeParse(t);
            expect([read(`1${NNBSP}234,56`).data, read('1234,56 €').data, read('1.234,56').data, read('1 234').data], `${path}.${k}`).toEqual([123_456, 123_456, 123_456, 123_400]);
            const bad = read('abc');
            expect(bad.success, `${path}.${k}`).toBe(false);
            expect(bad.error!.issues[0].message).toBe('« abc » n’est pas un montant en euros : écrivez par exemple 1 234,56 €.');
          } else walk(v, `${path}.${k}`);
        }
      } else if (def.innerType) walk(def.innerType, path);
      else if (def.element) walk(def.element, `${path}[]`);
      else if (def.type === 'pipe') walk(def.in, path);
      else if (def.options) def.options.forEach((o) => walk(o, path));
    };
    for (const [name, spec] of Object.entries(contract)) walk(spec.input, name);
    expect(found.length).toBeGreaterThanOrEqual(15);
  });

  it('the CLI reads with the same parser', () => {
    expect(parseEurosToCents('12,345')).toBeNull();
    expect(parseEurosToCents('0x10')).toBeNull();
    expect(parseEurosToCents('1.234,56')).toBe(123_456);
  });
});

describe('the renderer does not read amounts', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
    });
  }
  it('no amount sent with « ?? 0 », no euro parsing helper', () => {
    const offenders: string[] = [];
    for (const f of files(join(__dirname, '../../renderer/src'))) {
      const src = readFileSync(f, 'utf8');
      src.split('\n').forEach((line, i) => {
        if (/Cents\s*:[^,}]*\?\?\s*0\b/.test(line) || /eurosInputToCents|parseFloat/.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
