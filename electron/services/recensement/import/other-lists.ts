// Files that are not lists of professionals but arrive the same way (by e-mail, as CSV or Excel):
// ANCT's public list of training organisations, an OF's attendance sheet. When the import finds
// no professional's columns, it says which file this is and where it goes, instead of listing
// columns it does not know.
import { normaliseHeader } from '../../common/tabular/header';

export type OtherList = 'liste_publique_of' | 'feuille_presence';

const fold = (h: string) => normaliseHeader(h).replace(/[^a-z0-9]+/g, '');

/** What the headers say the file is, when it is one of the other lists. */
export function recogniseOtherList(headers: string[]): OtherList | null {
  const folded = headers.map(fold);
  if (folded.includes('numerodeclarationactivite') || (folded.includes('denomination') && folded.some((h) => h.includes('actionsdeformation')))) return 'liste_publique_of';
  // An attendance sheet: one column per half-day (a date, « matin », « après-midi »…).
  const halfDay = /\b(matin|apres[ -]?midi|am|pm|demi[ -]?journee|journee|emargement|signature)\b|\b\d{1,2}[/.-]\d{1,2}([/.-]\d{2,4})?\b/;
  const days = headers.filter((h) => halfDay.test(normaliseHeader(h))).length;
  return days >= 2 ? 'feuille_presence' : null;
}

/** Where such a file goes, in French (the screen and the command line). */
export const otherListMessages: Record<OtherList, string> = {
  liste_publique_of:
    'Ce fichier est la liste publique des organismes de formation, pas une liste de professionnels : il s’importe à l’étape « Marché de formation » (écran des organismes, « Liste publique »), ou en ligne de commande : npm run cli -- of import-public-list FICHIER.',
  feuille_presence:
    'Ce fichier ressemble à un relevé de présence d’organisme de formation, pas à une liste de professionnels : il s’importe sur la session concernée (« Présence et justification », « Saisir les présences », « Importer le relevé »), ou en ligne de commande : npm run cli -- presence import --session N --fichier FICHIER.',
};
