// Benchmark of the CLI as other tools start it: `npm run cli -- --help` (the bundled CLI answers
// from its commands' descriptions), and a 20 000-row CSV imported through the CLI against the
// bare SheetJS parse of the same file, both run as processes side by side in one run (what a
// process costs to start is part of both).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ANCT_HEADERS, anctRows, toCsv } from './fixtures';
import type { BenchModule, BenchResult } from './types';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const root = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of one process, in ms; throws on a non-zero exit. */
function run(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} : code ${r.status}\n${r.stderr}`);
  return ms;
}

export const cliBench: BenchModule = {
  name: 'cli',
  async run(): Promise<BenchResult[]> {
    // The bundle is built once (as `npm run build` or the first `npm run cli` does).
    run(process.execPath, ['scripts/build-cli.mjs']);
    const help = Array.from({ length: 7 }, () => run(npm, ['run', '-s', 'cli', '--', '--help']));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-cli-'));
    const csv = path.join(dir, `aidants-${ROWS}.csv`);
    fs.writeFileSync(csv, toCsv(ANCT_HEADERS, anctRows(ROWS)));
    const bare = `const XLSX=require('xlsx');const wb=XLSX.read(require('fs').readFileSync(${JSON.stringify(csv)},'utf8'),{type:'string'});XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]],{header:1});`;
    const parse: number[] = [];
    const imports: number[] = [];
    for (let i = 0; i < 3; i++) {
      parse.push(run(process.execPath, ['-e', bare]));
      const db = path.join(dir, `import-${i}.sqlite`);
      imports.push(run(npm, ['run', '-s', 'cli', '--', 'import', csv, '--db', db, '--yes', '--json']));
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const ratio = median(imports) / median(parse);
    return [
      {
        name: 'npm run cli -- --help',
        figures: { 'médiane (ms)': Math.round(median(help)), 'pire (ms)': Math.round(Math.max(...help)) },
        checks: [{ label: 'répond en moins de 0,5 s (médiane)', ok: median(help) < 500 }],
      },
      {
        name: `import de ${ROWS} lignes CSV par la CLI, contre le parse SheetJS seul (deux processus)`,
        figures: { 'parse SheetJS seul (ms)': Math.round(median(parse)), 'import par la CLI (ms)': Math.round(median(imports)), 'rapport import / parse': Number(ratio.toFixed(2)) },
        checks: [{ label: 'import ≤ 1,2 × le parse seul', ok: ratio <= 1.2 }],
      },
    ];
  },
};
