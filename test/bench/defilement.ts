// Benchmark of the people table's scrolling on a 20 000-person base, in Debian's Chromium against
// the web host (the built renderer, the real services, a real SQLite file). Measured in the page:
// - a fast continuous scroll from the first row (600 px per frame, ~12 rows, for 600 frames): the
//   time between animation frames (what the officer sees as smooth or jerky) and the number of
//   rows in the page (it must not grow with the list);
// - jumps to random places (a drag of the scroll bar): the time until the rows in view are filled
//   (blocks of 100 rows fetched from the services), instead of « Chargement… ».
// Needs the renderer built (`npm run build`) and /usr/bin/chromium (or FNE_CHROMIUM).
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { importCommit } from '../../electron/services/recensement/import-service';
import { startServer } from '../e2e/helpers';
import { ANCT_HEADERS, anctRows, toCsv } from './fixtures';
import type { BenchModule, BenchResult } from './types';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const JUMPS = 30;
const FRAMES = 600; // ten seconds of continuous scrolling at 60 images/s

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export const defilementBench: BenchModule = {
  name: 'defilement',
  async run(): Promise<BenchResult[]> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-defilement-'));
    const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'bench' });
    const created = (await importCommit(ctx, { fileName: `aidants-${ROWS}.csv`, bytes: toCsv(ANCT_HEADERS, anctRows(ROWS)) }, {})).people.created;
    await ctx.store.close();
    const server = await startServer({ dir });
    const browser = await chromium.launch({ executablePath: process.env.FNE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' });
      await page.goto(server.url);
      await page.getByRole('link', { name: '2. Recensement des besoins' }).click();
      const region = page.getByRole('region', { name: 'Professionnels recensés : zone défilante' });
      await region.locator('tbody tr[aria-rowindex="2"] a').first().waitFor();

      // The page scripts are passed as text: tsx would wrap named functions with a helper
      // (__name) that does not exist in the page.
      const el = `document.querySelector('[aria-label="Professionnels recensés : zone défilante"]')`;
      const frame = `() => new Promise((r) => requestAnimationFrame(r))`;
      const scroll = await page.evaluate<{ intervals: number[]; maxRows: number; lastIndex: string | null; top: number; height: number }>(`(async () => {
        const el = ${el}, frame = ${frame};
        const intervals = [];
        let maxRows = 0;
        let last = await frame();
        for (let i = 0; i < ${FRAMES} && el.scrollTop + el.clientHeight < el.scrollHeight - 1; i++) {
          el.scrollTop += 600;
          const now = await frame();
          intervals.push(now - last);
          last = now;
          maxRows = Math.max(maxRows, el.querySelectorAll('tbody tr:not([aria-hidden])').length);
        }
        // Then straight to the end (the scroll bar dragged down): the last person is there.
        el.scrollTop = el.scrollHeight;
        for (let i = 0; i < 60 && /Chargement…/.test(el.querySelector('tbody').textContent); i++) await frame();
        el.scrollTop = el.scrollHeight;
        await frame();
        const rows = el.querySelectorAll('tbody tr[aria-rowindex]');
        return { intervals, maxRows, lastIndex: rows[rows.length - 1].getAttribute('aria-rowindex'), top: el.scrollTop, height: el.scrollHeight };
      })()`);
      const fills = await page.evaluate<number[]>(`(async () => {
        const el = ${el}, frame = ${frame};
        const times = [];
        let seed = 11;
        for (let i = 0; i < ${JUMPS}; i++) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          const t0 = performance.now();
          el.scrollTop = (seed / 2147483648) * (el.scrollHeight - el.clientHeight);
          await frame();
          // Filled: no placeholder among the rows in the page (they cover the view plus a margin).
          while (/Chargement…/.test(el.querySelector('tbody').textContent)) await frame();
          times.push(performance.now() - t0);
        }
        return times;
      })()`);
      if (scroll.lastIndex !== String(ROWS + 1)) throw new Error(`scrolled to row ${scroll.lastIndex} (scrollTop ${scroll.top} of ${scroll.height}), not the last one`);
      const p50 = quantile(scroll.intervals, 0.5);
      const p95 = quantile(scroll.intervals, 0.95);
      const fill50 = quantile(fills, 0.5);
      const fillMax = Math.max(...fills);
      return [
        {
          name: `défilement du tableau des professionnels, ${created} personnes, Chromium sans GPU (${scroll.intervals.length} images, ${JUMPS} sauts)`,
          figures: {
            'intervalle entre images, médiane (ms)': +p50.toFixed(1),
            'intervalle entre images, 95e centile (ms)': +p95.toFixed(1),
            'intervalle entre images, pire (ms)': +Math.max(...scroll.intervals).toFixed(1),
            'lignes dans la page, au plus': scroll.maxRows,
            'saut → lignes remplies, médiane (ms)': Math.round(fill50),
            'saut → lignes remplies, pire (ms)': Math.round(fillMax),
          },
          checks: [
            { label: 'défilement fluide : 95 % des images en moins de 50 ms (20 images/s au moins)', ok: p95 < 50 },
            { label: 'la page garde moins de 100 lignes, quelle que soit la taille de la liste', ok: scroll.maxRows < 100 },
            { label: 'après un saut, lignes remplies en moins de 300 ms (médiane)', ok: fill50 < 300 },
          ],
        },
      ];
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};
