// The helper thread of the folder-and-ZIP writer (started by copy-hash-helper.ts): copies files
// into the folder and computes the ZIP's SHA-256 by reading back, from the page cache, the bytes
// the main thread has finished writing. It says « ready » first (a thread that never does is
// replaced by the main thread), then acknowledges each batch; the last one is answered with the
// hash. A worker entry of its own in the electron-vite build (electron.vite.config.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { copyFileChecked } from './copy-checked';
import type { CopyHashBatch, CopyHashReply, CopyHashWorkerData } from './copy-hash-protocol';

function serve(port: NonNullable<typeof parentPort>, data: CopyHashWorkerData): void {
  const fd = fs.openSync(data.zip, 'r');
  const hash = crypto.createHash('sha256');
  const buf = Buffer.allocUnsafe(data.chunk);
  let done = 0;
  const reply = (m: CopyHashReply) => port.postMessage(m);
  reply({ ready: true });
  port.on('message', (m: CopyHashBatch) => {
    try {
      for (const [src, dst, size, label] of m.copies) copyFileChecked(src, dst, size, label);
      while (done < m.upTo) {
        const n = fs.readSync(fd, buf, 0, Math.min(buf.length, m.upTo - done), done);
        if (n === 0) throw new Error('Le ZIP écrit est plus court que prévu.');
        hash.update(buf.subarray(0, n));
        done += n;
      }
      if (m.end) {
        fs.closeSync(fd);
        reply({ sha256: hash.digest('hex'), size: done });
      } else reply({ ack: true });
    } catch (err) {
      reply({ error: err instanceof Error ? err.message : String(err) });
    }
  });
}

if (parentPort) serve(parentPort, workerData as CopyHashWorkerData);
