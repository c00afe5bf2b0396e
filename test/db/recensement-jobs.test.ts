// Imports as jobs (progress, cancel), several files in one go, and the undo of an import or a
// merge through the history (backup taken before each).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/run';
import { dispatch } from '../../electron/services/handlers';
import { cancelJob, jobStatus, waitForJob, type JobStatus } from '../../electron/services/jobs';
import { listBackups } from '../../electron/services/sauvegarde/backup';
import { lastOperation, undoLast } from '../../electron/services/sauvegarde/history';
import { ANCT_HEADERS, anctRows, toCsv } from '../bench/fixtures';
import { dbSnapshot, fixturesDir, openTestApp, tempDir, type TestApp } from '../helpers/app';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(): TestApp {
  const a = openTestApp({ now: '2025-11-20T10:00:00Z' });
  apps.push(a);
  return a;
}
const b64 = (p: string) => fs.readFileSync(p).toString('base64');

async function ok<T>(a: TestApp, channel: string, input: unknown): Promise<T> {
  const env = await dispatch(a.ctx, channel as never, input as never);
  if (!env.ok) throw new Error(`${channel}: ${env.error.message}`);
  return env.value as T;
}

function tables(a: TestApp) {
  const s = a.ctx.store.sqlite;
  return {
    people: s.prepare('SELECT * FROM people ORDER BY id').all(),
    structures: s.prepare('SELECT * FROM structures ORDER BY id').all(),
    imports: s.prepare('SELECT * FROM imports ORDER BY id').all(),
  };
}

/** Polls the job (the work yields between batches) until `until` holds or the job ends. */
async function follow(a: TestApp, id: string, until: (s: JobStatus) => boolean, seen: JobStatus[] = []): Promise<JobStatus> {
  for (;;) {
    const s = jobStatus(a.ctx, id);
    seen.push(s);
    if (s.state !== 'en_cours' || until(s)) return s;
    await new Promise((r) => setImmediate(r));
  }
}

const big = toCsv(ANCT_HEADERS, anctRows(6000, 11));

describe('import as a job', () => {
  it('reports the rows read then the rows written, and ends with the result of each file', async () => {
    const a = app();
    const job = await ok<JobStatus>(a, 'recensement.import.start', { files: [{ fileName: 'aidants.csv', contentBase64: big.toString('base64') }] });
    expect(job.state).toBe('en_cours');
    const seen: JobStatus[] = [];
    const end = await follow(a, job.id, () => false, seen);
    expect(end.state).toBe('termine');
    const read = seen.filter((s) => s.progress.label === 'Vérification des lignes' && s.progress.done > 0 && s.progress.done < s.progress.total);
    const written = seen.filter((s) => s.progress.label === 'Enregistrement dans la base' && s.progress.done > 0 && s.progress.done < s.progress.total);
    expect(read.length).toBeGreaterThan(0);
    expect(read[0].progress.total).toBe(6000);
    expect(written.length).toBeGreaterThan(0);
    const result = end.result as { files: { people: { created: number } }[]; people: { created: number }; structures: { created: number } };
    expect(result.files).toHaveLength(1);
    expect(result.people.created).toBe(6000);
    expect(written[0].progress.total).toBe(6000 + result.structures.created);
    expect(a.ctx.store.sqlite.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 6000 });
  });

  it('cancelled while writing: the base is byte-identical (one transaction rolled back)', async () => {
    const a = app();
    // Some data first, so that the cancelled import also has updates to roll back.
    await ok(a, 'recensement.importCommit', { fileName: 'anct.csv', contentBase64: b64(path.join(fixturesDir, 'aidants-anct-export.csv')) });
    const snap = dbSnapshot(a.ctx);
    const job = await ok<JobStatus>(a, 'recensement.import.start', { files: [{ fileName: 'aidants.csv', contentBase64: big.toString('base64') }] });
    const at = await follow(a, job.id, (s) => s.progress.label === 'Enregistrement dans la base' && s.progress.done >= 2000);
    expect(at.state).toBe('en_cours');
    cancelJob(a.ctx, job.id);
    const end = await waitForJob(a.ctx, job.id);
    expect(end.state).toBe('annule');
    expect(end.error?.message).toMatch(/rien n’a été enregistré/);
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
  });

  it('cancelled while reading the rows: nothing written either', async () => {
    const a = app();
    const snap = dbSnapshot(a.ctx);
    const job = await ok<JobStatus>(a, 'recensement.import.start', { files: [{ fileName: 'aidants.csv', contentBase64: big.toString('base64') }] });
    const at = await follow(a, job.id, (s) => s.progress.label === 'Vérification des lignes' && s.progress.done > 0);
    expect(at.state).toBe('en_cours');
    cancelJob(a.ctx, job.id);
    expect((await waitForJob(a.ctx, job.id)).state).toBe('annule');
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
  });

  it('the preview runs as a job too and writes nothing', async () => {
    const a = app();
    const snap = dbSnapshot(a.ctx);
    const job = await ok<JobStatus>(a, 'recensement.import.previewStart', { files: [{ fileName: 'aidants.csv', contentBase64: big.toString('base64') }] });
    const end = await waitForJob(a.ctx, job.id);
    expect(end.state).toBe('termine');
    expect((end.result as { people: { created: number } }).people.created).toBe(6000);
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
  });
});

