// Reads a ZIP back (yauzl) for tests: entry names in order and their bytes.
import yauzl from 'yauzl';

export async function readZip(file: string): Promise<{ name: string; bytes: Buffer; compressionMethod: number }[]> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (e, z) => (e ? rej(e) : res(z!))));
  const out: { name: string; bytes: Buffer; compressionMethod: number }[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream!.on('data', (c: Buffer) => chunks.push(c));
        stream!.on('end', () => {
          out.push({ name: entry.fileName, bytes: Buffer.concat(chunks), compressionMethod: entry.compressionMethod });
          zip.readEntry();
        });
        stream!.on('error', reject);
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}
