// `npm run dist:win`: builds the renderer/main bundles, then the Windows installers
// (NSIS per-user and portable) with electron-builder, which rebuilds better-sqlite3 for
// Electron's ABI. Needs the internet (Electron, NSIS and native headers are downloaded).
import { execSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
execSync('npx electron-vite build', { cwd: root, stdio: 'inherit' });
execSync('npx electron-builder --win --x64 --config electron-builder.yml', { cwd: root, stdio: 'inherit' });
