// Benchmark of the recensement import: 20 000-row ANCT-style list, CSV and xlsx. For each file,
// measured side by side in one run: the bare SheetJS parse (XLSX.read + sheet_to_json of the
// data sheet, what any import must at least do), our import (parse + validation + upsert into
// SQLite in one transaction), the re-import of the same file, and the peak RSS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { openApp } from '../../electron/services/app';
import { importCommit } from '../../electron/services/recensement/import-service';
import { listPeople, type PeopleQuery } from '../../electron/services/recensement/records';
import { ANCT_HEADERS, anctRows, toCsv, toXlsx } from './fixtures';
import type { BenchModule, BenchResult } from './types';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const REPEAT = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function time<T>(f: () => T): [number, T] {
  const t0 = performance.now();
  const r = f();
  return [performance.now() - t0, r];
}
async function timeAsync<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await f();
  return [performance.now() - t0, r];
}

function bareParse(bytes: Buffer, isCsv: boolean): number {
  const wb = isCsv ? XLSX.read(bytes.toString('utf8'), { type: 'string' }) : XLSX.read(bytes, { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1 });
  return rows.length;
}

export const recensementBench: BenchModule = {
  name: 'recensement',
  async run(): Promise<BenchResult[]> {
    const rows = anctRows(ROWS);
    const files: [string, Buffer][] = [
      [`aidants-${ROWS}.csv`, toCsv(ANCT_HEADERS, rows)],
      [`aidants-${ROWS}.xlsx`, toXlsx(ANCT_HEADERS, rows)],
    ];
    const results: BenchResult[] = [];
    for (const [name, bytes] of files) {
      const isCsv = name.endsWith('.csv');
      const bare: number[] = [];
      const imp: number[] = [];
      const reimp: number[] = [];
      let created = 0;
      for (let i = 0; i < REPEAT; i++) {
        // Alternate the measures so that warm-up and GC weigh on both alike.
        const [tb, n] = time(() => bareParse(bytes, isCsv));
        if (n < ROWS) throw new Error(`bare parse read ${n} rows`);
        bare.push(tb);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-'));
        const ctx = openApp({ dbFile: path.join(dir, 'bench.sqlite'), dataDir: dir, actor: 'bench' });
        try {
          const [ti, r1] = await timeAsync(() => importCommit(ctx, { fileName: name, bytes }, {}));
          imp.push(ti);
          created = r1.people.created;
          const [tr, r2] = await timeAsync(() => importCommit(ctx, { fileName: name, bytes }, {}));
          if (r2.people.created !== 0 || r2.people.updated !== 0) throw new Error('re-import changed people');
          reimp.push(tr);
        } finally {
          await ctx.store.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
      // Peak memory of the import alone (import + re-import), in a fresh process.
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-file-'));
      const f = path.join(tmp, name);
      fs.writeFileSync(f, bytes);
      const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
      const out = execFileSync(tsx, [path.join(__dirname, 'recensement-worker.ts'), f], { encoding: 'utf8' });
      fs.rmSync(tmp, { recursive: true, force: true });
      const peakMb = JSON.parse(out.trim().split('\n').pop()!).maxRssBytes / 1024 / 1024;
      const b = median(bare);
      const i = median(imp);
      const r = median(reimp);
      results.push({
        name: `import ${name} (${(bytes.length / 1024 / 1024).toFixed(1)} Mo, ${created} personnes)`,
        figures: {
          'parse SheetJS seul (ms)': Math.round(b),
          'import complet (ms)': Math.round(i),
          'ré-import (ms)': Math.round(r),
          'ratio import / parse': +(i / b).toFixed(2),
          'ratio ré-import / import': +(r / i).toFixed(2),
          'pic RSS de l’import (Mo)': Math.round(peakMb),
        },
        checks: [
          { label: 'ratio import / parse ≤ 1,3', ok: i / b <= 1.3 },
          { label: 'ré-import pas plus lent que l’import', ok: r <= i * 1.05 },
          { label: 'pic RSS de l’import < 400 Mo', ok: peakMb < 400 },
        ],
      });
    }
    results.push(await peopleListBench(files[1][0], files[1][1]));
    return results;
  },
};

/**
 * The people table on a 20 000-person base: its rows are asked to the service by blocks of 100
 * as the officer scrolls, with the sort and filters applied there, so what must stay fast is one
 * call of the list channel (the scrolling itself in Chromium: the « defilement » module).
 */
async function peopleListBench(name: string, bytes: Buffer): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-list-'));
  const ctx = openApp({ dbFile: path.join(dir, 'bench.sqlite'), dataDir: dir, actor: 'bench' });
  try {
    await importCommit(ctx, { fileName: name, bytes }, {});
    const base: PeopleQuery = { eligibility: 'all', sort: 'nom', dir: 'asc', offset: 0, limit: 100 };
    const cases: [string, PeopleQuery][] = [
      ['premier bloc, tri par nom', base],
      ['dernier bloc, tri par nom', { ...base, offset: ROWS - 100 }],
      ['tri par structure, décroissant', { ...base, sort: 'structure', dir: 'desc' }],
      ['tri par e-mail, bloc 100', { ...base, sort: 'email', offset: 99 * 100 }],
      ['recherche « martin »', { ...base, search: 'martin' }],
      ['non éligibles, motif conseiller numérique', { ...base, eligibility: 'ineligible', reason: 'conseiller_numerique' }],
      ['alerte SIRET incomplet', { ...base, warning: 'siret_incomplet' }],
    ];
    const figures: Record<string, number> = {};
    let worst = 0;
    let total = 0;
    for (const [label, q] of cases) {
      const ts: number[] = [];
      for (let i = 0; i < 15; i++) {
        const [t, r] = await timeAsync(() => listPeople(ctx, q));
        if (i === 0) total = Math.max(total, r.total);
        ts.push(t);
      }
      const m = median(ts);
      worst = Math.max(worst, m);
      figures[`${label} (ms)`] = +m.toFixed(1);
    }
    return {
      name: `liste des professionnels sur une base de ${total} personnes (blocs de 100 lignes, tri et filtres côté service) — médiane de 15`,
      figures,
      checks: [{ label: 'chaque bloc de la liste en moins de 100 ms (défilement et tri fluides)', ok: worst < 100 }],
    };
  } finally {
    await ctx.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
