// The log file: in the data folder, rotated by size, a bounded number of old files kept.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureLogging, FileLogger, logger, logsDir, resetLogging } from '../../electron/services/logging';
import { tempDir } from '../helpers/app';

afterEach(() => resetLogging());

describe('rotating log file', () => {
  it('writes dated lines with the error stack into <data>/journaux', () => {
    const dir = tempDir();
    const file = configureLogging(dir);
    expect(file).toBe(path.join(logsDir(dir), 'fne-formations.log'));
    logger.info('Démarrage');
    logger.error('Échec', new Error('disque plein'));
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z INFO  Démarrage\n/);
    expect(text).toMatch(/ERROR Échec — Error: disque plein\n\s+at /);
    expect(logger.file()).toBe(file);
  });

  it('rotates past the size limit and keeps only `keep` old files', () => {
    const dir = tempDir();
    const log = new FileLogger(dir, { maxBytes: 200, keep: 2 });
    for (let i = 0; i < 40; i++) log.write('info', `ligne ${i} ${'x'.repeat(40)}`);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['fne-formations.1.log', 'fne-formations.2.log', 'fne-formations.log']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThan(200 + 120);
    expect(fs.readFileSync(path.join(dir, 'fne-formations.log'), 'utf8')).toContain('ligne 39');
  });

  it('never throws when the folder cannot be written', () => {
    const dir = tempDir();
    const log = new FileLogger(dir);
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, 'un fichier à la place du dossier');
    expect(() => log.write('error', 'perdu')).not.toThrow();
  });
});
