import type { documentsChannels } from '../../../shared/ipc/channels/documents';
import type { HandlerMap } from '../handler-types';
import { formulaireWorkbook } from './formulaire';

const b64 = (f: { fileName: string; bytes: Uint8Array }) => ({ fileName: f.fileName, contentBase64: Buffer.from(f.bytes).toString('base64') });

export const documentsHandlers: HandlerMap<keyof typeof documentsChannels> = {
  'documents.formulaire.xlsx': async (ctx, input) => b64(await formulaireWorkbook(ctx, input)),
};
