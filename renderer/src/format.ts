// Display only: how figures computed by the services are shown to the officer.
const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

/** 123456 cents → « 1 234,56 € » */
export function formatCents(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  return euros.format(cents / 100);
}

const counts = new Intl.NumberFormat('fr-FR');

/** 20000 → « 20 000 » (narrow no-break space, as French writes counts) */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** A count and its noun: « 1 structure », « 20 000 structures » (0 and 1 take the singular in French). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n > 1 ? many : one}`;
}

/** 2025-12-31 → 31/12/2025 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Cents → what the officer would type in a euro field (« 8400,5 »), to pre-fill a form. What is
 * typed goes to the services as text: they read it (shared/money.ts), the renderer never parses.
 */
export function centsToInput(cents: number): string {
  return (cents / 100).toString().replace('.', ',');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} o`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} Ko`;
  return `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} Mo`;
}
