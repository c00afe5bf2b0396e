// Delimited text (CSV/TSV) as it arrives by e-mail: UTF-8 with or without BOM, or Windows-1252
// from Excel's « CSV (séparateur : point-virgule) »; `;`, `,` or tab; quoted fields that may
// hold the delimiter, doubled quotes and line breaks. The ONE CSV reader of the app: every
// tabular import (recensement, attendance, ANCT follow-up, SIRO table, public list of training
// organisations) reads its text through CsvReader, fed in pieces (streaming) or whole. A record
// is capped (LIMITS.maxRecordChars): an unclosed quote gives a French error with its line,
// never one giant garbage row.
import { AppError } from '../../errors';
import { LIMITS, refusals } from '../untrusted/limits';

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

/** Windows-1252 bytes → text (the 0x80–0x9F block mapped, the rest as Latin-1). */
export function cp1252(bytes: Uint8Array): string {
  return decodeCp1252(bytes);
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

/**
 * Text decoding for bytes arriving in pieces: BOM (UTF-8, UTF-16LE) first, else UTF-8; the first
 * piece that is not valid UTF-8 switches to Windows-1252 for it and the rest (what came before was
 * valid UTF-8, hence plain ASCII in a Windows-1252 file). A UTF-8 sequence cut between two pieces
 * is carried over.
 */
export class StreamTextDecoder {
  encoding: TextEncoding | null = null;
  private utf8 = new TextDecoder('utf-8', { fatal: true });
  private utf16: TextDecoder | null = null;
  private carry: Uint8Array = new Uint8Array(0);
  private started = false;

  decode(piece: Uint8Array, last = false): string {
    let bytes = piece;
    if (this.carry.length) {
      const joined = new Uint8Array(this.carry.length + piece.length);
      joined.set(this.carry);
      joined.set(piece, this.carry.length);
      bytes = joined;
      this.carry = new Uint8Array(0);
    }
    if (!this.started) {
      if (bytes.length < 3 && !last) {
        this.carry = bytes.slice();
        return '';
      }
      this.started = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        this.encoding = 'utf-8-bom';
        bytes = bytes.subarray(3);
      } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
        this.encoding = 'utf-16le';
        this.utf16 = new TextDecoder('utf-16le');
        bytes = bytes.subarray(2);
      } else this.encoding = 'utf-8';
    }
    if (this.utf16) return this.utf16.decode(bytes, { stream: !last });
    if (this.encoding === 'windows-1252') return decodeCp1252(bytes);
    // Keep an incomplete UTF-8 sequence at the end for the next piece.
    let cut = bytes.length;
    if (!last) {
      let k = bytes.length - 1;
      let back = 0;
      while (k >= 0 && back < 3 && (bytes[k] & 0xc0) === 0x80) (k--, back++);
      if (k >= 0 && bytes[k] >= 0xc0) {
        const need = bytes[k] >= 0xf0 ? 4 : bytes[k] >= 0xe0 ? 3 : 2;
        if (bytes.length - k < need) cut = k;
      }
    }
    const head = bytes.subarray(0, cut);
    try {
      const text = this.utf8.decode(head);
      this.carry = bytes.slice(cut);
      return text;
    } catch {
      this.utf8 = new TextDecoder('utf-8', { fatal: true });
      this.encoding = 'windows-1252';
      return decodeCp1252(bytes);
    }
  }
}

export interface CsvReaderOptions {
  /** Fixed delimiter; else detected on the first 64 KB. */
  delimiter?: Delimiter;
  /** Named in the messages. */
  fileName?: string;
  /** For tests: a smaller cap than LIMITS.maxRecordChars. */
  maxRecordChars?: number;
}

const SAMPLE = 64 * 1024;
const INCOMPLETE = Symbol('incomplete');

/**
 * Streaming CSV reader: `feed` pieces of text, `end` once; each complete record goes to
 * `onRecord` (fields as text) with its first line number. Blank lines give one empty field
 * (row numbers match the file); a final line break does not give an extra record.
 */
export class CsvReader {
  delimiter: Delimiter | null;
  private buf = '';
  private line = 1;
  private readonly max: number;
  private readonly fileName: string;

