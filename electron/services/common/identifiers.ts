// French administrative identifiers. SIREN/SIRET are Luhn-valid, except La Poste
// (SIREN 356000000) whose SIRETs are valid when the digit sum is a multiple of 5.
// Codes are always kept as text.

const LA_POSTE_SIREN = '356000000';

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren);
}

export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_SIREN + '00001') {
    let s = 0;
    for (const c of siret) s += c.charCodeAt(0) - 48;
    return s % 5 === 0;
  }
  return luhnValid(siret);
}

/** Digits only (spaces, dots, dashes and non-breaking spaces removed). */
export function compactDigits(raw: string): string {
  return raw.replace(/[\s\u00a0.\-]/g, '');
}

const DEPARTEMENTS = new Set<string>([
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '20'),
  '2A',
  '2B',
  '971',
  '972',
  '973',
  '974',
  '975',
  '976',
  '977',
  '978',
  '986',
  '987',
  '988',
]);

/** Normalise a département code typed or imported ("1" → "01", "2a" → "2A"); null if unknown. */
export function normaliseDepartement(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let s = String(raw).trim().toUpperCase();
  if (/^\d$/.test(s)) s = '0' + s;
  return DEPARTEMENTS.has(s) ? s : null;
}

export function isValidDepartement(code: string): boolean {
  return DEPARTEMENTS.has(code);
}
