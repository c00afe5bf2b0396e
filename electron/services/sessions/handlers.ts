import type { sessionsChannels } from '../../../shared/ipc/channels/sessions';
import type { HandlerMap } from '../handler-types';

export const sessionsHandlers: HandlerMap<keyof typeof sessionsChannels> = {};