describe('several files in one go (returned application forms)', () => {
  const header = 'Nom de la structure;SIRET de la structure;Nom;Prénom;Adresse e-mail professionnelle;Formation souhaitée';
  const formA = Buffer.from(
    [header, 'Mairie de Guéret;21230096600018;Durand;Léa;lea.durand@mairie-gueret.fr;Aidants Numériques', 'Mairie de Guéret;21230096600018;Roux;Paul;paul.roux@mairie-gueret.fr;Aidants Connect'].join('\r\n'),
    'utf8',
  );
  const formB = Buffer.from(
    [header, 'CCAS de Boussac;;Petit;Jean;jean.petit@ccas-boussac.fr;Les deux', 'Mairie de Guéret;21230096600018;Durand;Léa;lea.durand@mairie-gueret.fr;Aidants Numériques'].join('\r\n'),
    'utf8',
  );
  const files = [
    { fileName: 'formulaire-gueret.csv', contentBase64: formA.toString('base64') },
    { fileName: 'formulaire-boussac.csv', contentBase64: formB.toString('base64') },
  ];

  it('one preview: totals of all files, and each file with its own counts and rows', async () => {
    const a = app();
    const job = await ok<JobStatus>(a, 'recensement.import.previewStart', { files });
    const end = await waitForJob(a.ctx, job.id);
    const p = end.result as {
      rows: number;
      people: { created: number };
      structures: { created: number };
      files: { fileName: string; rows: number; people: { created: number }; warnings: { row: number; code: string; message: string }[] }[];
      warnings: { file: number; fileName: string; row: number; code: string; message: string }[];
    };
    expect(p.rows).toBe(4);
    // Léa Durand is in both files: one person.
    expect(p.people.created).toBe(3);
    expect(p.structures.created).toBe(2);
    expect(p.files.map((f) => [f.fileName, f.rows, f.people.created])).toEqual([
      ['formulaire-gueret.csv', 2, 2],
      ['formulaire-boussac.csv', 2, 1],
    ]);
    const dup = p.warnings.find((w) => w.code === 'doublon_fichier')!;
    expect(dup).toMatchObject({ file: 1, fileName: 'formulaire-boussac.csv', row: 3 });
    expect(dup.message).toMatch(/la ligne 2 de « formulaire-gueret\.csv »/);
    expect(p.files[1].warnings.map((w) => w.row)).toContain(3);
  });

  it('one transaction: every file recorded with its source, one history operation', async () => {
    const a = app();
    const job = await ok<JobStatus>(a, 'recensement.import.start', { files });
    const end = await waitForJob(a.ctx, job.id);
    expect(end.state).toBe('termine');
    const t = tables(a);
    expect(t.people).toHaveLength(3);
    expect(t.imports.map((i) => (i as { file_name: string }).file_name)).toEqual(['formulaire-gueret.csv', 'formulaire-boussac.csv']);
    const op = await lastOperation(a.ctx);
    expect(op).toMatchObject({ action: 'import', undoable: true });
    const batches = a.ctx.store.sqlite.prepare('SELECT DISTINCT batch_id FROM audit_log WHERE batch_id IS NOT NULL').all();
    expect(batches).toEqual([{ batch_id: op!.batchId }]);
  });

  it('a rejected row in the second file blocks the whole import (named by file and row), nothing written', async () => {
    const a = app();
    const bad = Buffer.from([header, ';;;Inès;ines@asso.fr;'].join('\r\n'), 'utf8');
    const snap = dbSnapshot(a.ctx);
    const job = await ok<JobStatus>(a, 'recensement.import.start', { files: [files[0], { fileName: 'formulaire-asso.csv', contentBase64: bad.toString('base64') }] });
    const end = await waitForJob(a.ctx, job.id);
    expect(end.state).toBe('echec');
    expect(end.error?.message).toMatch(/« formulaire-asso\.csv » ligne 2/);
    expect(dbSnapshot(a.ctx).equals(snap)).toBe(true);
  });

  it('through the CLI: several files, one JSON with each file and the totals', async () => {
    const dir = tempDir();
    const fa = path.join(dir, 'formulaire-gueret.csv');
    const fb = path.join(dir, 'formulaire-boussac.csv');
    fs.writeFileSync(fa, formA);
    fs.writeFileSync(fb, formB);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['import', fa, fb, '--json', '--db', path.join(dir, 'x.sqlite')], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const r = JSON.parse(out.join('\n'));
    expect(r.files.map((f: { file: string; people: { created: number } }) => [f.file, f.people.created])).toEqual([
      ['formulaire-gueret.csv', 2],
      ['formulaire-boussac.csv', 1],
    ]);
    expect(r.people).toEqual({ created: 3, updated: 0, unchanged: 0 });
    expect(Object.keys(r.files[0])).toEqual(['file', 'kind', 'sheet', 'headerRow', 'rows', 'people', 'structures', 'rejected', 'warnings']);
  });
});

