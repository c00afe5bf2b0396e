// Child process of the dossier benchmark: one measured run, its CPU time (all threads), its own peak RSS.
//   dossier <db> <out>      generates the end-of-convention dossier (SHA-256, folder + ZIP)
//   copy-stream <db> <out>  copies the same pièce files with streams (read once, write once)
//   copy-stream-x2 …        the same, written twice (the bytes the dossier writes: folder + ZIP)
//   copy-kernel <db> <out>  copies them with fs.copyFile (the OS's own copy)
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openApp } from '../../electron/services/app';
import { generateDossier } from '../../electron/services/justification/dossier';
import { blobPath } from '../../electron/services/pieces/store';

async function main() {
  const [mode, db, out] = process.argv.slice(2);
  const ctx = openApp({ dbFile: db, dataDir: path.dirname(db), actor: 'bench' });
  const blobs = ctx.store.sqlite.prepare('SELECT DISTINCT sha256, size FROM pieces ORDER BY sha256').all() as { sha256: string; size: number }[];
  const bytes = blobs.reduce((s, b) => s + b.size, 0);
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const cpu0 = process.cpuUsage(); // every thread of the process (the dossier's helper thread too)
  const t0 = performance.now();
  let files = blobs.length;
  let planMs = 0;
  if (mode === 'dossier') {
    const conventionId = (ctx.store.sqlite.prepare('SELECT id FROM conventions').get() as { id: number }).id;
    // The first progress report comes when the documents are generated and the writing starts.
    const r = await generateDossier(ctx, conventionId, { outDir: out, onProgress: () => (planMs ||= performance.now() - t0) });
    files = r.manifest.length;
  } else if (mode === 'copy-stream') {
    for (const b of blobs) await pipeline(fs.createReadStream(blobPath(ctx.dataDir, b.sha256), { highWaterMark: 1 << 20 }), fs.createWriteStream(path.join(out, b.sha256)));
  } else if (mode === 'copy-stream-x2') {
    // The same bytes written as the dossier writes them: once to a folder, once more (the ZIP).
    for (const b of blobs) {
      await pipeline(fs.createReadStream(blobPath(ctx.dataDir, b.sha256), { highWaterMark: 1 << 20 }), fs.createWriteStream(path.join(out, b.sha256)));
      await pipeline(fs.createReadStream(blobPath(ctx.dataDir, b.sha256), { highWaterMark: 1 << 20 }), fs.createWriteStream(path.join(out, b.sha256 + '.2')));
    }
  } else if (mode === 'copy-kernel') {
    for (const b of blobs) fs.copyFileSync(blobPath(ctx.dataDir, b.sha256), path.join(out, b.sha256));
  } else throw new Error(`mode inconnu : ${mode}`);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await ctx.store.close();
  fs.rmSync(out, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, planMs, bytes, files, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
}
void main();
