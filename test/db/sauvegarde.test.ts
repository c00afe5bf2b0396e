// Backups, restore, start-up check, history and undo, on real SQLite files.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import { openApp, openAppForHost } from '../../electron/services/app';
import { dispatch } from '../../electron/services/handlers';
import { attachPiece } from '../../electron/services/pieces/service';
import { blobPath, sha256Of } from '../../electron/services/pieces/store';
import { backupBefore, createBackup, listBackups, pruneBackups } from '../../electron/services/sauvegarde/backup';
import { quarantineDir, runCheck } from '../../electron/services/sauvegarde/check';
import { lastOperation, undoLast } from '../../electron/services/sauvegarde/history';
import { registerPicked } from '../../electron/services/common/picked-paths';
import { restoreBackup } from '../../electron/services/sauvegarde/restore';
import { backupDir } from '../../electron/services/sauvegarde/settings';
import { startupTasks } from '../../electron/services/sauvegarde/startup';
import { creuseConvention, dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { withWriteLock, writeSync } from '../../electron/services/context';

const apps: TestApp[] = [];
function open(now?: string): TestApp {
  const a = openTestApp({ now });
  apps.push(a);
  return a;
}
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function ok<T>(app: TestApp, channel: string, input: unknown): Promise<T> {
  const env = await dispatch(app.ctx, channel, input);
  if (!env.ok) throw new Error(`${channel}: ${env.error.message}`);
  return env.value as T;
}
const labels = (app: TestApp) => (app.ctx.store.sqlite.prepare('SELECT departement FROM conventions ORDER BY id').all() as { departement: string }[]).map((r) => r.departement);

/** Overwrites the conventions table's page on disk: SQLite still opens the file, quick_check fails. */
function damagePages(file: string): void {
  const d = new Database(file);
  d.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = d.pragma('page_size', { simple: true }) as number;
  const { rootpage } = d.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'conventions'").get() as { rootpage: number };
  d.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(pageSize - 8, 0xa5), 0, pageSize - 8, (rootpage - 1) * pageSize + 8);
  fs.closeSync(fd);
}

