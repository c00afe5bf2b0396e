// The application log: one text file in <dataDir>/journaux/, rotated by size (a few files
// kept), written by the Electron main process and the web host. Services log through this
// module (`logger`), never through console: on the officer's laptop nobody sees a console, and
// the "copy details" of an error screen points here. Lines hold no file content, only events,
// and no personal data: call sites log counts and codes, never a person's or a pièce's name,
// and every line goes through redactForLog() (paths, file names, e-mail addresses masked) in
// case an error message carries one. The file and its folder are 0600/0700.
import fs from 'node:fs';
import path from 'node:path';
import { makeFilePrivate, mkdirPrivate, PRIVATE_FILE_MODE } from './common/private-fs';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LoggerOptions {
  /** Rotate when the current file exceeds this size (bytes). */
  maxBytes?: number;
  /** How many rotated files are kept besides the current one. */
  keep?: number;
  /** Also echo to stderr (web host, CLI, development). */
  echo?: boolean;
}

export const LOG_FILE_NAME = 'fne-formations.log';

export function logsDir(dataDir: string): string {
  return path.join(dataDir, 'journaux');
}

const CODE_FILE = /\.(?:[cm]?[jt]sx?|node)$/i;
const DATA_FILE_EXT = '(?:pdf|xlsx|xlsm|xls|csv|ods|odt|docx?|rtf|jpe?g|png|gif|heic|tiff?|txt|zip|sqlite|json|xml|html?|eml|msg)';

/**
 * Masks what may name a person in a log line: paths (a home folder holds the user's name; a
 * pièce's name often a trainee's) — a source file of the app keeps its own name, for stacks —,
 * names of data files, e-mail addresses. Backups' own names (fne-formations_…) are kept.
 */
export function redactForLog(text: string): string {
  const pathOut = (p: string) => {
    const trail = /[:)\],.;]*$/.exec(p)?.[0] ?? '';
    const core = p.slice(0, p.length - trail.length).replace(/:\d+(?::\d+)?$/, (m) => m);
    const base = core.split(/[\\/]/).pop() ?? '';
    const name = base.replace(/:\d+(?::\d+)?$/, '');
    return (CODE_FILE.test(name) ? `…/${base}` : '[chemin]') + trail;
  };
  return (
    text
      // a quoted path, spaces included ('…', "…", « … »)
      .replace(/(['"])((?:\/|[A-Za-z]:[\\/]|\\\\)[^'"\n]*)\1/g, (_m, q: string, p: string) => `${q}${pathOut(p)}${q}`)
      .replace(/«\s*((?:\/|[A-Za-z]:[\\/]|\\\\)[^«»\n]*?)\s*»/g, (_m, p: string) => `« ${pathOut(p)} »`)
      // file:// URLs, UNC, drive letters, POSIX absolute paths of two or more segments
      .replace(/file:\/\/[^\s«»"'<>]+/g, (m) => pathOut(m))
      .replace(/\\\\[^\s«»"'<>]+/g, (m) => pathOut(m))
      .replace(/\b[A-Za-z]:[\\/][^«»"'<>\n]*?(?=\s[—(«]|["'«»<>]|\s*$|\n|\s+at\s)/g, (m) => pathOut(m))
      .replace(/(?<![\w.~-])\/(?:[^\s/«»"'<>]+\/)+[^\s«»"'<>]*/g, (m) => pathOut(m))
      .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[e-mail]')
      .replace(new RegExp(`«\\s*[^«»]*?\\.${DATA_FILE_EXT}\\s*»`, 'gi'), (m) => (/^«\s*fne-formations_[\w-]+\.sqlite\s*»$/.test(m) ? m : '« [fichier] »'))
      .replace(new RegExp(`[^\\s«»"'<>/\\\\:]+\\.${DATA_FILE_EXT}\\b`, 'gi'), (m) => (/^fne-formations_[\w-]+\.sqlite$/.test(m) ? m : '[fichier]'))
  );
}

function describe(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` — ${detail.name}: ${detail.message}${detail.stack ? '\n' + detail.stack.split('\n').slice(1).join('\n') : ''}`;
  if (typeof detail === 'string') return ` — ${detail}`;
  try {
    return ` — ${JSON.stringify(detail)}`;
  } catch {
    return ` — ${String(detail)}`;
  }
}

export class FileLogger {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly echo: boolean;

  constructor(dir: string, opts: LoggerOptions = {}) {
    mkdirPrivate(dir, { appOwned: true });
    this.file = path.join(dir, LOG_FILE_NAME);
    makeFilePrivate(this.file); // a log left 0644 by an older version
    this.maxBytes = opts.maxBytes ?? 1024 * 1024;
    this.keep = opts.keep ?? 5;
    this.echo = opts.echo ?? false;
  }

  /** fne-formations.log → .1.log → .2.log …; the oldest beyond `keep` is removed. */
  private rotateIfNeeded(): void {
    let size = 0;
    try {
      size = fs.statSync(this.file).size;
    } catch {
      return;
    }
    if (size < this.maxBytes) return;
    const rotated = (n: number) => this.file.replace(/\.log$/, `.${n}.log`);
    fs.rmSync(rotated(this.keep), { force: true });
    for (let n = this.keep - 1; n >= 1; n--) {
      if (fs.existsSync(rotated(n))) fs.renameSync(rotated(n), rotated(n + 1));
    }
    fs.renameSync(this.file, rotated(1));
  }

  write(level: LogLevel, message: string, detail?: unknown): void {
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${redactForLog(`${message}${describe(detail)}`)}\n`;
    if (this.echo) process.stderr.write(line);
    try {
      this.rotateIfNeeded();
      fs.appendFileSync(this.file, line, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
    } catch (e) {
      // The log must never take the application down (full disk, read-only share…).
      if (!this.echo) process.stderr.write(line);
      process.stderr.write(`(journal inaccessible : ${e instanceof Error ? e.message : String(e)})\n`);
    }
  }
}

export interface Logger {
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  /** The current log file, when one is configured (shown in error screens). */
  file(): string | null;
}

let current: FileLogger | null = null;

/** The process-wide logger: stderr until configureLogging() points it at the data folder. */
export const logger: Logger = {
  info: (m, d) => (current ? current.write('info', m, d) : undefined),
  warn: (m, d) => (current ? current.write('warn', m, d) : process.stderr.write(`WARN  ${redactForLog(m + describe(d))}\n`)),
  error: (m, d) => (current ? current.write('error', m, d) : process.stderr.write(`ERROR ${redactForLog(m + describe(d))}\n`)),
  file: () => current?.file ?? null,
};

/** Called once by a host (Electron main, web host) with the application's data folder. */
export function configureLogging(dataDir: string, opts: LoggerOptions = {}): string {
  current = new FileLogger(logsDir(dataDir), opts);
  return current.file;
}

/** For tests: back to stderr only. */
export function resetLogging(): void {
  current = null;
}
