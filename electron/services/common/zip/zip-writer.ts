// A ZIP writer (PKWARE APPNOTE 6.3), written here rather than by yazl: yazl's chain of streams
// copied and re-buffered every chunk (GC and thread hand-offs were a third of the time of the
// dossier) and hid when a buffer could be reused. Synchronous writes at known positions into an
// open file (the caller releases the event loop between chunks); every byte written is reported
// to a sink (the ZIP's SHA-256). What is written: local headers with CRC and sizes when the
// entry's bytes are in hand (else a data descriptor, flag bit 3), UTF-8 names (bit 11), DOS
// date/time from the UTC fields of one fixed mtime, Unix mode 0644, ZIP64 fields only when a
// size, an offset or the number of entries needs them — so the same entries give the same bytes.
// Checked by yauzl, `unzip -t` and tests (test/unit/dossier-archive.test.ts).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { crc32 } from './crc32';

/** Receives every byte written, in order: `buf` has just been written, ending at offset `upTo`. */
export type WrittenSink = (buf: Uint8Array, upTo: number) => void;

const U32 = 0xffffffff;
const FLAG_UTF8 = 0x0800;
const FLAG_DESCRIPTOR = 0x0008;

/** DOS date and time of the fixed mtime, from its UTC fields (the same bytes in every time zone). */
export function dosDateTime(d: Date): { date: number; time: number } {
  const date = ((Math.max(1980, d.getUTCFullYear()) - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2);
  return { date, time };
}

function writeAllSync(fd: number, buf: Uint8Array, position: number): void {
  let done = 0;
  while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, position + done);
}

interface CentralEntry {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

export class ZipWriter {
  /** Bytes written so far. */
  pos = 0;
  private central: CentralEntry[] = [];
  private open: { name: Buffer; offset: number; zip64: boolean; crc: number; size: number; expected: number } | null = null;
  private readonly dos: { date: number; time: number };

  /**
   * @param fd an open file, written from offset 0
   * @param mtime the one timestamp of every entry
   * @param sink told of every byte written
   * @param forceZip64 ZIP64 fields for every entry and the end record (tests: as for a > 4 Go ZIP)
   */
  constructor(
    private readonly fd: number,
    mtime: Date,
    private readonly sink: WrittenSink,
    private readonly forceZip64 = false,
  ) {
    this.dos = dosDateTime(mtime);
  }

  private write(buf: Uint8Array): void {
    writeAllSync(this.fd, buf, this.pos);
    this.pos += buf.length;
    this.sink(buf, this.pos);
  }

  private localHeader(name: Buffer, flags: number, method: number, crc: number, csize: number, usize: number, zip64: boolean): Buffer {
    const h = Buffer.alloc(30 + name.length + (zip64 ? 20 : 0));
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(zip64 ? 45 : 20, 4); // version needed to extract
    h.writeUInt16LE(flags, 6);
    h.writeUInt16LE(method, 8);
    h.writeUInt16LE(this.dos.time, 10);
    h.writeUInt16LE(this.dos.date, 12);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(zip64 ? U32 : csize, 18);
    h.writeUInt32LE(zip64 ? U32 : usize, 22);
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(zip64 ? 20 : 0, 28);
    name.copy(h, 30);
    if (zip64) {
      const x = 30 + name.length;
      h.writeUInt16LE(0x0001, x);
      h.writeUInt16LE(16, x + 2);
      h.writeBigUInt64LE(BigInt(usize), x + 4);
      h.writeBigUInt64LE(BigInt(csize), x + 12);
    }
    return h;
  }

  /** A whole entry whose bytes are in hand: CRC and sizes in the local header; deflated when `compress`. */
  addWhole(entryPath: string, data: Uint8Array, compress: boolean): void {
    if (this.open) throw new Error('Entrée ZIP déjà ouverte.');
    const name = Buffer.from(entryPath, 'utf8');
    const crc = crc32(data);
    const body = compress ? zlib.deflateRawSync(data, { level: 6 }) : data;
    const method = compress ? 8 : 0;
    const offset = this.pos;
    const zip64 = this.forceZip64 || data.length >= U32 || body.length >= U32;
    this.write(this.localHeader(name, FLAG_UTF8, method, crc, body.length, data.length, zip64));
    this.write(body);
    this.central.push({ name, flags: FLAG_UTF8, method, crc, csize: body.length, usize: data.length, offset });
  }

  /** A stored entry of `expected` bytes written chunk by chunk (data()): its CRC and sizes follow the data (data descriptor). */
  begin(entryPath: string, expected: number): void {
    if (this.open) throw new Error('Entrée ZIP déjà ouverte.');
    const name = Buffer.from(entryPath, 'utf8');
    const offset = this.pos;
    const zip64 = this.forceZip64 || expected >= U32;
    this.write(this.localHeader(name, FLAG_UTF8 | FLAG_DESCRIPTOR, 0, 0, 0, 0, zip64));
    this.open = { name, offset, zip64, crc: 0, size: 0, expected };
  }

