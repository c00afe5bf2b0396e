// `npm run demo -- --out DIR` as a newcomer runs it: a fresh database, the demo convention (with
// its sessions, attendance, sheets and certificates), the dossier; it passes its own checklist
// with 0 missing items, its "missing" list is exactly what `check --json` says on the demo's
// database, every manifest line holds, and the art. 5.2 table reads back with one row per
// departure done (countDepartures().done, as `stats --json` gives it), every column filled.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { ART_5_2_COLUMNS } from '../../electron/services/justification/documents';
import { DOSSIER_FILES, FOLDERS, PARTS } from '../../electron/services/justification/dossier';
import { tempDir } from '../helpers/app';
import { readZip } from '../helpers/zip';

const root = path.resolve(__dirname, '../..');

it('npm run demo builds the convention with its sessions and writes a dossier with 0 missing items, whose manifest, files, missing list and art. 5.2 table hold', async () => {
  const out = path.join(tempDir(), 'demo');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--out', out], { cwd: root, encoding: 'utf8' });
  const zipPath = /ZIP {5}: (.+\.zip)/.exec(stdout)![1];
  const zip = await readZip(zipPath);
  const names = zip.map((e) => e.name);
  for (const f of [...Object.values(DOSSIER_FILES), 'manifeste.csv']) expect(names).toContain(f);
  const manifest = zip.find((e) => e.name === 'manifeste.csv')!.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n').slice(1);
  expect(manifest.length).toBe(names.length - 1);
  for (const line of manifest) {
    const [p, sha, size] = line.split(';');
    const e = zip.find((z) => z.name === p)!;
    expect(crypto.createHash('sha256').update(e.bytes).digest('hex')).toBe(sha);
    expect(e.bytes.length).toBe(Number(size));
  }
  const db = path.join(out, 'donnees-demo', 'fne-formations.sqlite');
  const check = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'check', '--db', db, '--json'], { cwd: root, encoding: 'utf8' }));
  const missing = zip.find((e) => e.name === DOSSIER_FILES.missing)!.bytes.toString('utf8');
  for (const item of check.items) expect(missing).toContain(`- ${item.label} : ${item.missing}`);
  expect(check.missingCount === 0).toBe(missing.includes('Aucun élément manquant'));
  // The demo's dossier passes its own checklist: nothing missing, not a draft.
  expect(check.items).toEqual([]);
  expect(check.missingCount).toBe(0);
  expect(check.ready).toBe(true);
  expect(missing).toContain('Aucun élément manquant');
  expect(path.basename(zipPath)).not.toContain('brouillon');
  expect(stdout).toContain('Liste de contrôle : aucun élément manquant.');

  // The art. 5.2 table: one row per departure DONE (a registered person who did not come is a
  // planned departure, not one to justify), every column present and filled.
  const stats = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'stats', '--db', db, '--json'], { cwd: root, encoding: 'utf8' }));
  expect(stats.departures.done).toBeGreaterThanOrEqual(66);
  expect(stats.departures.planned).toBeGreaterThan(stats.departures.done);
  const wb = XLSX.read(zip.find((e) => e.name === DOSSIER_FILES.art52)!.bytes);
  const table = XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets[wb.SheetNames[0]], { header: 1, defval: '' });
  expect(table[0]).toEqual([...ART_5_2_COLUMNS]);
  const rows = table.slice(1);
  expect(rows).toHaveLength(stats.departures.done);
  rows.forEach((r, i) => {
    expect(r[0]).toBe(i + 1);
    for (let c = 0; c < ART_5_2_COLUMNS.length; c++) expect(String(r[c]).trim(), `ligne ${i + 1}, colonne « ${ART_5_2_COLUMNS[c]} »`).not.toBe('');
    expect(r[12]).toMatch(/^Oui — /);
  });
  // AN + AC of one person are two rows; Aidants Connect rows carry the Pix test date.
  const byPerson = new Map<string, string[]>();
  for (const r of rows) byPerson.set(`${r[1]}|${r[2]}|${r[3]}`, [...(byPerson.get(`${r[1]}|${r[2]}|${r[3]}`) ?? []), String(r[9])]);
  expect([...byPerson.values()].some((kinds) => kinds.length === 2)).toBe(true);
  for (const r of rows.filter((x) => String(x[9]).includes('Aidants Connect'))) expect(r[8]).toMatch(/test Pix le \d{2}\/\d{2}\/2025/);
  expect(rows.some((r) => String(r[12]).includes('présence partielle acceptée'))).toBe(true);
  // Two parts, each with its manifest (paths relative to the part, every file of the part).
  const partManifest = (part: string) => {
    const lines = zip.find((e) => e.name === `${part}/manifeste.csv`)!.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n').slice(1);
    const files = names.filter((n) => n.startsWith(`${part}/`) && n !== `${part}/manifeste.csv`);
    expect(lines.map((l) => `${part}/${l.split(';')[0]}`).sort(), part).toEqual(files.sort());
    for (const l of lines) expect(crypto.createHash('sha256').update(zip.find((e) => e.name === `${part}/${l.split(';')[0]}`)!.bytes).digest('hex')).toBe(l.split(';')[1]);
    return lines.map((l) => ({ path: l.split(';')[0], proves: l.split(';').slice(3).join(';') }));
  };
  const anct = partManifest(PARTS.anct);
  const kept = partManifest(PARTS.departement);
  // Every row of the table is traced exactly once by what proves it. What goes to ANCT: each
  // OF's Qualiopi certificate, to exactly the rows of its trainees.
  const rowsOf = (proves: string) => /(?:tableau art\. 5\.2|Tableau art\. 5\.2), lignes? ([\d, ]+)/.exec(proves)?.[1].split(', ').map(Number) ?? [];
  const certificates = anct.filter((l) => l.path.endsWith('/certificat-qualiopi.pdf'));
  expect(certificates.length).toBeGreaterThan(1);
  expect(names.filter((n) => n.endsWith('/certificat-qualiopi.pdf')).every((n) => n.startsWith(`${FOLDERS.certifications}/`))).toBe(true);
  const byCertificate: number[] = [];
  for (const line of certificates) {
    const of = /^Organisme (.+?) : certification Qualiopi/.exec(line.proves)![1];
    const listed = rowsOf(line.proves);
    expect(listed, of).toEqual(rows.filter((r) => r[5] === of).map((r) => r[0]));
    byCertificate.push(...listed);
  }
  const oneEach = rows.map((r) => r[0]);
  expect(byCertificate.sort((a, b) => a - b)).toEqual(oneEach);
  // What the département keeps: one certificate of completion per row, named with its row
  // number; each row on exactly one signed attendance sheet (4 sessions).
  const attestations = kept.filter((l) => `${PARTS.departement}/${l.path}`.startsWith(`${FOLDERS.attestations}/`));
  expect(attestations).toHaveLength(rows.length);
  const byAttestation = attestations.map((l) => {
    const [n] = rowsOf(l.proves);
    expect(l.path, l.proves).toContain(`/${String(n).padStart(3, '0')}-`);
    return n;
  });
  expect(byAttestation.sort((a, b) => a - b)).toEqual(oneEach);
  const sheets = kept.filter((l) => `${PARTS.departement}/${l.path}`.startsWith(`${FOLDERS.sessions}/`) && l.path.endsWith('feuille-d-emargement-signee.pdf'));
  expect(sheets).toHaveLength(4);
  expect(sheets.flatMap((l) => rowsOf(l.proves)).sort((a, b) => a - b)).toEqual(oneEach);
  // Nothing personal beyond the table goes to ANCT: no attendance sheet, no certificate of completion.
  expect(anct.some((l) => /emargement|attestation/.test(l.path))).toBe(false);
  // A second run in the same folder refuses: the demo always starts from a fresh database.
  expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--out', out], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).toThrow();
}, 180_000);