describe('backup before, and undo from the history', () => {
  it('undoing the last import brings people and structures back exactly', async () => {
    const a = app();
    await ok(a, 'recensement.importCommit', { fileName: 'anct.csv', contentBase64: b64(path.join(fixturesDir, 'aidants-anct-export.csv')) });
    const before = tables(a);
    const backups = listBackups(a.ctx).length;
    // An import that creates (form answers) and updates (FNE table) people and structures.
    await ok(a, 'recensement.importCommit', { fileName: 'grist.xlsx', contentBase64: b64(path.join(fixturesDir, 'aidants-fne-grist.xlsx')) });
    expect(listBackups(a.ctx).length).toBe(backups + 1);
    expect(listBackups(a.ctx).filter((b) => b.reason === 'import')).toHaveLength(2);
    expect(tables(a)).not.toEqual(before);
    const op = await lastOperation(a.ctx);
    expect(op).toMatchObject({ action: 'import', entity: 'import', undoable: true });
    await undoLast(a.ctx, op!.lastId);
    expect(tables(a)).toEqual(before);
  });

  it('undoing a merge brings both records back', async () => {
    const a = app();
    await ok(a, 'recensement.importCommit', { fileName: 'anct.csv', contentBase64: b64(path.join(fixturesDir, 'aidants-anct-export.csv')) });
    const s = a.ctx.store.sqlite;
    const keepP = (s.prepare('SELECT id FROM people ORDER BY id LIMIT 1').get() as { id: number }).id;
    const keepS = (s.prepare('SELECT id FROM structures ORDER BY id LIMIT 1').get() as { id: number }).id;
    // Second records typed by hand (the same person, the same structure), then merged.
    const dupP = await ok<{ id: number }>(a, 'recensement.people.save', { values: { nom: 'Doublon', prenom: 'Fiche', phone: '05 55 00 00 00' } });
    const dupS = await ok<{ id: number }>(a, 'recensement.structures.save', { values: { name: 'Structure en double', city: 'Guéret' } });
    for (const [channel, keepId, mergeId] of [
      ['recensement.people.merge', keepP, dupP.id],
      ['recensement.structures.merge', keepS, dupS.id],
    ] as const) {
      const before = tables(a);
      const fusions = listBackups(a.ctx).filter((b) => b.reason === 'fusion').length;
      await ok(a, channel, { keepId, mergeId });
      expect(tables(a)).not.toEqual(before);
      expect(listBackups(a.ctx).filter((b) => b.reason === 'fusion').length).toBe(fusions + 1);
      const op = await lastOperation(a.ctx);
      expect(op).toMatchObject({ action: 'merge', undoable: true });
      await undoLast(a.ctx, op!.lastId);
      expect(tables(a)).toEqual(before);
    }
  });
});
