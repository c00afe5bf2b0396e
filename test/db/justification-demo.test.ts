// `npm run demo -- --out DIR` as a newcomer runs it: a fresh database, the demo convention, the
// dossier; its "missing" list is exactly what `check --json` says on the demo's database.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DOSSIER_FILES } from '../../electron/services/justification/dossier';
import { tempDir } from '../helpers/app';
import { readZip } from '../helpers/zip';

const root = path.resolve(__dirname, '../..');

it('npm run demo builds the convention and writes a dossier whose manifest, files and missing list hold', async () => {
  const out = path.join(tempDir(), 'demo');
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--out', out], { cwd: root, encoding: 'utf8' });
  const zipPath = /ZIP {5}: (.+\.zip)/.exec(stdout)![1];
  const zip = await readZip(zipPath);
  const names = zip.map((e) => e.name);
  for (const f of [...Object.values(DOSSIER_FILES), 'manifeste.csv']) expect(names).toContain(f);
  const manifest = zip.find((e) => e.name === 'manifeste.csv')!.bytes.toString('utf8').replace(/^\ufeff/, '').trim().split('\r\n').slice(1);
  expect(manifest.length).toBe(names.length - 1);
  for (const line of manifest) {
    const [p, sha, size] = line.split(';');
    const e = zip.find((z) => z.name === p)!;
    expect(crypto.createHash('sha256').update(e.bytes).digest('hex')).toBe(sha);
    expect(e.bytes.length).toBe(Number(size));
  }
  const db = path.join(out, 'donnees-demo', 'fne-formations.sqlite');
  const check = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'check', '--db', db, '--json'], { cwd: root, encoding: 'utf8' }));
  const missing = zip.find((e) => e.name === DOSSIER_FILES.missing)!.bytes.toString('utf8');
  for (const item of check.items) expect(missing).toContain(`- ${item.label} : ${item.missing}`);
  expect(check.missingCount === 0).toBe(missing.includes('Aucun élément manquant'));
  // A second run in the same folder refuses: the demo always starts from a fresh database.
  expect(() => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--out', out], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).toThrow();
}, 120_000);
