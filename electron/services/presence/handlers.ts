import type { presenceChannels } from '../../../shared/ipc/channels/presence';
import type { HandlerMap } from '../handler-types';
import { inspectCertificates, splitCertificates } from './certificates';
import { commitAttendanceImport, previewAttendanceImport } from './import';
import { getPresence, setHalfDayForAll, setPixDate } from './service';

export const presenceHandlers: HandlerMap<keyof typeof presenceChannels> = {
  'presence.get': (ctx, { sessionId }) => getPresence(ctx, sessionId),
  'presence.halfDay.setAll': (ctx, input) => setHalfDayForAll(ctx, input),
  'presence.import.preview': (ctx, input) => previewAttendanceImport(ctx, input),
  'presence.import.commit': (ctx, input) => commitAttendanceImport(ctx, input),
  'presence.pix.set': (ctx, { registrationId, date }) => setPixDate(ctx, registrationId, date),
  'presence.certificates.inspect': (ctx, input) => inspectCertificates(ctx, input),
  'presence.certificates.split': (ctx, input) => splitCertificates(ctx, input),
};
