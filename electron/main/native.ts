// better-sqlite3 is built twice: for Node (tests, web host, CLI) in node_modules, and for
// Electron's ABI in build/native/electron (scripts/start.mjs, or the packager). The Electron
// main process points better-sqlite3 at its own build with the nativeBinding option.
import fs from 'node:fs';
import path from 'node:path';

export function electronNativeBinding(appRoot: string, resourcesPath?: string): string | undefined {
  const candidates = [
    path.join(appRoot, 'build', 'native', 'electron', 'better_sqlite3.node'),
    // In the packaged app the module is unpacked from asar and already built for Electron.
    resourcesPath ? path.join(resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node') : '',
  ];
  return candidates.find((c) => c && fs.existsSync(c));
}