describe('backups', () => {
  it('a backup is a checked, self-contained copy of the live database', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const b = await ok<{ name: string; reason: string }>(app, 'sauvegarde.creer', {});
    expect(b.reason).toBe('manuelle');
    const file = path.join(backupDir(app.dir), b.name);
    const d = new Database(file, { readonly: true });
    expect(d.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(d.prepare('SELECT count(*) AS n FROM conventions').get()).toEqual({ n: 1 });
    d.close();
    expect(fs.readdirSync(backupDir(app.dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('keeps a bounded number per kind, deleting the oldest', async () => {
    const app = open();
    let t = Date.parse('2025-03-01T08:00:00Z');
    app.ctx.now = () => new Date((t += 60_000));
    for (let i = 0; i < 5; i++) await createBackup(app.ctx, 'manuelle');
    for (let i = 0; i < 2; i++) await createBackup(app.ctx, 'quotidienne');
    for (let i = 0; i < 4; i++) await backupBefore(app.ctx, 'import');
    const removed = pruneBackups(backupDir(app.dir), { quotidiennes: 2, automatiques: 2, manuelles: 3, 'avant-restauration': 1 });
    expect(removed).toHaveLength(4);
    const left = listBackups(app.ctx);
    expect(left.filter((b) => b.reason === 'manuelle')).toHaveLength(3);
    expect(left.filter((b) => b.reason === 'import')).toHaveLength(2);
    // The daily backups are older than every import backup, and still all there: own budget.
    expect(left.filter((b) => b.reason === 'quotidienne')).toHaveLength(2);
    expect(left[0].at > left[left.length - 1].at).toBe(true); // newest first, newest kept
  });

  it('daily at start-up: once per day, not again the same day', async () => {
    const app = open('2025-06-02T09:00:00Z');
    await startupTasks(app.ctx);
    await startupTasks(app.ctx);
    expect(listBackups(app.ctx).map((b) => b.reason)).toEqual(['quotidienne']);
    app.ctx.now = () => new Date('2025-06-03T09:00:00Z');
    await startupTasks(app.ctx);
    expect(listBackups(app.ctx).map((b) => b.reason)).toEqual(['quotidienne', 'quotidienne']);
  });

  it('before a migration: the database as it was, at its old schema version', () => {
    const dir = tempDir();
    const file = path.join(dir, 'fne-formations.sqlite');
    const d = new Database(file);
    migrate(d, { to: 1 });
    d.prepare("INSERT INTO app_settings (key, value_json) VALUES ('k', '1')").run();
    d.close();
    const ctx = openApp({ dbFile: file });
    const backups = listBackups(ctx);
    expect(backups.map((b) => b.reason)).toEqual(['migration']);
    const old = new Database(path.join(backupDir(dir), backups[0].name), { readonly: true });
    expect(old.pragma('user_version', { simple: true })).toBe(1);
    expect(old.prepare('SELECT value_json FROM app_settings').get()).toEqual({ value_json: '1' });
    old.close();
    void ctx.store.close();
  });

  it('the backup folder is changed to a folder picked in the dialog (a handle); refused folders change nothing', async () => {
    const app = open();
    // Paths themselves never pass the contract (issue 15): only the dialog's handles.
    for (const bad of ['relatif/dossier', '/', path.join(app.dir, 'absent'), tempDir('fne-partage-')]) {
      const env = await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: bad });
      expect(env).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    // Picked, but refused by the rules of a backup folder.
    for (const bad of ['/', path.join(app.dir, 'absent'), path.join(app.dir, 'pieces')]) {
      const env = await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: registerPicked(app.ctx, 'folder', bad) });
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(/^Dossier de sauvegarde refusé : .*Rien n'a été modifié\.$/);
    }
    // A handle never given by the dialog, or given for a file, is refused.
    const unknown = await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: 'h' + '0'.repeat(32) });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'validation' } });
    const asFile = await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: registerPicked(app.ctx, 'file', tempDir('fne-partage-')) });
    expect(asFile).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(backupDir(app.dir)).toBe(path.join(app.dir, 'sauvegardes'));
    const share = tempDir('fne-partage-');
    await ok(app, 'convention.create', creuseConvention);
    const [convention] = await ok<{ id: number }[]>(app, 'convention.list', {});
    await attachPiece(app.ctx, { ownerType: 'convention', ownerId: convention.id, role: 'convention_signee', fileName: 'c.pdf', bytes: Buffer.from('%PDF convention') });
    const state = await ok<{ dossier: string }>(app, 'sauvegarde.dossier', { dossier: registerPicked(app.ctx, 'folder', share) });
    expect(state.dossier).toBe(share);
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    expect(fs.existsSync(path.join(share, b.name))).toBe(true);
    // Elsewhere than the data folder: the pièces are mirrored there too.
    const sha = sha256Of(Buffer.from('%PDF convention'));
    expect(fs.readFileSync(path.join(share, 'pieces', sha.slice(0, 2), sha)).toString()).toBe('%PDF convention');
    await ok(app, 'sauvegarde.dossier', { dossier: null });
    expect(backupDir(app.dir)).toBe(path.join(app.dir, 'sauvegardes'));
  });

  it.skipIf(process.platform === 'win32')('a backup folder writable by others is refused, when chosen and when restoring from it', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const shared = tempDir('fne-partage-');
    fs.chmodSync(shared, 0o777);
    const env = await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: registerPicked(app.ctx, 'folder', shared) });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.message).toMatch(/^Dossier de sauvegarde refusé : .*modifiable par d’autres utilisateurs.*Rien n'a été modifié\.$/);
    expect(backupDir(app.dir)).toBe(path.join(app.dir, 'sauvegardes'));
    fs.chmodSync(shared, 0o775); // group-writable: refused too
    expect((await dispatch(app.ctx, 'sauvegarde.dossier', { dossier: registerPicked(app.ctx, 'folder', shared) })).ok).toBe(false);
    // Chosen while private, opened to others afterwards: restoring from it is refused, base unchanged.
    fs.chmodSync(shared, 0o700);
    await ok(app, 'sauvegarde.dossier', { dossier: registerPicked(app.ctx, 'folder', shared) });
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    fs.chmodSync(shared, 0o757);
    const snap = dbSnapshot(app.ctx);
    const r = await dispatch(app.ctx, 'sauvegarde.restaurer', { name: b.name });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
    if (!r.ok) expect(r.error.message).toMatch(/modifiable par d’autres utilisateurs.*Rien n'a été restauré/);
    expect(dbSnapshot(app.ctx).equals(snap)).toBe(true);
    expect(fs.readdirSync(shared).filter((f) => f.includes('avant-restauration'))).toEqual([]);
  });
});

