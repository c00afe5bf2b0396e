// CRC-32 (ISO 3309, the ZIP format's checksum) of the ZIP entries. Node's native zlib.crc32
// (Node ≥ 20.15 and Electron's Node) is used: a CRC in JavaScript was the largest single cost
// of the dossier when profiled. It is checked at load against the table version below on a
// sample; where unavailable or different, the table version is used: slower, never wrong.
import zlib from 'node:zlib';

export type Crc32 = (data: Uint8Array, previous?: number) => number;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 computed with a 256-entry table; `previous` continues a CRC over several chunks. */
export const tableCrc32: Crc32 = (data, previous = 0) => {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** The native function when present and in agreement with the table version on a sample; else null. */
export function checkedNativeCrc32(candidate: unknown): Crc32 | null {
  if (typeof candidate !== 'function') return null;
  const native = candidate as Crc32;
  const sample = Buffer.from('FNE Formations — contrôle CRC-32');
  return tableCrc32(sample, tableCrc32(sample)) === native(sample, native(sample)) ? (buf, previous) => native(buf, previous ?? 0) : null;
}

const native = checkedNativeCrc32((zlib as unknown as { crc32?: unknown }).crc32);

/** Whether the native CRC-32 is in use (reported by the benchmark). */
export const nativeCrc32: boolean = native !== null;

/** The CRC-32 the ZIP writer uses: native when checked, else the table version. */
export const crc32: Crc32 = native ?? tableCrc32;
