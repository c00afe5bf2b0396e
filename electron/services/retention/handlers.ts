import type { retentionChannels } from '../../../shared/ipc/channels/retention';
import type { HandlerMap } from '../handler-types';
import { anonymiseConvention, retentionStatus, setRetention } from './anonymise';
import { erasePerson, exportPerson } from './person';

export const retentionHandlers: HandlerMap<keyof typeof retentionChannels> = {
  'retention.get': (ctx, { conventionId }) => retentionStatus(ctx, conventionId),
  'retention.set': (ctx, { conventionId, retentionUntil }) => setRetention(ctx, conventionId, retentionUntil),
  'retention.anonymise': (ctx, { conventionId }) => anonymiseConvention(ctx, conventionId),
  'retention.person.export': async (ctx, { personId }) => exportPerson(ctx, personId),
  'retention.person.erase': async (ctx, { personId, reason }) => erasePerson(ctx, personId, reason),
};
