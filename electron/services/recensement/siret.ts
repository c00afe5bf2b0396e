// SIRET/SIREN cells as they arrive: with spaces, as a float "13002603200016.0", in Excel
// scientific notation, with their leading zero lost, or a 9-digit SIREN instead of a SIRET.
// Repaired when the result is a valid identifier (Luhn, La Poste), with a message saying how.
import { isValidSiren, isValidSiret } from '../common/identifiers';
import type { Cell } from '../common/tabular/read';

export type SiretCell =
  | { kind: 'empty' }
  | { kind: 'siret'; siret: string; repair: string | null }
  | { kind: 'siren'; siren: string; repair: string | null }
  | { kind: 'invalid'; raw: string; reason: string };

function expandScientific(s: string): string | null {
  const m = /^(\d)(?:[.,](\d+))?e\+?(\d{1,2})$/i.exec(s);
  if (!m) return null;
  const digits = m[1] + (m[2] ?? '');
  const exp = Number(m[3]);
  if (digits.length - 1 > exp) return null;
  return digits + '0'.repeat(exp - (digits.length - 1));
}

export function parseSiretCell(cell: Cell | undefined): SiretCell {
  if (cell === null || cell === undefined) return { kind: 'empty' };
  let raw: string;
  const repairs: string[] = [];
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 0) return { kind: 'invalid', raw: String(cell), reason: 'ce n’est pas un numéro' };
    raw = Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
    if (!Number.isInteger(cell)) return { kind: 'invalid', raw, reason: 'nombre décimal' };
  } else if (typeof cell === 'string') raw = cell.trim();
  else return { kind: 'invalid', raw: String(cell), reason: 'ce n’est pas un numéro' };
  if (raw === '' || /^(none|null|nc|n\/a|-|0)$/i.test(raw)) return { kind: 'empty' };

  let s = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (s !== raw) repairs.push('espaces retirés');
  const sci = expandScientific(s);
  if (sci !== null) {
    s = sci;
    repairs.push('notation scientifique d’Excel convertie');
  } else if (/^\d+[.,]0+$/.test(s)) {
    s = s.replace(/[.,]0+$/, '');
    repairs.push('« .0 » final retiré');
  }
  const dotted = s.replace(/[.\-/]/g, '');
  if (dotted !== s && /^\d+$/.test(dotted)) {
    s = dotted;
    repairs.push('séparateurs retirés');
  }
  if (!/^\d+$/.test(s)) return { kind: 'invalid', raw, reason: 'il contient autre chose que des chiffres' };

  const repair = () => (repairs.length ? repairs.join(', ') : null);
  if (s.length === 14) {
    if (isValidSiret(s)) return { kind: 'siret', siret: s, repair: repair() };
    return { kind: 'invalid', raw, reason: 'la clé de contrôle est fausse' };
  }
  if (s.length === 13 && isValidSiret('0' + s)) {
    repairs.push('zéro initial rétabli');
    return { kind: 'siret', siret: '0' + s, repair: repair() };
  }
  if (s.length === 9) {
    if (isValidSiren(s)) return { kind: 'siren', siren: s, repair: repair() };
    return { kind: 'invalid', raw, reason: 'SIREN à 9 chiffres dont la clé de contrôle est fausse' };
  }
  if (s.length === 8 && isValidSiren('0' + s)) {
    repairs.push('zéro initial rétabli');
    return { kind: 'siren', siren: '0' + s, repair: repair() };
  }
  return { kind: 'invalid', raw, reason: `${s.length} chiffres au lieu de 14` };
}