  data(chunk: Uint8Array): void {
    const o = this.open;
    if (!o) throw new Error('Aucune entrée ZIP ouverte.');
    o.crc = crc32(chunk, o.crc);
    o.size += chunk.length;
    this.write(chunk);
  }

  end(): void {
    const o = this.open;
    if (!o) throw new Error('Aucune entrée ZIP ouverte.');
    if (o.size !== o.expected) throw new Error('Taille inattendue d’une entrée du ZIP.');
    const d = Buffer.alloc(o.zip64 ? 24 : 16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(o.crc, 4);
    if (o.zip64) {
      d.writeBigUInt64LE(BigInt(o.size), 8);
      d.writeBigUInt64LE(BigInt(o.size), 16);
    } else {
      d.writeUInt32LE(o.size, 8);
      d.writeUInt32LE(o.size, 12);
    }
    this.write(d);
    this.central.push({ name: o.name, flags: FLAG_UTF8 | FLAG_DESCRIPTOR, method: 0, crc: o.crc, csize: o.size, usize: o.size, offset: o.offset });
    this.open = null;
  }

  private centralHeader(e: CentralEntry): Buffer {
    const big = { usize: this.forceZip64 || e.usize >= U32, csize: this.forceZip64 || e.csize >= U32, offset: this.forceZip64 || e.offset >= U32 };
    const fields: number[] = [];
    if (big.usize) fields.push(e.usize);
    if (big.csize) fields.push(e.csize);
    if (big.offset) fields.push(e.offset);
    const version = fields.length ? 45 : 20;
    const extraLength = fields.length ? 4 + 8 * fields.length : 0;
    const h = Buffer.alloc(46 + e.name.length + extraLength);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE((3 << 8) | version, 4); // made by: Unix (so the mode below is read)
    h.writeUInt16LE(version, 6);
    h.writeUInt16LE(e.flags, 8);
    h.writeUInt16LE(e.method, 10);
    h.writeUInt16LE(this.dos.time, 12);
    h.writeUInt16LE(this.dos.date, 14);
    h.writeUInt32LE(e.crc, 16);
    h.writeUInt32LE(big.csize ? U32 : e.csize, 20);
    h.writeUInt32LE(big.usize ? U32 : e.usize, 24);
    h.writeUInt16LE(e.name.length, 28);
    h.writeUInt16LE(extraLength, 30);
    // comment length, disk number, internal attributes: 0
    h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file, rw-r--r--
    h.writeUInt32LE(big.offset ? U32 : e.offset, 42);
    e.name.copy(h, 46);
    if (fields.length) {
      const x = 46 + e.name.length;
      h.writeUInt16LE(0x0001, x);
      h.writeUInt16LE(8 * fields.length, x + 2);
      fields.forEach((v, i) => h.writeBigUInt64LE(BigInt(v), x + 4 + 8 * i));
    }
    return h;
  }

  /** Central directory and end records (ZIP64 ones when a count, a size or an offset needs them). */
  finish(): void {
    if (this.open) throw new Error('Entrée ZIP non terminée.');
    const start = this.pos;
    const cd = Buffer.concat(this.central.map((e) => this.centralHeader(e)));
    this.write(cd);
    const count = this.central.length;
    const zip64 = this.forceZip64 || count >= 0xffff || start >= U32 || cd.length >= U32;
    if (zip64) {
      const at = this.pos;
      const r = Buffer.alloc(56 + 20);
      r.writeUInt32LE(0x06064b50, 0);
      r.writeBigUInt64LE(44n, 4); // size of the rest of this record
      r.writeUInt16LE((3 << 8) | 45, 12);
      r.writeUInt16LE(45, 14);
      // this disk, disk of the central directory: 0
      r.writeBigUInt64LE(BigInt(count), 24);
      r.writeBigUInt64LE(BigInt(count), 32);
      r.writeBigUInt64LE(BigInt(cd.length), 40);
      r.writeBigUInt64LE(BigInt(start), 48);
      r.writeUInt32LE(0x07064b50, 56); // ZIP64 end of central directory locator
      r.writeBigUInt64LE(BigInt(at), 64);
      r.writeUInt32LE(1, 72); // total number of disks
      this.write(r);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(zip64 ? 0xffff : count, 8);
    end.writeUInt16LE(zip64 ? 0xffff : count, 10);
    end.writeUInt32LE(zip64 ? U32 : cd.length, 12);
    end.writeUInt32LE(zip64 ? U32 : start, 16);
    this.write(end);
  }
}
