// Wires every channel of the contract to ipcMain, through the same dispatch as the other hosts.
// Takes an ipcMain-like object so tests can pass a fake.
import { channelNames } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import type { ServiceContext } from '../services/context';
import { dispatch } from '../services/handlers';
import { isTrustedSender, type SenderFrameLike } from './security';

export const IPC_PREFIX = 'fne:';

export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: SenderFrameLike | null }, input: unknown) => Promise<Envelope<unknown>>): void;
}

export function registerIpc(ipcMain: IpcMainLike, ctx: ServiceContext, appUrl: () => string, log?: (e: unknown) => void): string[] {
  const registered: string[] = [];
  for (const name of channelNames) {
    const ipcName = IPC_PREFIX + name;
    ipcMain.handle(ipcName, async (event, input) => {
      if (!isTrustedSender(event.senderFrame, appUrl())) {
        return { ok: false, error: { code: 'forbidden', message: 'Appel refusé : il ne vient pas de la fenêtre de l’application.' } };
      }
      return dispatch(ctx, name, input, { log });
    });
    registered.push(ipcName);
  }
  return registered;
}
