// The names of the dossier's folders and pièces: safe on Windows (safeFileStem) and unique once
// case is ignored — « Formation-ABC » and « Formation-Abc » are one folder on Windows: two
// organismes' certificates would land in it and one would replace the other. A name already
// taken (whatever its case) gets « -2 », « -3 »… The writer checks the whole set again.
import { entryPathKey } from '../common/zip/entry-paths';
import { safeFileStem } from './archive';

export class DossierNames {
  /** entryPathKey of every path handed out or reserved, files and folders alike. */
  private readonly taken = new Set<string>();
  /** Folder handed out to each owner (an organisme, an order, a session…). */
  private readonly folders = new Map<string, string>();

  /** A fixed path (a generated document, a fixed folder): reserved so that nothing else takes it. */
  reserve(p: string): string {
    this.taken.add(entryPathKey(p));
    return p;
  }

  private free(parent: string, stem: string, ext: string): string {
    const safe = safeFileStem(stem);
    for (let n = 1; ; n++) {
      const p = `${parent}/${n === 1 ? safe : `${safe}-${n}`}${ext}`;
      if (!this.taken.has(entryPathKey(p))) return this.reserve(p);
    }
  }

  /** The folder of `owner` under `parent`, named after `stem`: the same owner always gets the same one. */
  folder(parent: string, stem: string, owner: string): string {
    const known = this.folders.get(owner);
    if (known) return known;
    const p = this.free(parent, stem, '');
    this.folders.set(owner, p);
    return p;
  }

  /** A new file in `folder`, named after `stem` with the extension `ext` (".pdf", or ""). */
  file(folder: string, stem: string, ext: string): string {
    return this.free(folder, stem, ext);
  }
}
