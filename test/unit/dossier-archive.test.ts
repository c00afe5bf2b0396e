import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertSafeEntryPath, dosDateTime, nativeCrc32, tableCrc32, TEMP_PREFIX, writeDossier, type DossierEntry } from '../../electron/services/justification/archive';
import { tempDir } from '../helpers/app';
import { readZip } from '../helpers/zip';

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const MTIME = new Date('2025-12-31T12:00:00Z');

function sampleEntries(dir: string): DossierEntry[] {
  const pdf = path.join(dir, 'src-facture.pdf');
  fs.writeFileSync(pdf, Buffer.concat([Buffer.from('%PDF-1.4\n'), crypto.randomBytes(300_000)]));
  const png = path.join(dir, 'src-feuille.png');
  fs.writeFileSync(png, crypto.randomBytes(50_000));
  return [
    { path: '05-presence/session-1/feuille-emargement.png', source: { file: png }, proves: 'Session 1 : feuille d’émargement signée' },
    { path: '03-marche/facture-F2025-012.pdf', source: { file: pdf }, proves: 'Commande BC-2025-01 : facture' },
    { path: 'tableau-art-5-2.csv', source: { bytes: Buffer.from('nom;prénom\nDupont;Élise\n') }, proves: 'Tableau art. 5.2' },
  ];
}

