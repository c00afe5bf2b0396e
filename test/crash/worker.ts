// A process the crash harness kills with SIGKILL at a random moment. Spawned directly with
// `node --import tsx` (no npm/tsx wrapper: killing a wrapper would leave the real worker alive).
// Usage: worker.ts <attach|import|dossier> <dataDir> [rows|files]
// (dossier: dataDir is a copy of the harness's template; the dossier is written to dataDir/sortie
// through the same channel and job as the screen and the CLI.)
// Prints READY when the workload starts and DONE when it has committed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { createConvention } from '../../electron/services/convention/service';
import { dispatch } from '../../electron/services/handlers';
import { waitForJob } from '../../electron/services/jobs';
import { attachPiece } from '../../electron/services/pieces/service';
import { DEMO_NOW } from '../../scripts/demo';
import { ANCT_HEADERS, anctRows, toCsv } from '../bench/fixtures';
import { registerPicked } from '../../electron/services/common/picked-paths';

async function main(): Promise<void> {
  const [mode, dataDir, nArg] = process.argv.slice(2);
  const ctx = openApp({ dataDir, dbFile: path.join(dataDir, 'fne-formations.sqlite'), actor: 'crash', ...(mode === 'dossier' ? { now: () => new Date(DEMO_NOW) } : {}) });
  if (mode === 'attach') {
    const n = Number(nArg ?? 30);
    const conv = (await ctx.store.db.selectFrom('conventions').select('id').executeTakeFirst()) ?? (await createConvention(ctx, { departement: '23', beneficiaireNom: 'CD 23' }));
    process.stdout.write('READY\n');
    for (let i = 0; i < n; i++) {
      // Distinct content every time: each attach writes a new file, then its row.
      const bytes = crypto.randomBytes(64 * 1024 + Math.floor(Math.random() * 192 * 1024));
      await attachPiece(ctx, { ownerType: 'convention', ownerId: conv.id, role: 'autre', fileName: `piece-${i}.pdf`, bytes });
    }
  } else if (mode === 'import') {
    const rows = Number(nArg ?? 20000);
    const bytes = toCsv(ANCT_HEADERS, anctRows(rows));
    process.stdout.write('READY\n');
    const env = await dispatch(ctx, 'recensement.importCommit', { fileName: 'aidants.csv', contentBase64: bytes.toString('base64'), kind: 'auto', acceptRejected: true });
    if (!env.ok) throw new Error(env.error.message);
  } else if (mode === 'dossier') {
    const conv = await ctx.store.db.selectFrom('conventions').select('id').executeTakeFirstOrThrow();
    process.stdout.write('READY\n');
    // The output folder as the desktop dialog gives it (a handle): no channel takes a path (issue 15).
    fs.mkdirSync(path.join(dataDir, 'sortie'), { recursive: true });
    const destination = registerPicked(ctx, 'folder', path.join(dataDir, 'sortie'));
    const env = await dispatch(ctx, 'justification.dossier.start', { conventionId: conv.id, destination });
    if (!env.ok) throw new Error(env.error.message);
    const end = await waitForJob(ctx, (env.value as { id: string }).id);
    if (end.state !== 'termine') throw new Error(`dossier : ${end.state} ${JSON.stringify(end.error ?? '')}`);
  } else throw new Error(`mode inconnu : ${mode}`);
  process.stdout.write('DONE\n');
  await ctx.store.close();
}

main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
