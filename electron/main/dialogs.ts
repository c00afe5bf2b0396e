// Files and folders come from the officer, in native dialogs of the main process: the renderer
// asks for a purpose (never a path), main shows the dialog, keeps the chosen path and answers an
// opaque handle (services/common/picked-paths.ts) that the channels accept. Thin glue on
// purpose: the decisions are here, unit-tested with a fake dialog (test/unit/electron-glue.test.ts).
import type { Envelope } from '../../shared/ipc/envelope';
import { registerPicked, type PickedKind } from '../services/common/picked-paths';
import type { ServiceContext } from '../services/context';
import type { IpcMainLike } from './ipc';
import { isTrustedSender } from './security';

export const DIALOG_CHANNEL = 'fne-dialog:pick';

interface Purpose {
  kind: PickedKind;
  title: string;
  filters?: { name: string; extensions: string[] }[];
}

/** What the screens may ask to pick; anything else is refused. */
export const PICK_PURPOSES: Record<string, Purpose> = {
  'sauvegarde.dossier': { kind: 'folder', title: 'Choisir le dossier de sauvegarde' },
  'sauvegarde.fichier': { kind: 'file', title: 'Choisir la sauvegarde à restaurer', filters: [{ name: 'Sauvegarde FNE Formations', extensions: ['sqlite'] }] },
  'justification.destination': { kind: 'folder', title: 'Choisir où enregistrer le dossier de fin de convention' },
};

export interface OpenDialogOptions {
  title: string;
  properties: Array<'openFile' | 'openDirectory' | 'createDirectory' | 'dontAddToRecent'>;
  filters?: { name: string; extensions: string[] }[];
}

export interface OpenDialogLike {
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface PickedDto {
  handle: string;
  /** The chosen path, to show the officer what they chose (never sent back). */
  label: string;
}

export function dialogOptions(purpose: Purpose): OpenDialogOptions {
  return {
    title: purpose.title,
    properties: purpose.kind === 'folder' ? ['openDirectory', 'createDirectory', 'dontAddToRecent'] : ['openFile', 'dontAddToRecent'],
    ...(purpose.filters ? { filters: purpose.filters } : {}),
  };
}

/** Shows the dialog for a known purpose; null when the officer cancels. */
export async function pickFor(dialog: OpenDialogLike, ctx: ServiceContext, purposeName: unknown): Promise<Envelope<PickedDto | null>> {
  const purpose = typeof purposeName === 'string' && Object.prototype.hasOwnProperty.call(PICK_PURPOSES, purposeName) ? PICK_PURPOSES[purposeName] : null;
  if (!purpose) return { ok: false, error: { code: 'invalid_input', message: 'Choix de fichier inconnu.' } };
  const r = await dialog.showOpenDialog(dialogOptions(purpose));
  const chosen = r.filePaths[0];
  if (r.canceled || !chosen) return { ok: true, value: null };
  return { ok: true, value: { handle: registerPicked(ctx, purpose.kind, chosen), label: chosen } };
}

export function registerDialogIpc(ipcMain: IpcMainLike, ctx: () => ServiceContext, dialog: OpenDialogLike, appUrl: () => string): void {
  ipcMain.handle(DIALOG_CHANNEL, async (event, purpose) => {
    if (!isTrustedSender(event.senderFrame, appUrl())) {
      return { ok: false, error: { code: 'forbidden', message: 'Appel refusé : il ne vient pas de la fenêtre de l’application.' } };
    }
    return pickFor(dialog, ctx(), purpose);
  });
}
