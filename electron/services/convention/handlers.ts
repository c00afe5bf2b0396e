import type { conventionChannels } from '../../../shared/ipc/channels/convention';
import type { HandlerMap } from '../handler-types';
import { CONVENTION_DEFAULTS } from './defaults';
import { createConvention, getConvention, listConventions, updateConvention } from './service';

export const conventionHandlers: HandlerMap<keyof typeof conventionChannels> = {
  'convention.list': (ctx) => listConventions(ctx),
  'convention.get': (ctx, { id }) => getConvention(ctx, id),
  'convention.create': (ctx, input) => createConvention(ctx, input),
  'convention.update': (ctx, { id, patch }) => updateConvention(ctx, id, patch),
  'convention.defaults': async () => ({ ...CONVENTION_DEFAULTS }),
};