  constructor(
    opts: CsvReaderOptions,
    private readonly onRecord: (fields: string[], line: number) => void,
  ) {
    this.delimiter = opts.delimiter ?? null;
    this.max = opts.maxRecordChars ?? LIMITS.maxRecordChars;
    this.fileName = opts.fileName ?? '';
  }

  feed(text: string): void {
    this.buf = this.buf.length ? this.buf + text : text;
    if (this.delimiter === null) {
      if (this.buf.length < SAMPLE) return;
      this.delimiter = detectDelimiter(this.buf);
    }
    this.drain(false);
  }

  end(): void {
    if (this.delimiter === null) this.delimiter = detectDelimiter(this.buf);
    this.drain(true);
  }

  private drain(final: boolean): void {
    const text = this.buf;
    const dc = this.delimiter!.charCodeAt(0);
    let pos = 0;
    for (;;) {
      if (pos >= text.length) break;
      const r = parseRecord(text, pos, dc, final);
      if (r === INCOMPLETE) break;
      if (r.fields.length > LIMITS.maxRecordFields) throw refusals.tooManyFields(this.fileName, this.line);
      if (r.end - pos > this.max) throw refusals.recordTooLong(this.fileName, this.line, this.max);
      const startLine = this.line;
      this.line += countLines(text, pos, r.end);
      pos = r.end;
      this.onRecord(r.fields, startLine);
    }
    this.buf = pos === 0 ? text : text.slice(pos);
    if (this.buf.length > this.max) throw refusals.recordTooLong(this.fileName, this.line, this.max);
    if (final && this.buf.length > 0) throw unclosedQuote(this.fileName, this.line);
  }
}

function unclosedQuote(fileName: string, line: number): AppError {
  return new AppError(
    'file_unreadable',
    `Le fichier « ${fileName} » a, ligne ${line.toLocaleString('fr-FR')}, un guillemet (") ouvert et jamais refermé : la fin du fichier serait lue comme une seule case. Corrigez cette ligne ou enregistrez de nouveau le fichier depuis le tableur. Rien n’a été importé.`,
  );
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

/**
 * One record from `i`: its fields and where the next starts, or INCOMPLETE when the text ends
 * before the record does (not final: wait for more; final: only an unclosed quote). RFC 4180,
 * tolerant: stray quotes inside unquoted fields, and text after a closing quote, are kept.
 */
function parseRecord(text: string, i: number, dc: number, final: boolean): { fields: string[]; end: number } | typeof INCOMPLETE {
  const n = text.length;
  const fields: string[] = [];
  for (;;) {
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return INCOMPLETE;
        out += text.slice(j, q);
        if (q + 1 >= n && !final) return INCOMPLETE; // a doubled quote may be cut in two
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      let k = j;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c === dc || c === 10 || c === 13) break;
        k++;
      }
      field = k > j ? out + text.slice(j, k) : out;
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
    fields.push(field);
    if (i >= n) {
      if (!final) return INCOMPLETE;
      return { fields, end: n };
    }
    const c = text.charCodeAt(i);
    if (c === dc) {
      i++;
      if (i >= n) {
        if (!final) return INCOMPLETE;
        fields.push('');
        return { fields, end: n };
      }
      continue;
    }
    // End of line: \r\n, \n or \r (a \r at the end of a piece may be followed by \n).
    if (c === 13 && i + 1 >= n && !final) return INCOMPLETE;
    return { fields, end: i + (c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1) };
  }
}

/** Whole text → records (the streaming reader fed once). Throws on an unclosed quote. */
export function parseDelimited(text: string, delimiter: Delimiter, maxRows = Number.POSITIVE_INFINITY): string[][] {
  const rows: string[][] = [];
  if (maxRows !== Number.POSITIVE_INFINITY) {
    // Sampling (delimiter detection): complete records only, never an error.
    const dc = delimiter.charCodeAt(0);
    let pos = 0;
    while (pos < text.length && rows.length < maxRows) {
      const r = parseRecord(text, pos, dc, false);
      if (r === INCOMPLETE) break;
      rows.push(r.fields);
      pos = r.end;
    }
    return rows;
  }
  const reader = new CsvReader({ delimiter }, (f) => void rows.push(f));
  reader.feed(text);
  reader.end();
  return rows;
}
