// The fixtures written by other programs than SheetJS (LibreOffice headless and Python's openpyxl,
// made by test/fixtures/other-writers/make.sh, committed) import through the CLI to the same counts
// as the SheetJS fixtures they copy (test/fixtures/expected.json): the reader is tested against
// files it did not write itself, in xlsx, xls, ods and CSV in UTF-8 and Windows-1252.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { fixturesDir, tempDir } from '../helpers/app';

const dir = path.join(fixturesDir, 'other-writers');
const expected = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8')) as {
  files: Record<string, { rows: number; people: number; structures: number; ineligible: Record<string, number> }>;
};
const files = fs.readdirSync(dir).filter((f) => /\.(xlsx|xls|ods|csv)$/.test(f));
/** « aidants-fne-grist.libreoffice.ods » copies « aidants-fne-grist.xlsx ». */
const sourceOf = (f: string) => Object.keys(expected.files).find((k) => k.replace(/\.\w+$/, '') === f.split('.')[0] && !k.includes('-excel'))!;

async function cli(db: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--db', db], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('fixtures written by LibreOffice and openpyxl', () => {
  it('cover every format and both CSV encodings', () => {
    const kinds = new Set(files.map((f) => f.replace(/^[^.]+\./, '')));
    for (const k of ['libreoffice.xls', 'libreoffice.ods', 'libreoffice.xlsx', 'openpyxl.xlsx', 'libreoffice-utf8.csv', 'libreoffice-1252.csv']) expect(kinds).toContain(k);
    const latin = fs.readFileSync(path.join(dir, 'aidants-fne-grist.libreoffice-1252.csv'));
    expect(latin.includes(Buffer.from('é', 'latin1'))).toBe(true);
    expect(latin.includes(Buffer.from('é', 'utf8'))).toBe(false);
  });

  it.each(files)('%s reads to the counts of the SheetJS fixture it copies', async (name) => {
    const exp = expected.files[sourceOf(name)];
    const db = path.join(tempDir(), 'x.sqlite');
    const r = await cli(db, 'import', path.join(dir, name), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.rows).toBe(exp.rows);
    expect(out.people.created).toBe(exp.people);
    expect(out.structures.created).toBe(exp.structures);
    expect(out.rejected).toEqual([]);
    const Database = require('better-sqlite3');
    const d = new Database(db, { readonly: true });
    const ineligible: Record<string, number> = {};
    for (const p of d.prepare('SELECT ineligible_json FROM people').all() as { ineligible_json: string }[]) for (const c of JSON.parse(p.ineligible_json) as string[]) ineligible[c] = (ineligible[c] ?? 0) + 1;
    d.close();
    expect(ineligible).toEqual(exp.ineligible);
  });
});
