// The one PDF writer: every Latin-script name prints with the embedded font, what it cannot draw
// is replaced (never a throw), long words are cut in linear time, amounts never break, rows
// taller than a page go on over the next, pages are numbered, and the same input gives the same
// bytes (the dossier's ZIP depends on it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { A4_LANDSCAPE, PdfWriter, drawableText, euros } from '../../electron/services/common/pdf/writer';

const DATE = new Date('2025-07-15T00:00:00Z');

function pdfText(bytes: Uint8Array, layout = false): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fne-pdfw-')), 'x.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });
}

function pdfFonts(bytes: Uint8Array): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fne-pdfw-')), 'x.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdffonts', [file], { encoding: 'utf8' });
}

describe('drawableText', () => {
  const latin1 = (ch: string) => ch.charCodeAt(0) < 256 || '€’«»…—–'.includes(ch);
  it('composes accents, keeps no-break spaces as glue, plain spaces and symbols, strips accents the font lacks, else « ? »', () => {
    expect(drawableText('Créée à Guéret : 1\u202f200,00\u00a0€ « ok »', latin1)).toBe('Créée à Guéret : 1\u00a0200,00\u00a0€ « ok »');
    expect(drawableText('a\r\nb\tc\u2003d', latin1)).toBe('a b c d');
    expect(drawableText('Erdős Łukasz 漢', latin1)).toBe('Erdos ?ukasz ?');
    // « é » typed as e + combining acute (macOS file names, some forms) is one letter.
    expect(drawableText('Ge\u0301rard', latin1)).toBe('Gérard');
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

  it('flows text onto new pages, numbers them, never throws on characters the font lacks', async () => {
    const text = pdfText(await sample(), true);
    expect(text).toContain('Paragraphe 89 — Erdős, 1 000 € ≈ tout');
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

  it('prints every Latin-script name exactly, with its font embedded', async () => {
    const names = ['Łukasz Wójcik-Łukaszewicz', 'Ayşe Yılmaz', 'Nguyễn Thị Minh Khai', 'Zoë Ødegård-Şahin', 'Gergő Tőkés'];
    const w = await PdfWriter.create({ title: 'Noms', date: DATE });
    for (const n of names) w.text(n);
    w.table(['Nom'], names.map((n) => [n]), [200]);
    w.at(names[0]!, 300, 200, { width: 200, bold: true });
    w.text('漢字');
    const bytes = await w.save();
    const text = pdfText(bytes);
    for (const n of names) expect(text.split(n).length - 1).toBeGreaterThanOrEqual(2);
    expect(text).toContain('??');
    const fonts = pdfFonts(bytes).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    // pdffonts' columns: name type encoding emb sub uni — every font embedded.
    for (const l of fonts) expect(l).toMatch(/[A-Z]{6}\+LiberationSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('never breaks an amount across two lines', async () => {
    const w = await PdfWriter.create({ title: 'Montants', date: DATE });
    // 20 000,00 € does not fit after « Montant total » in 75 points: it goes down whole.
    const lines = w.wrap(`Montant total ${euros(2_000_000)} versé`, 10, 75);
    expect(lines).toContain('20 000,00 €');
    w.table(['Libellé', 'Montant'], [['Dotation', euros(2_000_000)], ['Reste', euros(123_456_789)]], [60, 50], { align: ['left', 'right'] });
    const text = pdfText(await w.save(), true);
    expect(text).not.toMatch(/20\s*\n/);
  });

  it('lays out a 5 000-character word in a table cell in under a second (linear, not quadratic)', async () => {
    const w = await PdfWriter.create({ title: 'Long', date: DATE });
    w.text('échauffement'); // first use of the font's layout engine, outside the measure
    const word = 'x'.repeat(2_500) + 'ŁÉ'.repeat(1_250);
    // CPU time of this process (the machine may be busy with other work: wall time would lie).
    const cpu0 = process.cpuUsage();
    w.table(['Colonne'], [[word]], [120]);
    const cpu = process.cpuUsage(cpu0);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(1_000);
    const lines = w.wrap(word, 8.5, 114);
    expect(lines.join('')).toBe(word);
    for (const l of lines) expect(w.measure(l, 8.5)).toBeLessThanOrEqual(114);
    // Ten times longer costs about ten times more, not a hundred.
    const t1 = process.cpuUsage();
    w.wrap(word, 8.5, 114);
    const one = process.cpuUsage(t1);
    const t10 = process.cpuUsage();
    w.wrap(word.repeat(10), 8.5, 114);
    const ten = process.cpuUsage(t10);
    expect(ten.user + ten.system).toBeLessThan(40 * (one.user + one.system) + 50_000);
  });

  it('continues a row taller than a page on the next pages, every line drawn once', async () => {
    const w = await PdfWriter.create({ title: 'Ligne haute', date: DATE, footer: 'Pied' });
    w.text('Avant le tableau');
    const long = Array.from({ length: 180 }, (_, i) => `ligne-${String(i).padStart(3, '0')}`).join(' ');
    w.table(['A', 'B'], [['Court', long], ['Après', 'fin']], [100, 60]);
    const bytes = await w.save();
    const text = pdfText(bytes);
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < 180; i++) expect(text.split(`ligne-${String(i).padStart(3, '0')}`).length - 1).toBe(1);
    // Nothing is drawn below the bottom margin: the row ends on the last page, before « Après ».
    expect(pages.at(-1)).toContain('Après');
    expect(pages[0]).toContain('ligne-000');
  });

  it('identifies itself as PDF/A-2b: XMP metadata matching the document information, sRGB output intent, file identifier', async () => {
    const w = await PdfWriter.create({ title: 'Bilan — Creuse & Corrèze <2025>', subject: 'Dossier', date: DATE });
    w.text('Texte');
    const bytes = await w.save();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fne-pdfa-')), 'a.pdf');
    fs.writeFileSync(file, bytes);
    const meta = execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' });
    expect(meta).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(meta).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(meta).toContain('Bilan — Creuse &amp; Corrèze &lt;2025&gt;');
    expect(meta).toContain('<xmp:CreateDate>2025-07-15T00:00:00Z</xmp:CreateDate>');
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+Bilan — Creuse & Corrèze <2025>/);
    expect(info).toMatch(/Metadata Stream:\s+yes/);
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/S \/GTS_PDFA1/);
    expect(raw).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/i);
    // Binary header comment (four bytes above 127), as PDF/A asks.
    expect([...bytes.subarray(9, 14)].slice(1).every((b) => b > 127)).toBe(true);
  });
});
