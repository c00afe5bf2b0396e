// `npm run web [-- --port 5180 --db file.sqlite]`: the app in a browser, over the same services.
import path from 'node:path';
import { openAppForHost, resolveAppPaths } from '../services/app';
import { configureLogging, logger } from '../services/logging';
import { startupTasks } from '../services/sauvegarde/startup';
import { startWebHost } from './server';
import { privateUmask } from '../services/common/private-fs';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// Personal data at rest: every file this process creates is for the officer alone (0600/0700).
privateUmask();

async function main(): Promise<void> {
  const port = arg('port') ? Number(arg('port')) : 5180;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Port invalide : ${arg('port')}`);
  const options = { dbFile: arg('db'), dataDir: arg('data'), actor: 'agent' };
  configureLogging(resolveAppPaths(options).dataDir, { echo: true });
  logger.info('Démarrage du serveur web');
  const ctx = openAppForHost(options);
  const report = await startupTasks(ctx);
  for (const m of report.messages) console.log(`Vérification : ${m}`);
  const rendererDir = arg('renderer') ?? path.resolve(__dirname, '../../out/renderer');
  const host = await startWebHost({ ctx, rendererDir, port, log: (e) => logger.error('Erreur dans un service', e) });
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
  logger.error('Démarrage du serveur web impossible', e);
  console.error(`Impossible de démarrer le serveur web : ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
