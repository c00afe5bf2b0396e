// Child process of the recensement benchmark: imports one file into a fresh database (import
// then re-import) and prints its own peak RSS, so the figure is the import's alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp } from '../../electron/services/app';
import { importCommit } from '../../electron/services/recensement/import-service';

async function main() {
  const file = process.argv[2];
  const bytes = fs.readFileSync(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fne-bench-mem-'));
  const ctx = openApp({ dbFile: path.join(dir, 'bench.sqlite'), dataDir: dir, actor: 'bench' });
  try {
    await importCommit(ctx, { fileName: path.basename(file), bytes }, {});
    await importCommit(ctx, { fileName: path.basename(file), bytes }, {});
  } finally {
    await ctx.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
}
void main();
