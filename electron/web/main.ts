// `npm run web [-- --port 5180 --db file.sqlite]`: the app in a browser, over the same services.
import path from 'node:path';
import { openApp } from '../services/app';
import { startWebHost } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = arg('port') ? Number(arg('port')) : 5180;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Port invalide : ${arg('port')}`);
  const ctx = openApp({ dbFile: arg('db'), dataDir: arg('data'), actor: 'agent' });
  const rendererDir = arg('renderer') ?? path.resolve(__dirname, '../../out/renderer');
  const host = await startWebHost({ ctx, rendererDir, port, log: (e) => console.error(e) });
  console.log(`FNE Formations — base : ${ctx.store.file}`);
  console.log('Ouvrez cette adresse dans le navigateur (jeton inclus) :');
  console.log(host.url);
  const stop = async () => {
    await host.close();
    await ctx.store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`Impossible de démarrer le serveur web : ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
