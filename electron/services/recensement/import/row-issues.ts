// The issues of an import's rows: rejections, alerts that need the officer, and harmless repairs
// (spaces removed from a SIRET, a lost leading zero restored) gathered in ONE line per kind with
// their count, so that 133 repaired SIRETs do not bury the two alerts that matter.
import type { Plan, RowIssue } from './plan-types';

interface Repair {
  file: number;
  code: string;
  /** « SIRET corrigés » */
  what: string;
  rows: number[];
  /** How each was repaired → count. */
  how: Map<string, number>;
}

export class RowIssues {
  readonly rejected: Plan['rejected'] = [];
  readonly warnings: RowIssue[] = [];
  private repairs = new Map<string, Repair>();

  warn(file: number, row: number, code: string, message: string): void {
    this.warnings.push({ file, row, code, message });
  }

  reject(file: number, row: number, code: string, reason: string): void {
    this.rejected.push({ file, row, code, message: reason, reason });
  }

  /** A harmless repair of one row: counted, reported once for the file. */
  repaired(file: number, row: number, code: string, what: string, how: string): void {
    const key = `${file}|${code}|${what}`;
    let r = this.repairs.get(key);
    if (!r) this.repairs.set(key, (r = { file, code, what, rows: [], how: new Map() }));
    r.rows.push(row);
    for (const h of how.split(', ')) r.how.set(h, (r.how.get(h) ?? 0) + 1);
  }

  /** The rows' issues in file and row order, each kind of repair as one line at its first row. */
  finish(): { rejected: Plan['rejected']; warnings: RowIssue[] } {
    for (const r of this.repairs.values()) {
      const n = r.rows.length;
      const how = [...r.how].map(([h, c]) => (c === n ? h : `${h} : ${c}`)).join(', ');
      const shown = r.rows.slice(0, 10).join(', ') + (n > 10 ? '…' : '');
      const message =
        n === 1 ? `${r.what} corrigé (${how}) à la ligne ${shown} : aucune action nécessaire.` : `${r.what} corrigés sur ${n} lignes (${how}) : lignes ${shown} ; aucune action nécessaire.`;
      this.warnings.push({ file: r.file, row: r.rows[0], code: r.code, message });
    }
    this.repairs.clear();
    this.warnings.sort((a, b) => a.file - b.file || a.row - b.row);
    this.rejected.sort((a, b) => a.file - b.file || a.row - b.row);
    return { rejected: this.rejected, warnings: this.warnings };
  }
}
