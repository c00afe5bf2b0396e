// Issue 15: every class of hostile file the review crafted, generated at test time
// (test/fixtures/hostile/generate.ts), run through the real import channels in a CHILD process
// (test/fixtures/hostile/run-import.ts) that reports its own peak RSS: each import ends in under
// 30 s, with a French message of under 2 000 characters, the child's peak RSS under 600 MB and
// the base byte-identical. The 100 MB public list with an unclosed quote never replaces the list.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHostileFiles } from '../fixtures/hostile/generate';
import { tempDir } from '../helpers/app';

interface ChildReport {
  answers: { ok: boolean; code?: string; message?: string }[];
  ms: number;
  maxRssMb: number;
  unchanged: boolean;
  publicRows: number | null;
  crashed?: string;
}

const root = path.resolve(__dirname, '../..');
function runChild(kind: string, file: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'test/fixtures/hostile/run-import.ts', kind, file], { cwd: root, encoding: 'utf8', timeout: 90_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildReport);
      } catch {
        reject(new Error(`child failed (${err?.message}): ${stdout.slice(0, 500)} ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

let dir: string;
let files: Record<string, string>;
beforeAll(() => {
  dir = tempDir('fne-hostile-files-');
  files = writeHostileFiles(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function expectRefused(r: ChildReport, codes: string[] = ['file_unreadable', 'input_too_large']) {
  expect(r.crashed).toBeUndefined();
  for (const a of r.answers) {
    expect(a.ok).toBe(false);
    expect(codes).toContain(a.code);
    expect(a.message!.length).toBeLessThan(2_000);
    expect(a.message).toMatch(/Rien n’a été (importé|joint|modifié)/);
  }
  expect(r.ms).toBeLessThan(30_000);
  expect(r.maxRssMb).toBeLessThan(600);
  expect(r.unchanged).toBe(true);
}

describe('hostile files, each through its import in a child process', () => {
  const cases: [string, string, RegExp][] = [
    ['cellule-A1048576000.xlsx', 'ac', /hors de la grille/],
    ['colonne-ZZZZZ.xlsx', 'presence', /hors de la grille/],
    ['repetitions-16000x1000000.ods', 'recensement', /plus de 3.000.000 cellules/],
    ['blancs-3Go.xlsx', 'recensement', /anormalement compressé/],
    ['blancs-3Go-taille-mentie.xlsx', 'opco', /endommagé ou incomplet/],
    ['attestations-5Go.pdf', 'attestations', /se décompresse en plus de/],
  ];
  // The children run three at a time (started at once, awaited by each test): the suite stays
  // short on a busy machine; each child measures its own import's time and memory.
  const runs = new Map<string, Promise<ChildReport>>();
  beforeAll(() => {
    let active = 0;
    const waiting: (() => void)[] = [];
    const limited = (kind: string, name: string) =>
      new Promise<void>((go) => (active < 3 ? (active++, go()) : waiting.push(() => (active++, go())))).then(() =>
        runChild(kind, files[name]).finally(() => {
          active--;
          waiting.shift()?.();
        }),
      );
    for (const [name, kind] of cases) runs.set(name, limited(kind, name));
    runs.set('liste-publique-guillemet.csv', limited('public-list', 'liste-publique-guillemet.csv'));
    for (const p of runs.values()) p.catch(() => undefined);
  });
  for (const [name, kind, message] of cases) {
    it(`${name} (${kind}): refused in French, quickly, in bounded memory, the base unchanged`, async () => {
      const r = await runs.get(name)!;
      expectRefused(r);
      expect(r.answers[0].message).toMatch(message);
    }, 120_000);
  }

  it('the 100 MB public list with an unclosed quote is refused, the stored list kept', async () => {
    expect(fs.statSync(files['liste-publique-guillemet.csv']).size).toBeGreaterThanOrEqual(100 * 1024 * 1024);
    const r = await runs.get('liste-publique-guillemet.csv')!;
    expectRefused(r);
    expect(r.answers[0].message).toMatch(/guillemet/);
    expect(r.publicRows).toBe(6);
  }, 120_000);
});
