import type { sessionsChannels } from '../../../shared/ipc/channels/sessions';
import type { HandlerMap } from '../handler-types';
import { importAcTable, listAcFollowups, updateAcFollowups } from './ac';
import { recordAcStep, sessionAcSteps, setConnectionMethod } from './ac-steps';
import { exportList } from './exports';
import { convocationsPdf, emargementPdf } from './pdf';
import { acceptPartial, cancelRegistration, listCandidates, moveRegistration, promoteRegistration, registerPeople, setAttendance } from './registrations';
import { cancelSession, createSession, getSession, listSessions, saveCohort, sessionOptions, updateSession } from './service';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export const sessionsHandlers: HandlerMap<keyof typeof sessionsChannels> = {
  'sessions.list': (ctx, { conventionId }) => listSessions(ctx, conventionId),
  'sessions.get': (ctx, { id }) => getSession(ctx, id),
  'sessions.options': (ctx, { conventionId }) => sessionOptions(ctx, conventionId),
  'sessions.create': (ctx, { conventionId, ...values }) => createSession(ctx, conventionId, values),
  'sessions.update': (ctx, { id, values }) => updateSession(ctx, id, values),
  'sessions.cancel': (ctx, { id, reason }) => cancelSession(ctx, id, reason),
  'sessions.cohorts.save': (ctx, input) => saveCohort(ctx, input),
  'sessions.candidates': (ctx, input) => listCandidates(ctx, input),
  'sessions.register': (ctx, input) => registerPeople(ctx, input),
  'sessions.registration.cancel': (ctx, { registrationId, reason }) => cancelRegistration(ctx, registrationId, reason),
  'sessions.registration.promote': (ctx, { registrationId }) => promoteRegistration(ctx, registrationId),
  'sessions.registration.move': (ctx, input) => moveRegistration(ctx, input),
  'sessions.attendance.set': (ctx, { registrationId, halfDayId, status }) => setAttendance(ctx, registrationId, halfDayId, status),
  'sessions.attendance.acceptPartial': (ctx, { registrationId, reason }) => acceptPartial(ctx, registrationId, reason),
  'sessions.export': async (ctx, input) => {
    const r = await exportList(ctx, input);
    return { fileName: r.fileName, contentBase64: b64(r.bytes), rows: r.rows };
  },
  'sessions.pdf': async (ctx, { sessionId, document, blankLines }) => {
    const s = await getSession(ctx, sessionId);
    const r =
      document === 'convocations'
        ? await convocationsPdf(ctx, s)
        : await emargementPdf(ctx, s, { blank: document === 'emargement_vierge', blankLines: blankLines ?? (document === 'emargement_vierge' ? 12 : 0) });
    return { fileName: r.fileName, contentBase64: b64(r.bytes) };
  },
  'sessions.ac.list': (ctx, input) => listAcFollowups(ctx, input),
  'sessions.ac.update': (ctx, input) => updateAcFollowups(ctx, input),
  'sessions.ac.import': (ctx, input) => importAcTable(ctx, input),
  'sessions.ac.steps': (ctx, input) => sessionAcSteps(ctx, input.sessionId),
  'sessions.ac.recordStep': (ctx, input) => recordAcStep(ctx, input),
  'sessions.ac.setConnection': (ctx, input) => setConnectionMethod(ctx, input),
};
