// Path traversal: wherever a file name comes from outside (a pièce, an imported file, a backup
// to restore, the dossier's output folder), nothing is ever read or written outside the folder
// meant for it. (ZIPs are only written by us — entry paths checked in dossier-archive.test.ts —
// and workbooks are read in memory, never extracted to disk; the web host's static files are
// checked in test/web/webhost.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { writeOutFile } from '../../electron/cli/command';
import { dispatch } from '../../electron/services/handlers';
import { registerPicked } from '../../electron/services/common/picked-paths';
import { generateDossier } from '../../electron/services/justification/dossier';
import { startDossierJob } from '../../electron/services/justification/handlers';
import { api } from '../../scripts/demo';
import { ANCT_HEADERS, anctRows, toCsv } from '../bench/fixtures';
import { creuseConvention, dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { writeSync } from '../../electron/services/context';

const HOSTILE = ['../../evil.pdf', '..\\..\\evil.pdf', '/etc/evil.pdf', 'C:\\Windows\\evil.pdf', 'a/../../../evil.pdf', '..', '.', 'evil.pdf\u0000.txt'];

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

/** The app in <root>/data, so anything escaping data/ would show up in <root>. */
function app(): { a: TestApp; root: string } {
  const root = tempDir('fne-chemins-');
  const dir = path.join(root, 'data');
  fs.mkdirSync(dir);
  const a = openTestApp({ dir, now: '2025-12-15T09:00:00Z' });
  apps.push(a);
  return { a, root };
}

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('file names from outside never become paths', () => {
  it('pièces: any name is reduced to a plain file name; the file goes into the content-addressed store only', async () => {
    const { a, root } = app();
    const c = await api(a.ctx, 'convention.create', creuseConvention);
    for (const [i, fileName] of HOSTILE.entries()) {
      const p = await api(a.ctx, 'pieces.attach', { ownerType: 'convention', ownerId: c.id, role: 'autre', fileName, contentBase64: Buffer.from(`%PDF-1.4 ${i}`).toString('base64') });
      const name = p.originalName;
      expect(name).not.toMatch(/[\\/]|^\.\.?$|\u0000/);
    }
    // Nothing beside data/, and inside data/ the pièces are only under pieces/<2 hex>/<sha256>.
    expect(fs.readdirSync(root)).toEqual(['data']);
    const stored = allFiles(path.join(a.dir, 'pieces'));
    expect(stored).toHaveLength(HOSTILE.length);
    for (const f of stored) expect(path.relative(a.dir, f)).toMatch(/^pieces[\\/][0-9a-f]{2}[\\/][0-9a-f]{64}$/);
  });

  it('imports: the file name of an imported list is kept as a plain name, never used as a path', async () => {
    const { a, root } = app();
    const bytes = toCsv(ANCT_HEADERS, anctRows(3));
    await api(a.ctx, 'recensement.importCommit', { fileName: '..\\..\\..\\aidants.csv', contentBase64: bytes.toString('base64'), kind: 'auto', acceptRejected: true });
    const names = a.ctx.store.sqlite.prepare("SELECT original_name FROM pieces WHERE owner_type = 'import'").all() as { original_name: string }[];
    expect(names).toEqual([{ original_name: 'aidants.csv' }]);
    expect(fs.readdirSync(root)).toEqual(['data']);
  });

  it('restore: only a backup listed in the backup folder can be restored; a path is refused and nothing changes', async () => {
    const { a } = app();
    await api(a.ctx, 'convention.create', creuseConvention);
    const outside = path.join(path.dirname(a.dir), 'autre.sqlite');
    fs.copyFileSync(a.dbFile, outside);
    const before = dbSnapshot(a.ctx);
    for (const name of ['../autre.sqlite', outside, '..\\autre.sqlite', '../data/test.sqlite', 'sauvegardes/../../autre.sqlite']) {
      const env = await dispatch(a.ctx, 'sauvegarde.restaurer', { name });
      // Not a backup's name: refused by the contract now (issue 15), before any service runs.
      expect(env, name).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(await dispatch(a.ctx, 'sauvegarde.restaurer', { fichier: name }), name).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(dbSnapshot(a.ctx).equals(before)).toBe(true);
  });

  it('dossier: hostile pièce names in the base (older data, direct edits) still give safe paths inside the output folder', async () => {
    const { a, root } = app();
    const c = await api(a.ctx, 'convention.create', creuseConvention);
    const p = await api(a.ctx, 'pieces.attach', { ownerType: 'convention', ownerId: c.id, role: 'autre', fileName: 'x.pdf', contentBase64: Buffer.from('%PDF-1.4 x').toString('base64') });
    // Bypass every check on the way in: the dossier must not trust the stored name either.
    await writeSync(a.ctx, (w) => w.prepare('UPDATE pieces SET original_name = ? WHERE id = ?').run('../../../../evil/..\\..\\x.pdf', p.id));
    const out = path.join(root, 'sortie');
    const r = await generateDossier(a.ctx, c.id, { outDir: out });
    for (const m of r.manifest) expect(m.path).toMatch(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);
    for (const f of allFiles(root)) expect(f.startsWith(out + path.sep) || f.startsWith(a.dir + path.sep)).toBe(true);
    expect(fs.readdirSync(out).sort()).toEqual([path.basename(r.folderPath), path.basename(r.zipPath)].sort());
  });

  it('dossier: no output folder comes through the channel (issue 15: only a dialog handle); the CLI keeps a full path only', async () => {
    const { a, root } = app();
    const c = await api(a.ctx, 'convention.create', creuseConvention);
    for (const outDir of ['../sortie', 'sortie', '..\\..\\sortie', path.join(root, 'sortie')]) {
      const env = await dispatch(a.ctx, 'justification.dossier.start', { conventionId: c.id, outDir });
      expect(env).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const env2 = await dispatch(a.ctx, 'justification.dossier.start', { conventionId: c.id, destination: outDir });
      expect(env2).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    for (const outDir of ['../sortie', 'sortie', '..\\..\\sortie']) {
      await expect(startDossierJob(a.ctx, c.id, outDir)).rejects.toThrow(/chemin complet/);
    }
    expect(fs.readdirSync(root)).toEqual(['data']);
  });

  it('backup folder: a full path to an existing folder only, never the pièces store, never a relative path', async () => {
    const { a } = app();
    const before = await api(a.ctx, 'sauvegarde.etat', {});
    for (const dossier of ['../sauvegardes', 'sauvegardes', path.join(a.dir, 'pieces'), '/']) {
      // A path never passes the contract (issue 15)…
      expect(await dispatch(a.ctx, 'sauvegarde.dossier', { dossier }), dossier).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    for (const dossier of [path.join(a.dir, 'pieces'), path.join(a.dir, 'pieces', '..', 'pieces', 'ab'), '/']) {
      // …and a folder picked in the dialog still obeys the rules of a backup folder.
      const env = await dispatch(a.ctx, 'sauvegarde.dossier', { dossier: registerPicked(a.ctx, 'folder', dossier) });
      expect(env.ok, dossier).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(/^Dossier de sauvegarde refusé/);
    }
    expect((await api(a.ctx, 'sauvegarde.etat', {})).dossier).toBe(before.dossier);
  });

  it('CLI: a generated document without --out is written under a plain name in the current folder', () => {
    const dir = tempDir();
    for (const fileName of HOSTILE) {
      const written = writeOutFile(parseArgs([]), { fileName, contentBase64: Buffer.from('x').toString('base64') }, dir);
      expect(path.dirname(written)).toBe(dir);
      fs.rmSync(written);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
