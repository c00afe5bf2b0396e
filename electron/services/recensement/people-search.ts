// The one search over people, used by the Recensement list and the session assignment list:
// every word typed must be found in the person's name (any order: « Maëlys Perrin » and
// « Perrin Maëlys » both match; accents and case ignored), e-mail or employer's name.
import { nameKey } from './normalise';

function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, (c) => '\\' + c);
}

/**
 * SQL condition (with its parameters) for `search` over `people` aliased `person` and its
 * structure aliased `structure`; null when the search is blank.
 */
export function peopleSearchCondition(search: string | undefined, person: string, structure: string): { sql: string; params: string[] } | null {
  const words = (search ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const parts: string[] = [];
  const params: string[] = [];
  for (const word of words) {
    const key = nameKey(word).replace(/\|/g, '');
    const email = `${person}.email LIKE ? ESCAPE '\\'`;
    if (key === '') {
      parts.push(`(${email})`);
      params.push(`%${escapeLike(word)}%`);
      continue;
    }
    const pat = `%${escapeLike(key)}%`;
    parts.push(`(replace(${person}.name_key, '|', ' ') LIKE ? ESCAPE '\\' OR ${email} OR ${structure}.name_key LIKE ? ESCAPE '\\')`);
    params.push(pat, `%${escapeLike(word)}%`, pat);
  }
  return { sql: `(${parts.join(' AND ')})`, params };
}