describe('restore', () => {
  it('brings the backup back, keeps the replaced database as a backup, and the same context goes on', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    await ok(app, 'convention.create', { ...creuseConvention, departement: '87' });
    expect(labels(app)).toEqual(['23', '87']);
    const store = app.ctx.store;
    const r = await ok<{ previousKeptAs: string; verification: { ok: boolean } }>(app, 'sauvegarde.restaurer', { name: b.name });
    expect(app.ctx.store).not.toBe(store);
    expect(labels(app)).toEqual(['23']);
    expect(r.verification.ok).toBe(true);
    // The replaced database is a restorable backup: the restore itself can be undone.
    await ok(app, 'sauvegarde.restaurer', { name: r.previousKeptAs });
    expect(labels(app)).toEqual(['23', '87']);
    await ok(app, 'convention.create', { ...creuseConvention, departement: '19' });
    expect(labels(app)).toEqual(['23', '87', '19']);
  });

  it('refuses a damaged backup, a name from outside, and changes nothing', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    damagePages(path.join(backupDir(app.dir), b.name));
    const before = dbSnapshot(app.ctx);
    const env = await dispatch(app.ctx, 'sauvegarde.restaurer', { name: b.name });
    expect(env).toMatchObject({ ok: false, error: { code: 'validation' } });
    if (!env.ok) expect(env.error.message).toMatch(/endommagée .* rien n'a été modifié/);
    // A name from outside is not even a backup name: refused by the contract (issue 15)…
    for (const name of ['../test.sqlite', '/etc/passwd', '..\\..\\x.sqlite', 'fne-formations_2025-01-01T00-00-00-000Z_x/../../test.sqlite']) {
      const e2 = await dispatch(app.ctx, 'sauvegarde.restaurer', { name });
      expect(e2, name).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    // …and a well-formed name that is not in the folder is not found.
    const e3 = await dispatch(app.ctx, 'sauvegarde.restaurer', { name: 'fne-formations_2025-01-01T00-00-00-000Z_x.sqlite' });
    expect(e3).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(dbSnapshot(app.ctx).equals(before)).toBe(true);
  });

  it('restores a database file picked in the dialog (its handle), checked like a backup', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    const elsewhere = path.join(tempDir('fne-choisi-'), 'ma-sauvegarde.sqlite');
    fs.copyFileSync(path.join(backupDir(app.dir), b.name), elsewhere);
    await ok(app, 'convention.create', { ...creuseConvention, departement: '87' });
    expect(labels(app)).toEqual(['23', '87']);
    // The path itself is refused by the contract; the dialog's handle is taken.
    expect(await dispatch(app.ctx, 'sauvegarde.restaurer', { fichier: elsewhere })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(labels(app)).toEqual(['23', '87']);
    const r = await ok<{ restored: { name: string } }>(app, 'sauvegarde.restaurer', { fichier: registerPicked(app.ctx, 'file', elsewhere) });
    expect(r.restored.name).toBe('ma-sauvegarde.sqlite');
    expect(labels(app)).toEqual(['23']);
    // A picked file that is not a database changes nothing.
    const junk = path.join(tempDir('fne-choisi-'), 'pas-une-base.sqlite');
    fs.writeFileSync(junk, 'ceci n’est pas une base');
    const snap = dbSnapshot(app.ctx);
    const bad = await dispatch(app.ctx, 'sauvegarde.restaurer', { fichier: registerPicked(app.ctx, 'file', junk) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(dbSnapshot(app.ctx).equals(snap)).toBe(true);
  });

  it('repairs a live database damaged on disk', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    await app.ctx.store.close();
    damagePages(app.dbFile);
    const ctx = openAppForHost({ dbFile: app.dbFile, dataDir: app.dir });
    app.ctx = ctx;
    const report = await startupTasks(ctx);
    expect(report.ok).toBe(false);
    expect(report.messages[0]).toMatch(/^La base de données est endommagée .*restaurez la dernière sauvegarde/);
    expect(listBackups(ctx).map((x) => x.reason)).toEqual(['manuelle']); // no daily backup of a damaged base
    await ok(app, 'sauvegarde.restaurer', { name: b.name });
    expect(labels(app)).toEqual(['23']);
    const state = await ok<{ verification: { ok: boolean } }>(app, 'sauvegarde.etat', {});
    expect(state.verification.ok).toBe(true);
  });

  it('an unreadable file at start-up is set aside, never deleted, and the app opens', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    const b = await ok<{ name: string }>(app, 'sauvegarde.creer', {});
    await app.ctx.store.close();
    const garbage = Buffer.alloc(8192, 0x42);
    fs.writeFileSync(app.dbFile, garbage);
    const ctx = openAppForHost({ dbFile: app.dbFile, dataDir: app.dir });
    app.ctx = ctx;
    const report = await startupTasks(ctx);
    expect(report.setAside?.file).toMatch(/mise-de-cote/);
    expect(fs.readFileSync(report.setAside!.file).equals(garbage)).toBe(true);
    expect(report.messages[0]).toMatch(/n'a pas pu être ouverte .* mise de côté, sans rien effacer/);
    await ok(app, 'sauvegarde.restaurer', { name: b.name });
    expect(labels(app)).toEqual(['23']);
  });
});

describe('start-up check of the pièces store', () => {
  it('removes temporaries, moves orphans aside, finds missing files back', async () => {
    const app = open();
    const c = await ok<{ id: number }>(app, 'convention.create', creuseConvention);
    const p = await attachPiece(app.ctx, { ownerType: 'convention', ownerId: c.id, role: 'convention_signee', fileName: 'c.pdf', bytes: Buffer.from('%PDF signée') });
    // An attachment interrupted after its file was written, and a temporary never renamed.
    const orphan = Buffer.from('orphelin');
    const orphanSha = sha256Of(orphan);
    fs.mkdirSync(path.dirname(blobPath(app.dir, orphanSha)), { recursive: true });
    fs.writeFileSync(blobPath(app.dir, orphanSha), orphan);
    fs.writeFileSync(path.join(path.dirname(blobPath(app.dir, p.sha256)), `.${p.sha256}.123.abcd.tmp`), 'partiel');
    let r = await runCheck(app.ctx, { minAgeMs: 0 });
    expect(r).toMatchObject({ ok: true, tmpRemoved: 1, orphansMoved: 1, missingPieces: [] });
    expect(fs.existsSync(blobPath(app.dir, orphanSha))).toBe(false);
    expect(fs.readFileSync(path.join(quarantineDir(app.dir), orphanSha))).toEqual(orphan);

    // A referenced file lost: reported with the name the officer knows…
    fs.renameSync(blobPath(app.dir, p.sha256), path.join(tempDir(), 'ailleurs'));
    r = await runCheck(app.ctx, { minAgeMs: 0 });
    expect(r.ok).toBe(false);
    expect(r.missingPieces).toEqual([{ pieceId: p.id, sha256: p.sha256, originalName: 'c.pdf', ownerType: 'convention', ownerId: c.id }]);
    expect(r.messages[0]).toMatch(/1 pièce\(s\) jointe\(s\) n'ont plus leur fichier \(« c\.pdf »\)/);
    // …and brought back from pieces-orphelines when its content is there.
    fs.writeFileSync(path.join(quarantineDir(app.dir), p.sha256), '%PDF signée');
    r = await runCheck(app.ctx, { minAgeMs: 0 });
    expect(r).toMatchObject({ ok: true, recoveredPieces: 1 });
    expect(fs.readFileSync(blobPath(app.dir, p.sha256)).toString()).toBe('%PDF signée');
  });

  it('leaves young files alone (another process may be writing them)', async () => {
    const app = open();
    const orphan = Buffer.from('en cours');
    const sha = sha256Of(orphan);
    fs.mkdirSync(path.dirname(blobPath(app.dir, sha)), { recursive: true });
    fs.writeFileSync(blobPath(app.dir, sha), orphan);
    const r = await runCheck(app.ctx);
    expect(r.orphansMoved).toBe(0);
    expect(fs.existsSync(blobPath(app.dir, sha))).toBe(true);
  });
});

describe('history and undo', () => {
  it('lists who/when/what with before and after, newest first', async () => {
    const app = open('2025-02-03T10:00:00Z');
    const c = await ok<{ id: number }>(app, 'convention.create', creuseConvention);
    await ok(app, 'convention.update', { id: c.id, patch: { departureTarget: 70 } });
    const h = await ok<{ entries: { action: string; actor: string; at: string; before: unknown; after: unknown }[] }>(app, 'historique.liste', {});
    expect(h.entries.map((e) => e.action)).toEqual(['update', 'create']);
    expect(h.entries[0]).toMatchObject({ actor: 'test', at: '2025-02-03T10:00:00.000Z' });
    expect(h.entries[0].before).toMatchObject({ departureTarget: 60 });
    expect(h.entries[0].after).toMatchObject({ departureTarget: 70 });
  });

  it('undoes the last operation when a backup was taken just before it, and only then', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    let op = await lastOperation(app.ctx);
    expect(op).toMatchObject({ action: 'create', undoable: false });
    expect(op!.reason).toMatch(/Aucune sauvegarde/);
    await backupBefore(app.ctx, 'modification-groupee');
    await ok(app, 'convention.create', { ...creuseConvention, departement: '87' });
    op = await lastOperation(app.ctx);
    expect(op).toMatchObject({ undoable: true });
    // The officer must undo what was shown: a stale id is refused.
    await expect(undoLast(app.ctx, op!.lastId + 1)).rejects.toThrow(/L'historique a changé/);
    const r = await ok<{ undone: { action: string } }>(app, 'historique.annuler', { lastId: op!.lastId });
    expect(r.undone.action).toBe('create');
    expect(labels(app)).toEqual(['23']);
    const h = await ok<{ entries: { action: string }[]; lastOperation: { undoable: boolean; reason: string } }>(app, 'historique.liste', {});
    expect(h.entries[0].action).toBe('undo');
    expect(h.lastOperation).toMatchObject({ undoable: false });
  });

  it('undoes a whole batch (rows sharing a batch id, as an import writes them)', async () => {
    const app = open();
    await ok(app, 'convention.create', creuseConvention);
    await backupBefore(app.ctx, 'import');
    const s = app.ctx.store.sqlite;
    // Written directly (through the one write path), as an import writes them.
    const ins = await withWriteLock(app.ctx, () => s.prepare("INSERT INTO audit_log (at, actor, action, entity, entity_id, after_json, batch_id) VALUES ('t', 'test', ?, 'x', ?, '{}', 'import:7')"));
    await writeSync(app.ctx, () => {
      ins.run('create', 1);
      ins.run('create', 2);
      ins.run('import', 7);
    });
    const op = await lastOperation(app.ctx);
    expect(op).toMatchObject({ count: 3, action: 'import', batchId: 'import:7', undoable: true });
    await undoLast(app.ctx, op!.lastId);
    expect(app.ctx.store.sqlite).not.toBe(s);
    expect(app.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE batch_id = 'import:7'").get()).toEqual({ n: 0 });
    expect(labels(app)).toEqual(['23']);
  });
});
