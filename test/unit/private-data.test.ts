// Personal data at rest (issue 15): what the app creates is for the officer alone — folders 0700,
// files 0600 — even when the process umask would leave them readable by others (the modes are
// set explicitly where files are created; each host also sets umask 0o077). And the log names
// no file and no person.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../electron/cli/args';
import { writeOutFile } from '../../electron/cli/command';
import { openApp } from '../../electron/services/app';
import { registerPicked } from '../../electron/services/common/picked-paths';
import { dispatch } from '../../electron/services/handlers';
import { generateDossier } from '../../electron/services/justification/dossier';
import { configureLogging, logger, redactForLog, resetLogging } from '../../electron/services/logging';
import { attachPiece } from '../../electron/services/pieces/service';
import { blobPath } from '../../electron/services/pieces/store';
import { createBackup } from '../../electron/services/sauvegarde/backup';
import { runCheck } from '../../electron/services/sauvegarde/check';
import { backupDir } from '../../electron/services/sauvegarde/settings';
import { creuseConvention, tempDir } from '../helpers/app';

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

afterEach(() => resetLogging());

describe.skipIf(!posix)('modes 0700 / 0600 on POSIX', () => {
  beforeAll(() => {
    // The vitest worker cannot change its umask: check it is the usual permissive one, so the
    // modes below come from the code, not from the environment.
    expect(process.umask() & 0o077).not.toBe(0o077);
  });

  it('data folder, database (and WAL), pièces, backups, settings, log, dossier and CLI exports', async () => {
    const root = tempDir('fne-modes-');
    const dir = path.join(root, 'Donnees FNE');
    configureLogging(dir);
    logger.info('essai');
    const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'test' });
    try {
      const c = (await dispatch(ctx, 'convention.create', creuseConvention)) as { ok: true; value: { id: number } };
      expect(mode(dir)).toBe(0o700);
      expect(mode(ctx.store.file)).toBe(0o600);
      expect(mode(ctx.store.file + '-wal')).toBe(0o600);
      expect(mode(path.join(dir, 'journaux'))).toBe(0o700);
      expect(mode(logger.file()!)).toBe(0o600);

      const p = await attachPiece(ctx, { ownerType: 'convention', ownerId: c.value.id, role: 'autre', fileName: 'attestation.pdf', bytes: Buffer.from('%PDF-1.4 essai') });
      const sha = (ctx.store.sqlite.prepare('SELECT sha256 FROM pieces WHERE id = ?').get(p.id) as { sha256: string }).sha256;
      const blob = blobPath(dir, sha);
      expect(mode(blob)).toBe(0o600);
      expect(mode(path.dirname(blob))).toBe(0o700);
      expect(mode(path.dirname(path.dirname(blob)))).toBe(0o700);

      const b = await createBackup(ctx, 'manuelle');
      expect(mode(backupDir(dir))).toBe(0o700);
      expect(mode(path.join(backupDir(dir), b.name))).toBe(0o600);

      // A backup folder elsewhere: the copy and the mirrored pièces are private too.
      const share = tempDir('fne-partage-');
      const env = await dispatch(ctx, 'sauvegarde.dossier', { dossier: registerPicked(ctx, 'folder', share) });
      expect(env.ok).toBe(true);
      expect(mode(path.join(dir, 'sauvegarde.json'))).toBe(0o600);
      const b2 = await createBackup(ctx, 'manuelle');
      expect(mode(path.join(share, b2.name))).toBe(0o600);
      expect(mode(path.join(share, 'pieces'))).toBe(0o700);
      expect(mode(path.join(share, 'pieces', sha.slice(0, 2), sha))).toBe(0o600);

      const out = path.join(root, 'sortie');
      const r = await generateDossier(ctx, c.value.id, { outDir: out });
      expect(mode(out)).toBe(0o700);
      expect(mode(r.zipPath)).toBe(0o600);
      expect(mode(r.folderPath)).toBe(0o700);
      for (const f of fs.readdirSync(r.folderPath, { recursive: true, withFileTypes: true })) {
        const full = path.join(f.parentPath, f.name);
        expect(mode(full), full).toBe(f.isDirectory() ? 0o700 : 0o600);
      }

      const exported = writeOutFile(parseArgs([]), { fileName: 'tableau.xlsx', contentBase64: Buffer.from('x').toString('base64') }, root);
      expect(mode(exported)).toBe(0o600);
    } finally {
      await ctx.store.close();
    }
  });

  it('a database and a log left 0644 by an older version are made private when opened', async () => {
    const dir = tempDir('fne-modes-');
    const first = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir });
    await first.store.close();
    fs.chmodSync(path.join(dir, 'fne-formations.sqlite'), 0o644);
    fs.mkdirSync(path.join(dir, 'journaux'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'journaux', 'fne-formations.log'), 'ancien\n', { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'journaux', 'fne-formations.log'), 0o644);
    fs.chmodSync(path.join(dir, 'journaux'), 0o755);
    configureLogging(dir);
    const again = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir });
    await again.store.close();
    expect(mode(path.join(dir, 'fne-formations.sqlite'))).toBe(0o600);
    expect(mode(path.join(dir, 'journaux'))).toBe(0o700);
    expect(mode(path.join(dir, 'journaux', 'fne-formations.log'))).toBe(0o600);
  });

  it('an existing folder of the officer (a database given with --db in Documents, /tmp) keeps its mode: only what the app creates is made private', async () => {
    const mine = tempDir();
    fs.chmodSync(mine, 0o755);
    const ctx = openApp({ dbFile: path.join(mine, 'base.sqlite'), actor: 'test' });
    try {
      await createBackup(ctx, 'manuelle');
      expect(fs.statSync(mine).mode & 0o777).toBe(0o755);
      expect(fs.statSync(path.join(mine, 'base.sqlite')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(backupDir(mine)).mode & 0o777).toBe(0o700);
    } finally {
      await ctx.store.close();
    }
  });

  it('every host sets umask 0o077 at start (Electron main, web host, CLI)', () => {
    for (const entry of ['electron/main/index.ts', 'electron/web/main.ts', 'electron/cli/main.ts']) {
      const src = fs.readFileSync(path.resolve(import.meta.dirname, '../..', entry), 'utf8');
      expect(src, entry).toMatch(/^privateUmask\(\);$/m);
    }
  });
});

