// Money is integer cents everywhere; formatting for messages produced by services.
export function formatEuros(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const euros = Math.floor(abs / 100);
  const c = String(abs % 100).padStart(2, '0');
  const grouped = String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${neg ? '-' : ''}${grouped},${c}\u00a0€`;
}

/** 35 000 € → 3_500_000 cents; refuses anything that is not a whole number of cents. */
export function eurosToCents(euros: number): number {
  const cents = Math.round(euros * 100);
  if (!Number.isFinite(cents) || Math.abs(cents - euros * 100) > 1e-6) {
    throw new Error(`Montant invalide : ${euros}`);
  }
  return cents;
}

/** Parses what an officer types or a file holds: "20000", "20 000", "1 234,56 €", "1234.5" → cents; null if not a amount. */
export function parseEurosToCents(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.round(raw * 100) : null;
  let s = raw.replace(/[\s\u00a0\u202f€]/g, '').replace(/EUR$/i, '');
  if (s === '') return null;
  if (/^-?\d+,\d{1,2}$/.test(s)) s = s.replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) return null;
  const [int, dec = ''] = s.replace('-', '').split('.');
  const cents = Number(int) * 100 + Number(dec.padEnd(2, '0'));
  return s.startsWith('-') ? -cents : cents;
}
