// CI's share of the crash trials (npm run test:crash runs 100): SIGKILL at random moments
// during an import, attachments and a dossier run; every trial must leave the data intact.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMP_PREFIX, writeDossier } from '../../electron/services/justification/archive';
import { runCrashTrials, summarise, verifyDossierOutput } from '../crash/run';

describe('crash trials (SIGKILL)', () => {
  it('10 random kills during imports, attachments and dossier runs leave the base, the pièces store and the output folder intact', async () => {
    const { results } = await runCrashTrials({ trials: 10, rows: 1000, files: 8, dossierPieces: 6, dossierPieceBytes: 1 << 20, concurrency: 2 });
    const failed = results.filter((r) => !r.intact).map((r) => `${r.mode} tué à ${r.killAfterMs} ms : ${r.problems.join(' ; ')}`);
    expect(failed, summarise(results)).toEqual([]);
    expect(results).toHaveLength(10);
    expect(new Set(results.map((r) => r.mode))).toEqual(new Set(['import', 'attach', 'dossier']));
  }, 240_000);
});

describe('the dossier check of the crash trials catches what it must', () => {
  async function finished(): Promise<{ out: string; zip: string; folder: string }> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-crash-sortie-'));
    const entries = Array.from({ length: 5 }, (_, i) => ({ path: `pieces/${i}.txt`, source: { bytes: Buffer.from(`pièce ${i} `.repeat(5000)) }, proves: 'test' }));
    const r = await writeDossier({ outDir: out, baseName: 'Dossier test', entries, mtime: new Date('2025-01-01T00:00:00Z') });
    return { out, zip: r.zipPath, folder: r.folderPath };
  }

  it('a finished dossier is accepted; a killed run’s temporaries are tolerated, and the next run completes beside them, removing nothing', async () => {
    const { out } = await finished();
    fs.writeFileSync(path.join(out, `${TEMP_PREFIX}abc.tmp`), 'moitié de ZIP');
    const before = fs.readdirSync(out).sort();
    const v = await verifyDossierOutput(out);
    expect(v).toEqual({ problems: [], zips: 1, folders: 1, temporaries: 1 });
    expect(fs.readdirSync(out).sort()).toEqual(before); // the check's own run is gone, nothing else
  });

  it('a truncated ZIP, a folder missing a file or with a changed file, a stray file: each is reported', async () => {
    const a = await finished();
    fs.truncateSync(a.zip, Math.floor(fs.statSync(a.zip).size / 2));
    expect((await verifyDossierOutput(a.out)).problems.join()).toMatch(/ZIP partiel ou illisible/);

    const b = await finished();
    fs.rmSync(path.join(b.folder, 'pieces', '3.txt'));
    expect((await verifyDossierOutput(b.out)).problems.join()).toMatch(/dossier partiel/);

    const c = await finished();
    fs.writeFileSync(path.join(c.folder, 'pieces', '2.txt'), 'autre contenu');
    expect((await verifyDossierOutput(c.out)).problems.join()).toMatch(/ne correspond pas au manifeste/);

    const d = await finished();
    fs.writeFileSync(path.join(d.out, 'Dossier-test.zip.part'), 'x');
    expect((await verifyDossierOutput(d.out)).problems.join()).toMatch(/fichier inattendu/);
  });
});
