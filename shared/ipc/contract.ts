// The one IPC contract: channel name → zod input and output schemas.
// Each capability declares its channels in ./channels/<capability>.ts and is merged here.
// The three hosts (Electron ipcMain, web host, CLI) dispatch through electron/services/handlers.ts.
import type { z } from 'zod';
import { conventionChannels } from './channels/convention';
import { documentsChannels } from './channels/documents';
import { guideChannels } from './channels/guide';
import { jobsChannels } from './channels/jobs';
import { justificationChannels } from './channels/justification';
import { marcheChannels } from './channels/marche';
import { piecesChannels } from './channels/pieces';
import { presenceChannels } from './channels/presence';
import { recensementChannels } from './channels/recensement';
import { retentionChannels } from './channels/retention';
import { sauvegardeChannels } from './channels/sauvegarde';
import { sessionsChannels } from './channels/sessions';

export const contract = {
  ...conventionChannels,
  ...piecesChannels,
  ...guideChannels,
  ...jobsChannels,
  ...recensementChannels,
  ...marcheChannels,
  ...sessionsChannels,
  ...justificationChannels,
  ...sauvegardeChannels,
  ...documentsChannels,
  ...presenceChannels,
  ...retentionChannels,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type InputOf<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ParsedInputOf<C extends ChannelName> = z.output<Contract[C]['input']>;
export type OutputOf<C extends ChannelName> = z.output<Contract[C]['output']>;

export const channelNames = Object.keys(contract) as ChannelName[];
export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Whole serialized input above this is refused before parsing (pieces.attach has its own cap). */
export const MAX_INPUT_CHARS = 2 * 1024 * 1024;
export const MAX_ATTACH_INPUT_CHARS = 72 * 1024 * 1024;
/** Channels that carry a whole file (base64, up to 50 MB). */
const FILE_CHANNELS: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'pieces.attach',
  'recensement.importPreview',
  'recensement.importCommit',
  'recensement.import.previewStart',
  'recensement.import.start',
  'recensement.opco.import',
  'presence.import.preview',
  'presence.import.commit',
  'presence.certificates.inspect',
  'presence.certificates.split',
]);
export function maxInputChars(channel: ChannelName): number {
  return FILE_CHANNELS.has(channel) ? MAX_ATTACH_INPUT_CHARS : MAX_INPUT_CHARS;
}