describe('the log names no file and no person', () => {
  it('masks paths (a home folder holds a name), data file names and e-mail addresses; keeps stacks readable', () => {
    const masked = redactForLog(
      [
        "ENOENT: no such file or directory, open '/home/marie.dupont/FNE/attestation-Élise-Dupont.pdf'",
        'copie de C:\\Users\\Marie Dupont\\Documents\\liste.xlsx impossible',
        '\\\\serveur\\partage\\Dupont\\inscrits.csv',
        'pièce « attestation Dupont.pdf » manquante ; contact elise.dupont@exemple.fr',
        'Error: x\n    at foo (/home/marie.dupont/fne/out/main/index.js:12:3)',
      ].join('\n'),
    );
    for (const s of ['Dupont', 'dupont', 'marie', 'Marie', 'Élise', '.pdf', '.xlsx', '.csv', '@exemple.fr']) expect(masked).not.toContain(s);
    expect(masked).toContain('…/index.js:12:3');
    expect(redactForLog('Sauvegarde « fne-formations_2025-01-01T00-00-00-000Z_manuelle.sqlite » écrite (manuelle)')).toContain('fne-formations_2025-01-01T00-00-00-000Z_manuelle.sqlite');
    expect(redactForLog('12 pièce(s) manquante(s), montant 1/2')).toBe('12 pièce(s) manquante(s), montant 1/2');
  });

  it('a start-up check with missing pièces, a backup folder change and a service error log counts, not names', async () => {
    const root = tempDir('fne-journal-');
    const dir = path.join(root, 'Marie Dupont', 'FNE');
    configureLogging(dir);
    const ctx = openApp({ dbFile: path.join(dir, 'fne-formations.sqlite'), dataDir: dir, actor: 'test' });
    try {
      const c = (await dispatch(ctx, 'convention.create', creuseConvention)) as { ok: true; value: { id: number } };
      const p = await attachPiece(ctx, { ownerType: 'convention', ownerId: c.value.id, role: 'autre', fileName: 'attestation-Élise-Durand.pdf', bytes: Buffer.from('%PDF-1.4 Durand') });
      const sha = (ctx.store.sqlite.prepare('SELECT sha256 FROM pieces WHERE id = ?').get(p.id) as { sha256: string }).sha256;
      fs.rmSync(blobPath(dir, sha));
      const report = await runCheck(ctx, {});
      expect(report.messages.join(' ')).toContain('Durand'); // the screen names it…
      const share = path.join(root, 'Sauvegardes de Marie Dupont');
      fs.mkdirSync(share, { mode: 0o700 });
      await dispatch(ctx, 'sauvegarde.dossier', { dossier: registerPicked(ctx, 'folder', share) });
      await createBackup(ctx, 'manuelle');
      logger.error('Erreur dans un service', new Error(`EACCES: permission denied, open '${path.join(share, 'attestation-Élise-Durand.pdf')}'`));
      const text = fs.readFileSync(logger.file()!, 'utf8');
      expect(text).toMatch(/Vérification au démarrage : problèmes trouvés \(.*1 pièce\(s\) manquante\(s\)/); // …the log counts
      expect(text).toContain('Dossier de sauvegarde changé');
      for (const s of ['Durand', 'Élise', 'Dupont', 'Marie', '.pdf', root]) expect(text, s).not.toContain(s);
    } finally {
      await ctx.store.close();
    }
  });
});
