// The preload exposes window.fne: one function per channel, returning the service's envelope.
// No ipcRenderer object, no IPC event, nothing else crosses the bridge but window.fneDialogs.pick.
import { contextBridge, ipcRenderer } from 'electron';
import { channelNames } from '../../shared/ipc/contract';

const api: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const name of channelNames) {
  api[name] = (input: unknown) => ipcRenderer.invoke('fne:' + name, input);
}
contextBridge.exposeInMainWorld('fne', Object.freeze(api));
// Native file and folder dialogs (main/dialogs.ts): a purpose in, an opaque handle out.
contextBridge.exposeInMainWorld('fneDialogs', Object.freeze({ pick: (purpose: string) => ipcRenderer.invoke('fne-dialog:pick', purpose) }));
