import type { documentsChannels } from '../../../shared/ipc/channels/documents';
import type { HandlerMap } from '../handler-types';
import { compareQuotes, getConsultation, saveConsultation } from './consultation';
import { consultationDocument } from './consultation-doc';
import { formulaireWorkbook } from './formulaire';

const b64 = (f: { fileName: string; bytes: Uint8Array }) => ({ fileName: f.fileName, contentBase64: Buffer.from(f.bytes).toString('base64') });

export const documentsHandlers: HandlerMap<keyof typeof documentsChannels> = {
  'documents.formulaire.xlsx': async (ctx, input) => b64(await formulaireWorkbook(ctx, input)),
  'documents.consultation.get': (ctx, { marcheId }) => getConsultation(ctx, marcheId),
  'documents.consultation.save': (ctx, input) => saveConsultation(ctx, input),
  'documents.consultation.document': async (ctx, { marcheId, format }) => b64(await consultationDocument(ctx, marcheId, format)),
  'documents.consultation.comparison': (ctx, { marcheId }) => compareQuotes(ctx, marcheId),
};
