// The application log: one text file in <dataDir>/journaux/, rotated by size (a few files
// kept), written by the Electron main process and the web host. Services log through this
// module (`logger`), never through console: on the officer's laptop nobody sees a console, and
// the "copy details" of an error screen points here. Lines hold no file content, only events.
import fs from 'node:fs';
import path from 'node:path';

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
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, LOG_FILE_NAME);
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
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${describe(detail)}\n`;
    if (this.echo) process.stderr.write(line);
    try {
      this.rotateIfNeeded();
      fs.appendFileSync(this.file, line, 'utf8');
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
  warn: (m, d) => (current ? current.write('warn', m, d) : process.stderr.write(`WARN  ${m}${describe(d)}\n`)),
  error: (m, d) => (current ? current.write('error', m, d) : process.stderr.write(`ERROR ${m}${describe(d)}\n`)),
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
