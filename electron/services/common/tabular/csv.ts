// Delimited text (CSV/TSV) as it arrives by e-mail: UTF-8 with or without BOM, or Windows-1252
// from Excel's « CSV (séparateur : point-virgule) »; `;`, `,` or tab; quoted fields that may
// hold the delimiter, doubled quotes and line breaks.

// Windows-1252 differs from Latin-1 only in 0x80–0x9F (Node's decoder treats it as Latin-1).
const CP1252_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le';

function decodeCp1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const end = Math.min(bytes.length, i + CHUNK);
    const codes = new Array<number>(end - i);
    for (let j = i; j < end; j++) {
      const b = bytes[j];
      codes[j - i] = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b] ?? b) : b;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** Decodes text bytes: BOM first, then strict UTF-8, else Windows-1252 (never fails). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeCp1252(bytes), encoding: 'windows-1252' };
  }
}

export type Delimiter = ';' | ',' | '\t';

/**
 * The delimiter that splits the most lines into the same number (> 1) of fields, counted
 * outside quotes on the first lines; title lines above the header weigh nothing.
 */
export function detectDelimiter(text: string): Delimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: Delimiter = ',';
  let bestScore = -1;
  for (const d of [';', ',', '\t'] as Delimiter[]) {
    const rows = parseDelimited(sample, d, 50);
    const counts = new Map<number, number>();
    for (const r of rows) if (r.length > 1) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let score = 0;
    for (const [width, n] of counts) score = Math.max(score, n * 1000 + width);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/** RFC 4180-style parsing (tolerant: stray quotes inside unquoted fields are kept). */
export function parseDelimited(text: string, delimiter: Delimiter, maxRows = Number.POSITIVE_INFINITY): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  const dc = delimiter.charCodeAt(0);
  let i = 0;
  let row: string[] = [];
  while (i < n && rows.length < maxRows) {
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      // Quoted field: runs to the next lone quote.
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          out += text.slice(j);
          j = n;
          break;
        }
        out += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept (tolerance).
      let k = j;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c === dc || c === 10 || c === 13) break;
        k++;
      }
      field = out + text.slice(j, k);
      i = k;
    } else {
      let k = i;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c === dc || c === 10 || c === 13) break;
        k++;
      }
      field = text.slice(i, k);
      i = k;
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      row = [];
      break;
    }
    const c = text.charCodeAt(i);
    if (c === dc) {
      i++;
      if (i >= n) {
        row.push('');
        rows.push(row);
        row = [];
      }
    } else {
      // End of line: \r\n, \n or \r.
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      rows.push(row);
      row = [];
    }
  }
  return rows;
}
