import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// Main and preload run in Node/Electron: npm dependencies stay external (better-sqlite3 is
// native). The preload is sandboxed, so it is bundled whole (it may not require packages).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          // The parsing worker of untrusted files, emitted next to index.js (out/main/untrusted-worker.js)
          // where electron/services/common/untrusted/run.ts finds it.
          'untrusted-worker': resolve(__dirname, 'electron/services/common/untrusted/worker.ts'),
          // The dossier writer's helper thread, a module of its own beside index.js (found by
          // copyHashWorkerModule(): the entry name is COPY_HASH_WORKER).
          'copy-hash-worker': resolve(__dirname, 'electron/services/common/zip/copy-hash-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
