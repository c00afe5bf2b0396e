import type { justificationChannels } from '../../../shared/ipc/channels/justification';
import type { HandlerMap } from '../handler-types';

export const justificationHandlers: HandlerMap<keyof typeof justificationChannels> = {};
