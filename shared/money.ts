// The one reader of amounts in euros, as the officer types them or a file holds them. Used by the
// IPC contract (shared/ipc/common.ts: the renderer sends the text typed, the schema turns it into
// integer cents or refuses it in French) and by the CLI. Nobody else parses euros.
//
// Accepted (spaces: ordinary, no-break U+00A0, narrow no-break U+202F, thin U+2009):
//   « 1234 », « 1 234 », « 1 234,56 », « 1234,5 », « 1234,56 € », « 1234,56 EUR », « 1.234,56 »,
//   « 1.234.567 », « 1234.56 », « 12.5 », « 0,50 ».
// Refused, never read as 0 nor guessed:
//   « 12,345 » (three figures after the comma: French reads it as 12,345 €, which is not a whole
//   number of cents — it is refused, not rounded to 12,35 € nor read as 12 345 €);
//   « 1.234 » alone (a dot before exactly three figures may be a thousands dot or a decimal point:
//   ambiguous, refused with both readings proposed); « 1,234.56 » (English grouping);
//   « 0x10 », « 1e3 », « Infinity », « +5 », « 12 34 » (a space not between groups of three),
//   « abc », and an empty text where an amount is required.

/** Largest amount the app holds: 1 milliard d’euros (in cents). */
export const MAX_CENTS = 1_000_000_000_00;

export type AmountReading = { ok: true; cents: number } | { ok: false; message: string };

const EXAMPLE = 'écrivez par exemple 1 234,56 €';

function refuse(text: string, why: string): AmountReading {
  const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return { ok: false, message: `« ${shown} » n’est pas un montant en euros : ${why}.` };
}

function centsOf(negative: boolean, int: string, dec: string): number {
  const digits = int.replace(/^0+(?=\d)/, '');
  // More than 13 figures of euros is beyond anything the app holds (and beyond exact doubles).
  if (digits.length > 13) return NaN;
  const cents = Number(digits) * 100 + Number(dec.padEnd(2, '0'));
  return negative ? -cents : cents;
}

/**
 * What was typed → integer cents, or a French message saying why it is not an amount.
 * Negative amounts are read (« -12,50 ») and left to the schema or the rule to refuse.
 */
export function readEuros(text: string): AmountReading {
  const raw = text;
  // Every kind of space is the same separator; the currency may end the text.
  let s = text.replace(/[\s\u00a0\u202f\u2009]+/g, ' ').trim();
  s = s.replace(/\s*(€|eur|euros?)$/i, '').trim();
  if (s === '') return { ok: false, message: `Indiquez un montant en euros (${EXAMPLE}).` };
  let negative = false;
  if (/^[-\u2212]/.test(s)) {
    negative = true;
    s = s.slice(1).trim();
  }
  let int: string;
  let dec = '';
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,3}(?: \d{3})+|\d+)(?:,(\d+))?$/.exec(s))) {
    // French: spaces between groups of three, decimal comma.
    int = m[1].replace(/ /g, '');
    dec = m[2] ?? '';
  } else if ((m = /^(\d{1,3}(?:\.\d{3})+),(\d+)$/.exec(s)) || (m = /^(\d{1,3}(?:\.\d{3}){2,})$/.exec(s))) {
    // Thousands dots, unambiguous: followed by a decimal comma, or more than one of them.
    int = m[1].replace(/\./g, '');
    dec = m[2] ?? '';
  } else if ((m = /^(\d+)\.(\d{1,2})$/.exec(s))) {
    // A decimal point before one or two figures cannot be a thousands dot.
    int = m[1];
    dec = m[2];
  } else if ((m = /^(\d{1,3})\.(\d{3})$/.exec(s))) {
    return refuse(raw, `le point est ambigu ; écrivez « ${m[1]} ${m[2]} » pour des milliers d’euros, ou « ${m[1]},${m[2].slice(0, 2)} » pour des centimes`);
  } else {
    return refuse(raw, EXAMPLE);
  }
  if (dec.length > 2) return refuse(raw, 'un montant a au plus deux chiffres après la virgule (les centimes)');
  const cents = centsOf(negative, int, dec);
  if (!Number.isSafeInteger(cents) || Math.abs(cents) > MAX_CENTS) {
    return refuse(raw, 'le montant est trop élevé (au plus 1 000 000 000 €)');
  }
  return { ok: true, cents: negative && cents === 0 ? 0 : cents };
}
