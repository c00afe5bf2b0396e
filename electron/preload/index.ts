// The preload exposes window.fne: one function per channel, returning the service's envelope.
// No ipcRenderer object, no IPC event, nothing else crosses the bridge.
import { contextBridge, ipcRenderer } from 'electron';
import { channelNames } from '../../shared/ipc/contract';

const api: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const name of channelNames) {
  api[name] = (input: unknown) => ipcRenderer.invoke('fne:' + name, input);
}
contextBridge.exposeInMainWorld('fne', Object.freeze(api));
