// The names of the dossier's folders and files (safeFileStem): what the officer unzips on a
// Windows laptop must be exactly the names the manifest lists.
import { describe, expect, it } from 'vitest';
import { safeFileStem } from '../../electron/services/justification/archive';
import { DossierNames } from '../../electron/services/justification/dossier-names';

describe('dossier file names', () => {
  it('keep letters and digits, drop accents, turn the rest into single hyphens', () => {
    expect(safeFileStem('Familles Rurales — Fédération régionale')).toBe('Familles-Rurales-Federation-regionale');
    expect(safeFileStem('../../Windows/System32')).toBe('Windows-System32');
    expect(safeFileStem('  ')).toBe('fichier');
  });

  it('never end with a dot or a hyphen, even when cut at 120 characters (Windows drops a trailing dot: the name would differ from the manifest)', () => {
    const name = `${'a'.repeat(119)}.pdf`;
    const stem = safeFileStem(name);
    expect(stem).toBe('a'.repeat(119));
    expect(safeFileStem(`${'b'.repeat(119)} x`)).toBe('b'.repeat(119));
    for (const s of [name, `${'c'.repeat(118)}.-.z`, `x${'.'.repeat(200)}`]) expect(safeFileStem(s)).not.toMatch(/[-.]$/);
  });

  it('never give a Windows device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9), even with an extension', () => {
    for (const n of ['CON', 'con', 'Aux', 'NUL', 'prn', 'COM1', 'lpt9', 'Nul.pdf', 'aux.tar.gz']) {
      const stem = safeFileStem(n);
      expect(stem, n).not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i);
      expect(stem.toLowerCase()).toContain(n.toLowerCase().split('.')[0]);
    }
    // Ordinary names that merely start like one are left alone.
    expect(safeFileStem('Connexions numériques')).toBe('Connexions-numeriques');
    expect(safeFileStem('Auxilia Formation')).toBe('Auxilia-Formation');
    expect(safeFileStem('COM10')).toBe('COM10');
  });
});

describe('dossier names unique once case is ignored (DossierNames)', () => {
  it('numbers a file whose name is taken in any case, never a reserved path', () => {
    const n = new DossierNames();
    n.reserve('p/bilan.pdf');
    expect(n.file('p', 'Bilan', '.pdf')).toBe('p/Bilan-2.pdf');
    expect(n.file('p', 'BILAN', '.pdf')).toBe('p/BILAN-3.pdf');
    expect(n.file('q', 'bilan', '.pdf')).toBe('q/bilan.pdf');
    expect(n.file('p', 'Été', '.pdf')).toBe('p/Ete.pdf');
    expect(n.file('p', 'ete', '.pdf')).toBe('p/ete-2.pdf');
  });

  it('gives each owner its own folder, the same one every time, numbered when another owner’s differs only by case', () => {
    const n = new DossierNames();
    const a = n.folder('of', 'Formation ABC', 'of:1');
    const b = n.folder('of', 'Formation Abc', 'of:2');
    expect(a).toBe('of/Formation-ABC');
    expect(b).toBe('of/Formation-Abc-2');
    expect(n.folder('of', 'ignored', 'of:1')).toBe(a);
    // Two sessions with the same date and title: two folders, not one shared.
    expect(n.folder('s', '2025-03-01 Atelier', 'session:1')).toBe('s/2025-03-01-Atelier');
    expect(n.folder('s', '2025-03-01 Atelier', 'session:2')).toBe('s/2025-03-01-Atelier-2');
    // A folder never takes the name of a file already there, whatever its case.
    n.file('x', 'Notes', '');
    expect(n.folder('x', 'notes', 'o:1')).toBe('x/notes-2');
  });
});