describe('dossier archive', () => {
  it('writes a folder and a ZIP whose manifest matches every file, sorted, PDFs stored', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const out = path.join(dir, 'sortie');
    const r = await writeDossier({ outDir: out, baseName: 'dossier-23-2025-12-31', entries, mtime: MTIME });
    expect(path.basename(r.zipPath)).toBe('dossier-23-2025-12-31.zip');
    const zip = await readZip(r.zipPath);
    expect(zip.map((e) => e.name)).toEqual(['03-marche/facture-F2025-012.pdf', '05-presence/session-1/feuille-emargement.png', 'tableau-art-5-2.csv', 'manifeste.csv']);
    expect(zip[0].compressionMethod).toBe(0);
    for (const line of r.manifest) {
      const entry = zip.find((e) => e.name === line.path)!;
      expect(sha(entry.bytes)).toBe(line.sha256);
      expect(entry.bytes.length).toBe(line.size);
      expect(sha(fs.readFileSync(path.join(r.folderPath, ...line.path.split('/'))))).toBe(line.sha256);
    }
    const manifest = zip.find((e) => e.name === 'manifeste.csv')!.bytes.toString('utf8');
    expect(manifest).toContain('chemin;sha256;taille_octets;prouve');
    expect(manifest).toContain(`03-marche/facture-F2025-012.pdf;${r.manifest[0].sha256};${r.manifest[0].size};Commande BC-2025-01 : facture`);
    expect(fs.readdirSync(out).sort()).toEqual(['dossier-23-2025-12-31', 'dossier-23-2025-12-31.zip']);
  });

  it('is reproducible: the same entries give a byte-identical ZIP', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const a = await writeDossier({ outDir: path.join(dir, 'a'), baseName: 'd', entries, mtime: MTIME });
    const b = await writeDossier({ outDir: path.join(dir, 'b'), baseName: 'd', entries: [...entries].reverse(), mtime: MTIME });
    expect(b.zipSha256).toBe(a.zipSha256);
    expect(sha(fs.readFileSync(a.zipPath))).toBe(a.zipSha256);
  });

  it('leaves no ZIP and no temporary file when cancelled', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir);
    const out = path.join(dir, 'sortie');
    const ctrl = new AbortController();
    await expect(
      writeDossier({ outDir: out, baseName: 'd', entries, mtime: MTIME, signal: ctrl.signal, onProgress: (p) => p.done === 1 && ctrl.abort() }),
    ).rejects.toThrow(/annulée/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('leaves no ZIP when the process is killed midway, and the next run cleans up', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'sortie');
    const script = path.join(dir, 'run.ts');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import { writeDossier } from ${JSON.stringify(path.resolve(__dirname, '../../electron/services/justification/archive'))};
const big = ${JSON.stringify(path.join(dir, 'big.bin'))};
fs.writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 7));
const entries = Array.from({ length: 40 }, (_, i) => ({ path: 'p/' + i + '.bin', source: { file: big }, proves: 'x' }));
writeDossier({ outDir: ${JSON.stringify(out)}, baseName: 'd', entries, mtime: new Date(0), onProgress: (p) => p.done === 2 && console.log('MIDWAY') });
`,
    );
    // node --import tsx: the script runs in this very child (the tsx CLI would fork a grandchild
    // that SIGKILL would not reach).
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(__dirname, '../..') });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('MIDWAY') && resolve());
      child.once('exit', (c) => reject(new Error(`exited before midway (${c})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const left = fs.readdirSync(out);
    expect(left.filter((n) => n.endsWith('.zip'))).toEqual([]);
    expect(left.some((n) => n.startsWith(TEMP_PREFIX))).toBe(true); // what the kill left…
    await writeDossier({ outDir: out, baseName: 'ok', entries: [{ path: 'a.txt', source: { bytes: Buffer.from('a') }, proves: 'a' }], mtime: MTIME });
    expect(fs.readdirSync(out).sort()).toEqual(['ok', 'ok.zip']); // …is removed by the next run
  });

  it('reads large pièces in several chunks (data descriptor), writes ZIP64 fields when asked, works without the helper thread: valid for yauzl and unzip -t, folder = ZIP = manifest', async () => {
    const dir = tempDir();
    const entries = sampleEntries(dir); // a 300 kB PDF, a 50 kB PNG, a text
    fs.writeFileSync(path.join(dir, 'vide.pdf'), '');
    entries.push({ path: '06-vide/vide.pdf', source: { file: path.join(dir, 'vide.pdf') }, proves: 'vide' });
    const whole = await writeDossier({ outDir: path.join(dir, 'whole'), baseName: 'd', entries, mtime: MTIME });
    let chunkedSha = '';
    for (const [forceZip64, inlineHelper] of [[false, false], [true, false], [false, true]]) {
      const r = await writeDossier({ outDir: path.join(dir, `chunked-${forceZip64}-${inlineHelper}`), baseName: 'd', entries, mtime: MTIME, chunkSize: 64 * 1024, forceZip64, inlineHelper });
      expect(execFileSync('unzip', ['-tq', r.zipPath], { encoding: 'utf8' })).toMatch(/No errors detected/);
      const info = execFileSync('zipinfo', ['-v', r.zipPath], { encoding: 'utf8' });
      expect(info).toMatch(/extended local header:\s+yes/); // the 300 kB PDF went in several chunks
      expect(info).toMatch(forceZip64 ? /minimum software version required to extract:\s+4\.5/ : /minimum software version required to extract:\s+2\.0/);
      expect(info).toContain('2025 Dec 31 12:00:00');
      expect(sha(fs.readFileSync(r.zipPath))).toBe(r.zipSha256);
      if (!forceZip64) expect(r.zipSha256).toBe(inlineHelper ? chunkedSha : (chunkedSha = r.zipSha256)); // the helper changes nothing
      const zip = await readZip(r.zipPath);
      expect(r.manifest).toEqual(whole.manifest); // same files, same hashes, whatever the chunking
      for (const line of r.manifest) {
        const entry = zip.find((e) => e.name === line.path)!;
        expect(sha(entry.bytes)).toBe(line.sha256);
        expect(sha(fs.readFileSync(path.join(r.folderPath, ...line.path.split('/'))))).toBe(line.sha256);
      }
    }
  });

  it('cancels promptly inside a large pièce and leaves nothing', async () => {
    const dir = tempDir();
    const big = path.join(dir, 'big.pdf');
    fs.writeFileSync(big, crypto.randomBytes(2 * 1024 * 1024));
    const out = path.join(dir, 'sortie');
    const ctrl = new AbortController();
    let progress = 0;
    const run = writeDossier({ outDir: out, baseName: 'd', entries: [{ path: 'a.pdf', source: { file: big }, proves: 'a' }], mtime: MTIME, chunkSize: 64 * 1024, signal: ctrl.signal, onProgress: () => progress++ });
    setImmediate(() => ctrl.abort()); // while the one pièce is being read
    await expect(run).rejects.toThrow(/annulée/);
    expect(progress).toBe(1);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('CRC-32: the native function agrees with the table one; DOS time from the UTC fields', () => {
    const sample = crypto.randomBytes(100_000);
    const z = (zlib as unknown as { crc32?: (b: Uint8Array, p?: number) => number }).crc32;
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    if (z) expect(tableCrc32(sample.subarray(5000), tableCrc32(sample.subarray(0, 5000)))).toBe(z(sample));
    expect(typeof nativeCrc32).toBe('boolean');
    expect(dosDateTime(new Date('2025-12-31T12:00:00Z'))).toEqual({ date: ((2025 - 1980) << 9) | (12 << 5) | 31, time: 12 << 11 });
  });

  it('refuses a path that would leave the dossier', () => {
    for (const p of ['../x.pdf', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\..\\b', '']) expect(() => assertSafeEntryPath(p)).toThrow(/interdit/);
    expect(() => assertSafeEntryPath('01-convention/convention-signee.pdf')).not.toThrow();
  });
});
