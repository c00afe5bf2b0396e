// Durable writes: the file ends up complete under its name, no temporary file is left, and an
// exclusive write refuses a temporary name that already exists (two writers never share one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFileDurably, writeFileDurably } from '../../electron/services/common/durable-fs';

function dir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fne-durable-'));
}

describe('durable file writes', () => {
  it('writes and replaces a file through a temporary name, leaving nothing else', () => {
    const d = dir();
    const f = path.join(d, 'reglages.json');
    writeFileDurably(f, '{"a":1}');
    writeFileDurably(f, new Uint8Array([123, 125]));
    expect(fs.readFileSync(f, 'utf8')).toBe('{}');
    expect(fs.readdirSync(d)).toEqual(['reglages.json']);
  });

  it('copies a file durably', () => {
    const d = dir();
    const src = path.join(d, 'a.bin');
    fs.writeFileSync(src, Buffer.alloc(100_000, 7));
    copyFileDurably(src, path.join(d, 'b.bin'), path.join(d, '.b.tmp'));
    expect(fs.readFileSync(path.join(d, 'b.bin')).equals(fs.readFileSync(src))).toBe(true);
    expect(fs.readdirSync(d).sort()).toEqual(['a.bin', 'b.bin']);
  });

  it('an exclusive write refuses an existing temporary file and leaves the target untouched', () => {
    const d = dir();
    const f = path.join(d, 'x');
    fs.writeFileSync(path.join(d, 'x.tmp'), 'autre écrivain');
    expect(() => writeFileDurably(f, 'contenu', { tmp: path.join(d, 'x.tmp'), exclusive: true })).toThrow();
    expect(fs.existsSync(f)).toBe(false);
    expect(fs.readFileSync(path.join(d, 'x.tmp'), 'utf8')).toBe('autre écrivain');
  });
});
