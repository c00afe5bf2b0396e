// Benchmark of the end-of-convention dossier: the demo convention plus ~300 pièces (~300 MB of
// generated scans: PDFs and images, incompressible like real ones). Measured side by side in one
// run, alternately, each in its own child process: the dossier (documents generated, each pièce
// read once, SHA-256 for the manifest, CRC-32 and written into the ZIP, copied to the folder, the
// ZIP's own SHA-256, the ZIP flushed to disk) and a raw copy of the same files (streams: read
// once, written once — the baseline of the target; the OS's copyFile and a copy written twice,
// as the dossier writes every byte twice — folder + ZIP —, for information).
// Target: dossier ≥ 0.7 × the streamed copy's throughput (wall clock, median of REPEAT).
// CPU time of each (all threads) is printed too: on a machine shared with other work the wall
// clock depends on what the others do; the CPU time says what each costs.
// Memory: peak RSS of the dossier with 30 and with 300 pièces — it must not grow with them.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { nativeCrc32 } from '../../electron/services/common/zip/crc32';
import { attachPiece } from '../../electron/services/pieces/service';
import { buildDemo, DEMO_NOW } from '../../scripts/demo';
import type { BenchModule, BenchResult } from './types';

const PIECES = Number(process.env.BENCH_PIECES ?? 300);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const root = path.resolve(__dirname, '../..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A fresh database: the demo convention and `n` generated scans of 0.5–1.5 MB. */
export async function makeDb(n: number): Promise<{ dir: string; db: string; bytes: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-dossier-'));
  const db = path.join(dir, 'bench.sqlite');
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile: db, dataDir: dir, actor: 'bench', now: () => fixed });
  const d = await buildDemo(ctx);
  const owners = [
    { ownerType: 'convention' as const, ownerId: d.conventionId, role: 'autre' },
    ...(ctx.store.sqlite.prepare('SELECT id FROM orders').all() as { id: number }[]).map((o) => ({ ownerType: 'order' as const, ownerId: o.id, role: 'autre' })),
  ];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const size = 512 * 1024 + ((i * 7919) % 1024) * 1024; // 0.5–1.5 MB, ~1 MB on average
    const kind = i % 3;
    const head = kind === 0 ? Buffer.from('%PDF-1.5\n') : kind === 1 ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) : Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const body = Buffer.concat([head, crypto.randomBytes(size)]);
    const owner = owners[i % owners.length];
    await attachPiece(ctx, { ...owner, fileName: `scan-${String(i).padStart(3, '0')}.${['pdf', 'png', 'jpg'][kind]}`, bytes: body });
    bytes += body.length;
  }
  await ctx.store.close();
  return { dir, db, bytes };
}

function runWorker(mode: string, db: string, out: string): { ms: number; cpuMs: number; planMs: number; bytes: number; files: number; maxRssBytes: number } {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/dossier-worker.ts', mode, db, out], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

export const dossierBench: BenchModule = {
  name: 'dossier',
  async run(): Promise<BenchResult[]> {
    const loadBefore = os.loadavg()[0];
    const big = await makeDb(PIECES);
    const small = await makeDb(Math.max(1, Math.round(PIECES / 10)));
    try {
      const times: Record<string, number[]> = { dossier: [], 'copy-stream': [], 'copy-stream-x2': [], 'copy-kernel': [] };
      const cpu: Record<string, number[]> = { dossier: [], 'copy-stream': [], 'copy-stream-x2': [], 'copy-kernel': [] };
      const plan: number[] = [];
      let rssBig = 0;
      let bytes = 0;
      let files = 0;
      for (let i = 0; i < REPEAT; i++) {
        // Alternate the measures so that the page cache and the disk weigh on all alike.
        for (const mode of ['copy-stream', 'dossier', 'copy-stream-x2', 'copy-kernel']) {
          const r = runWorker(mode, big.db, path.join(big.dir, `out-${mode}`));
          times[mode].push(r.ms);
          cpu[mode].push(r.cpuMs);
          if (mode === 'dossier') {
            plan.push(r.planMs);
            rssBig = Math.max(rssBig, r.maxRssBytes);
            files = r.files;
          } else bytes = r.bytes;
        }
      }
      const rssSmall = runWorker('dossier', small.db, path.join(small.dir, 'out')).maxRssBytes;
      const mbps = (ms: number) => bytes / 1024 / 1024 / (ms / 1000);
      const dossier = mbps(median(times.dossier));
      const copy = mbps(median(times['copy-stream']));
      const kernel = mbps(median(times['copy-kernel']));
      const copyX2 = mbps(median(times['copy-stream-x2']));
      const ratio = dossier / copy;
      return [
        {
          name: `Dossier de ${PIECES} pièces (${(bytes / 1024 / 1024).toFixed(0)} Mo), ${files} fichiers dans le ZIP — médiane de ${REPEAT}`,
          figures: {
            'dossier (ms)': Math.round(median(times.dossier)),
            'dossier (Mo/s de pièces)': Math.round(dossier),
            'copie par flux (ms)': Math.round(median(times['copy-stream'])),
            'copie par flux (Mo/s)': Math.round(copy),
            'copie système copyFile (Mo/s)': Math.round(kernel),
            'copie par flux écrite 2 fois (Mo/s)': Math.round(copyX2),
            'rapport dossier / copie flux': Number(ratio.toFixed(2)),
            'rapport dossier / copyFile': Number((dossier / kernel).toFixed(2)),
            'rapport dossier / copie écrite 2 fois': Number((dossier / copyX2).toFixed(2)),
            'dossier : documents générés avant les pièces (ms)': Math.round(median(plan)),
            'temps CPU dossier (ms, tous fils)': Math.round(median(cpu.dossier)),
            'temps CPU copie par flux (ms)': Math.round(median(cpu['copy-stream'])),
            'temps CPU copie écrite 2 fois (ms)': Math.round(median(cpu['copy-stream-x2'])),
            'rapport CPU copie flux / dossier': Number((median(cpu['copy-stream']) / median(cpu.dossier)).toFixed(2)),
            'charge de la machine (loadavg 1 min, début)': Number(loadBefore.toFixed(1)),
            'charge de la machine (loadavg 1 min, fin)': Number(os.loadavg()[0].toFixed(1)),
            'cœurs': os.cpus().length,
            'CRC-32 natif (zlib.crc32)': nativeCrc32 ? 1 : 0,
            [`pic RSS dossier ${Math.max(1, Math.round(PIECES / 10))} pièces (Mo)`]: Math.round(rssSmall / 1024 / 1024),
            [`pic RSS dossier ${PIECES} pièces (Mo)`]: Math.round(rssBig / 1024 / 1024),
          },
          checks: [
            { label: 'débit du dossier (SHA-256 compris) ≥ 0,7 × celui de la copie par flux des mêmes fichiers', ok: ratio >= 0.7 },
            { label: `mémoire plate : pic RSS à ${PIECES} pièces ≤ pic à ${Math.round(PIECES / 10)} pièces + 40 Mo`, ok: rssBig <= rssSmall + 40 * 1024 * 1024 },
          ],
        },
      ];
    } finally {
      fs.rmSync(big.dir, { recursive: true, force: true });
      fs.rmSync(small.dir, { recursive: true, force: true });
    }
  },
};
