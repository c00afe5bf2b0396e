// Money is integer cents everywhere; formatting for messages produced by services.
import { readEuros } from '../../../shared/money';

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

/**
 * What an officer types or a file holds → cents, or null when it is not an amount. The reading is
 * the shared one (shared/money.ts: « 1 234,56 € », « 1.234,56 », « 1234.5 »…; « 12,345 » and
 * « 0x10 » refused); use readEuros directly to get the French reason of a refusal.
 */
export function parseEurosToCents(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? Math.round(raw * 100) : null;
  const r = readEuros(raw);
  return r.ok ? r.cents : null;
}
