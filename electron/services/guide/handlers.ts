import type { guideChannels } from '../../../shared/ipc/channels/guide';
import type { HandlerMap } from '../handler-types';
import { stats } from '../stats/service';
import { guide } from './service';

export const guideHandlers: HandlerMap<keyof typeof guideChannels> = {
  'guide.get': (ctx, i) => guide(ctx, i.conventionId),
  'stats.get': (ctx, i) => stats(ctx, i.conventionId),
};
