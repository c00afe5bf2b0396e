// Opens the application core for a host: the SQLite store in the data folder, and the service
// context. Electron, the web host, the CLI and the tests all start here.
import { mkdirPrivate } from './common/private-fs';
import os from 'node:os';
import path from 'node:path';
import type { OpenOptions } from '../db/connection';
import type { ServiceContext } from './context';
import { openAppSafely, openLiveStore } from './sauvegarde/open';

export const DB_FILE_NAME = 'fne-formations.sqlite';

/** Where the officer's data live: %APPDATA%\FNE Formations on Windows (as Electron's userData). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FNE_DATA_DIR) return env.FNE_DATA_DIR;
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'FNE Formations');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'FNE Formations');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'FNE Formations');
}

export interface AppOptions extends OpenOptions {
  /** The SQLite file; defaults to <dataDir>/fne-formations.sqlite. */
  dbFile?: string;
  /** Folder of pièces/backups/logs; defaults to the folder of dbFile, else defaultDataDir(). */
  dataDir?: string;
  actor?: string;
  now?: () => Date;
  /**
   * The data folder is the app's own (the desktop app's profile folder, the default one): an
   * existing one left 0755 by an older version is made 0700. A folder given with --db is the
   * officer's: only what the app creates in it is made private.
   */
  ownDataDir?: boolean;
}

export function resolveAppPaths(options: AppOptions = {}): { dataDir: string; dbFile: string } {
  const dataDir = path.resolve(options.dataDir ?? (options.dbFile ? path.dirname(options.dbFile) : defaultDataDir()));
  const dbFile = path.resolve(options.dbFile ?? path.join(dataDir, DB_FILE_NAME));
  return { dataDir, dbFile };
}

/** Opens the store (a backup is taken before any pending migration, see sauvegarde/). */
export function openApp(options: AppOptions = {}): ServiceContext {
  const { dataDir, dbFile } = resolveAppPaths(options);
  if (options.ownDataDir || (options.dataDir === undefined && options.dbFile === undefined)) mkdirPrivate(dataDir, { appOwned: true });
  const store = openLiveStore(dataDir, dbFile, options);
  return { store, dataDir, now: options.now ?? (() => new Date()), actor: options.actor ?? 'agent' };
}

/**
 * For the hosts with a screen (Electron, web host): an unreadable database file is set aside
 * (never deleted) and an empty one opened, so the officer gets the explanation and the restore
 * screen rather than a crash. Then call startupTasks(ctx) (sauvegarde/startup.ts).
 */
export function openAppForHost(options: AppOptions = {}): ServiceContext {
  const paths = resolveAppPaths(options);
  return openAppSafely((o) => openApp(o), { ...options, ...paths }, options.now?.() ?? new Date());
}
