import type { recensementChannels } from '../../../shared/ipc/channels/recensement';
import type { HandlerMap } from '../handler-types';

export const recensementHandlers: HandlerMap<keyof typeof recensementChannels> = {};
