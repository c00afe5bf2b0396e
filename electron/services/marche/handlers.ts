import type { marcheChannels } from '../../../shared/ipc/channels/marche';
import type { HandlerMap } from '../handler-types';

export const marcheHandlers: HandlerMap<keyof typeof marcheChannels> = {};
