// The one PDF writer: what WinAnsi cannot draw is replaced (never a throw), long words are cut,
// pages break and are numbered, and the same input gives the same bytes (the dossier's ZIP
// depends on it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { A4_LANDSCAPE, PdfWriter, winAnsiSafe } from '../../electron/services/common/pdf/writer';

const DATE = new Date('2025-07-15T00:00:00Z');

function pdfText(bytes: Uint8Array, layout = false): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fne-pdfw-')), 'x.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });
}

describe('winAnsiSafe', () => {
  const latin1 = (ch: string) => ch.charCodeAt(0) < 256 || '€’«»…—–'.includes(ch);
  it('keeps French text, turns spaces and symbols into plain equivalents, strips accents it lacks, else « ? »', () => {
    expect(winAnsiSafe('Créée à Guéret : 1\u202f200,00\u00a0€ ≈ « ok »', latin1)).toBe('Créée à Guéret : 1 200,00 € ~ « ok »');
    expect(winAnsiSafe('a\r\nb\tc ≥ 2 → d', latin1)).toBe('a b c >= 2 -> d');
    expect(winAnsiSafe('Erdős Łukasz 漢', latin1)).toBe('Erdos ?ukasz ?');
  });
});

describe('PdfWriter', () => {
  async function sample(): Promise<Uint8Array> {
    const w = await PdfWriter.create({ title: 'Essai', date: DATE, footer: 'Essai de pied de page' });
    w.heading('Titre');
    for (let i = 0; i < 90; i++) w.text(`Paragraphe ${i} — Erdős, 1\u202f000 € ≈ tout`);
    w.table(['Colonne A', 'Colonne B'], [['une-adresse-tres-longue-sans-espace@exemple-de-domaine.fr', '12,00 €']], [80, 100], { align: ['left', 'right'] });
    w.signature('Le signataire');
    return w.save();
  }

  it('flows text onto new pages, numbers them, never throws on characters Helvetica lacks', async () => {
    const text = pdfText(await sample(), true);
    expect(text).toContain('Paragraphe 89 — Erdos, 1 000 € ~ tout');
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain(`Page ${pages.length} / ${pages.length}`);
    expect(text).toContain('Essai de pied de page');
    // The long address is cut inside its 80-point column, not drawn across the next one.
    expect(text).not.toContain('une-adresse-tres-longue-sans-espace@exemple-de-domaine.fr');
    expect(text.replace(/\s+/g, '')).toContain('une-adresse');
  });

  it('gives the same bytes for the same input', async () => {
    expect(Buffer.from(await sample()).equals(Buffer.from(await sample()))).toBe(true);
  });

  it('places lines cut with « … » at fixed positions on a landscape page', async () => {
    const w = await PdfWriter.create({ title: 'Grille', date: DATE, pageSize: A4_LANDSCAPE, margin: 34 });
    expect([w.pageWidth, w.pageHeight]).toEqual(A4_LANDSCAPE);
    expect(w.fit('Un nom beaucoup trop long pour sa case', 9, 60)).toMatch(/…$/);
    expect(w.bold.widthOfTextAtSize(w.fit('Un nom beaucoup trop long pour sa case', 9, 60, w.bold), 9)).toBeLessThanOrEqual(60);
    w.at('Un nom beaucoup trop long pour sa case', 100, 300, { width: 60, size: 9 });
    w.at('Court', 300, 300);
    const text = pdfText(await w.save());
    expect(text).toContain('Court');
    expect(text).toMatch(/Un nom.*…/);
    expect(text).not.toContain('sa case');
  });
});
