// The paths of the entries of a ZIP (and of the folder written beside it): each checked before
// anything is written, so that unzipping it anywhere gives exactly the files the manifest lists.

/** A path from our own data, still checked: no absolute path, no "..", no backslash, no control character. */
export function assertSafeEntryPath(p: string): void {
  // eslint-disable-next-line no-control-regex
  if (p === '' || p.startsWith('/') || p.includes('\\') || /[\u0000-\u001f]/.test(p) || /^[A-Za-z]:/.test(p) || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`Chemin interdit dans le dossier : « ${p} »`);
  }
}

/**
 * How Windows (NTFS, FAT) and macOS (APFS by default) compare names: without regard to case
 * (nor, on macOS, to the Unicode normal form). Two paths with the same key are one file there.
 */
export function entryPathKey(p: string): string {
  return p.normalize('NFC').toUpperCase().toLowerCase();
}

/**
 * Every path unique once case is ignored, and no name both a file and a folder: « Facture.pdf »
 * and « facture.pdf », or « a/B/x » and « a/b/y » (two spellings of one folder), would collide
 * or merge on Windows. Throws naming the two paths.
 */
export function assertUniqueEntryPaths(paths: Iterable<string>): void {
  /** key → the spelling seen first and whether it is a file or a folder. */
  const seen = new Map<string, { spelling: string; file: boolean }>();
  const claim = (spelling: string, file: boolean) => {
    const key = entryPathKey(spelling);
    const prior = seen.get(key);
    if (!prior) return void seen.set(key, { spelling, file });
    if (prior.spelling === spelling && !file && !prior.file) return; // the same folder again
    throw new Error(
      prior.spelling === spelling
        ? `Deux fichiers portent le même nom dans le dossier : « ${spelling} »`
        : `Deux noms du dossier ne diffèrent que par les majuscules ou sont à la fois fichier et dossier (Windows les confondrait) : « ${prior.spelling} » et « ${spelling} »`,
    );
  };
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) claim(parts.slice(0, i).join('/'), false);
    claim(p, true);
  }
}
