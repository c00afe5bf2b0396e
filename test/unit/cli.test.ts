import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../electron/cli/registry';
import { runCli } from '../../electron/cli/run';
import { isValidSiret } from '../../electron/services/common/identifiers';
import { tempDir } from '../helpers/app';

const root = path.resolve(__dirname, '../..');

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI', () => {
  it('creates a convention then prints the stats contract with conventions: 1', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const created = await cli(['convention', 'create', '--db', db, '--departement', '23', '--beneficiaire', 'Conseil départemental de la Creuse', '--montant', '20 000', '--recu-le', '2024-11-02', '--montant-recu', '20000']);
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toMatch(/Convention n° 1 enregistrée/);
    const stats = await cli(['stats', '--db', db, '--json']);
    expect(stats.code).toBe(0);
    const json = JSON.parse(stats.out);
    expect(Object.keys(json).sort()).toEqual(['budget', 'conventions', 'departures', 'eligible', 'ineligible', 'people', 'public_agents', 'structures', 'warnings']);
    expect(json).toMatchObject({
      conventions: 1,
      departures: { planned: 0, done: 0, target: 60 },
      budget: { amount_cents: 2_000_000, received_cents: 2_000_000, committed_cents: 0, paid_cents: 0 },
    });
  });

  it('refuses bad values with a French message and a non-zero exit', async () => {
    const db = path.join(tempDir(), 'x.sqlite');
    const r = await cli(['convention', 'create', '--db', db, '--departement', '99', '--beneficiaire', 'X', '--montant', 'beaucoup']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/montant en euros/);
    const r2 = await cli(['convention', 'create', '--db', db, '--departement', '99', '--beneficiaire', 'X']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/n'est pas un code de département/);
  });

  it('prints help listing the commands', async () => {
    const r = await cli(['--help']);
    expect(r.out).toMatch(/convention create/);
    expect(r.out).toMatch(/stats/);
  });

  it('gives examples in its help that it accepts (a SIRET shown is a valid one)', async () => {
    const sirets = commands.flatMap((c) => [...c.usage.matchAll(/--siret (\d+)/g)].map((m) => m[1]));
    expect(sirets.length).toBeGreaterThan(0);
    for (const s of sirets) expect(isValidSiret(s), s).toBe(true);
    const db = path.join(tempDir(), 'exemple.sqlite');
    const r = await cli(['convention', 'create', '--db', db, '--departement', '23', '--beneficiaire', 'Conseil départemental de la Creuse', '--siret', sirets[0], '--json']);
    expect(r.code).toBe(0);
  });

  it('runs as `npm run cli` (the real entry point)', () => {
    const db = path.join(tempDir(), 'y.sqlite');
    execFileSync('npm', ['run', '--silent', 'cli', '--', 'convention', 'create', '--db', db, '--departement', '974', '--beneficiaire', 'Département de La Réunion'], { cwd: root, stdio: 'pipe' });
    const out = execFileSync('npm', ['run', '--silent', 'cli', '--', 'stats', '--db', db, '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toMatchObject({ conventions: 1 });
    // The bundle it runs (issue 16: no TypeScript compiled per run), with the services' worker
    // threads beside it, where they look for them.
    for (const f of ['main.cjs', 'help.cjs', 'commands.json', 'untrusted-worker.js', 'copy-hash-worker.js']) expect(fs.existsSync(path.join(root, 'out', 'cli', f)), f).toBe(true);
    const help = execFileSync('npm', ['run', '--silent', 'cli', '--', 'import', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help).toContain('--map "En-tête=champ"');
  });
});
