// Channels of the sessions capability: sessions and cohorts, assignment of people (with the
// refusal reasons), waiting list, moves, attendance, exports for the OF and ANCT, émargement
// and convocations PDFs, Aidants Connect follow-up.
import { z } from 'zod';
import { idSchema, isoDateSchema, shortText } from '../common';

export const trainingKindSchema = z.enum(['AN', 'AN_AC', 'AC']);
export const modalitySchema = z.enum(['presentiel', 'distance']);
export const periodSchema = z.enum(['matin', 'apres_midi']);
export const registrationStatusSchema = z.enum(['inscrit', 'attente', 'annule', 'deplace']);
export const attendanceStatusSchema = z.enum(['present', 'absent', 'excuse']);
export const acStatusSchema = z.enum(['demande', 'eligibilite_validee', 'inscrit', 'bac_a_sable', 'forme', 'pix', 'presence_transmise', 'habilite', 'refuse', 'annule']);
/** Aidants Connect connection method, chosen at the end of the training (OTP app or physical card). */
export const connectionMethodSchema = z.enum(['application', 'carte']);
export type ConnectionMethod = z.infer<typeof connectionMethodSchema>;
/** The steps the officer records for the people of an Aidants Connect session. */
export const recordableAcStepSchema = z.enum(['demande', 'eligibilite_validee', 'bac_a_sable', 'pix', 'presence_transmise']);
const timeSchema = z.string().regex(/^\d{2}:\d{2}$/, 'Heure invalide (attendue : HH:MM)');
const reason = z.object({ code: z.string(), message: z.string() });
/** Base64 of ANCT's follow-up table (≈ 1,4 Mo of file), within the general input cap of the contract. */
export const MAX_AC_IMPORT_BASE64 = 1_900_000;
const fileOutput = z.object({ fileName: z.string(), contentBase64: z.string() });

/** Part of a combined AN_AC training a half-day belongs to (null: both parts / not split). */
export const halfDayPartSchema = z.enum(['AN', 'AC']);
export const halfDayInput = z
  .object({ date: isoDateSchema, period: periodSchema, start: timeSchema.optional(), end: timeSchema.optional(), part: halfDayPartSchema.nullish() })
  .strict();

export const sessionValuesInput = z
  .object({
    kind: trainingKindSchema,
    title: z.string().max(300),
    /** The order the session is bought through; null with internal = CD's own trainers (AN only). */
    orderId: idSchema.nullish(),
    internal: z.boolean().default(false),
    modality: modalitySchema,
    place: z.string().max(1000).nullish(),
    capacity: z.number().int().min(1).max(500).optional(),
    trainers: z.array(z.string().max(200)).max(20).default([]),
    cohortId: idSchema.nullish(),
    note: z.string().max(5000).nullish(),
    halfDays: z.array(halfDayInput).max(60),
  })
  .strict();
export type SessionValuesInput = z.infer<typeof sessionValuesInput>;

export const halfDaySchema = z.object({ id: idSchema, date: z.string(), period: periodSchema, start: z.string(), end: z.string(), label: z.string(), part: halfDayPartSchema.nullable() });

export const sessionSummarySchema = z.object({
  id: idSchema,
  conventionId: idSchema,
  cohortId: idSchema.nullable(),
  cohortLabel: z.string().nullable(),
  kind: trainingKindSchema,
  kindLabel: z.string(),
  title: z.string(),
  modality: modalitySchema,
  place: z.string().nullable(),
  orderId: idSchema.nullable(),
  orderNumber: z.string().nullable(),
  organismeId: idSchema.nullable(),
  organismeName: z.string().nullable(),
  internal: z.boolean(),
  capacity: z.number().int(),
  registered: z.number().int(),
  waiting: z.number().int(),
  attended: z.number().int(),
  firstDate: z.string().nullable(),
  lastDate: z.string().nullable(),
  halfDayCount: z.number().int(),
  hours: z.number(),
  status: z.enum(['prevue', 'annulee']),
  cancelReason: z.string().nullable(),
  /** What to check on the session (hors_fenetre: outside the convention's window, its departures do not count). */
  warnings: z.array(reason),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

export const participantSchema = z.object({
  registrationId: idSchema,
  personId: idSchema,
  nom: z.string(),
  prenom: z.string(),
  email: z.string().nullable(),
  profession: z.string().nullable(),
  structureName: z.string().nullable(),
  status: registrationStatusSchema,
  registeredAt: z.string(),
  overrideReason: z.string().nullable(),
  warnings: z.array(reason),
  movedFromSessionId: idSchema.nullable(),
  movedToSessionId: idSchema.nullable(),
  movedToSessionTitle: z.string().nullable(),
  cancelReason: z.string().nullable(),
  attendance: z.array(z.object({ halfDayId: idSchema, status: attendanceStatusSchema })),
  present: z.number().int(),
  partialReason: z.string().nullable(),
  attended: z.boolean(),
  /** Parts of the training completed: each is one departure (AN + AC of a combined training: two). */
  partsCompleted: z.array(halfDayPartSchema),
  /** Why this person's departures never count toward the target (eligibility rules): sessions/rules.ts notCountedCodes. */
  notCounted: z.array(reason),
});
export type Participant = z.infer<typeof participantSchema>;

/** A warning on the whole session, with the route of the screen that corrects it. */
export const sessionWarningSchema = z.object({ code: z.string(), message: z.string(), link: z.string().nullable() });

export const sessionDetailSchema = sessionSummarySchema.extend({
  /** Session-level warnings (e.g. the OF not yet referenced with ANCT); nothing here blocks a departure. */
  warnings: z.array(sessionWarningSchema),
  trainers: z.array(z.string()),
  note: z.string().nullable(),
  halfDays: z.array(halfDaySchema),
  participants: z.array(participantSchema),
  conventionLabel: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

export const candidateSchema = z.object({
  personId: idSchema,
  nom: z.string(),
  prenom: z.string(),
  email: z.string().nullable(),
  profession: z.string().nullable(),
  structureId: idSchema.nullable(),
  structureName: z.string().nullable(),
  trainingWish: trainingKindSchema.nullable(),
  eligible: z.boolean(),
  refusals: z.array(reason),
  warnings: z.array(reason),
  inSession: registrationStatusSchema.nullable(),
});
export type Candidate = z.infer<typeof candidateSchema>;

export const registerResultSchema = z.object({
  registered: z.array(z.object({ personId: idSchema, registrationId: idSchema, status: registrationStatusSchema, warnings: z.array(reason) })),
  session: sessionDetailSchema,
});

export const acFollowupSchema = z.object({
  id: idSchema,
  personId: idSchema,
  nom: z.string(),
  prenom: z.string(),
  email: z.string().nullable(),
  structureName: z.string().nullable(),
  structureSiret: z.string().nullable(),
  status: acStatusSchema,
  statusLabel: z.string(),
  dates: z.record(acStatusSchema, z.string().nullable()),
  stopReason: z.string().nullable(),
  registrationId: idSchema.nullable(),
  sessionId: idSchema.nullable(),
  sessionTitle: z.string().nullable(),
  /** Chosen at the end of the training (null: not recorded). */
  connectionMethod: connectionMethodSchema.nullable(),
  /** ANCT's validation of the funding (its FNE table, read at import); null: not said. */
  fundingValidated: z.boolean().nullable(),
  fundingValidatedOn: z.string().nullable(),
  updatedAt: z.string(),
});
export type AcFollowup = z.infer<typeof acFollowupSchema>;

/** A missing Aidants Connect step of a session's people (warning on the session, checklist item). */
export const acStepWarningSchema = z.object({
  code: z.enum(['ac_liste_anct', 'ac_eligibilite', 'ac_bac_a_sable', 'ac_pix', 'ac_pix_tardif', 'ac_moyen_connexion', 'ac_presence_anct']),
  /** The step that fixes it (a date to record, or the connection method). */
  step: z.enum(['demande', 'eligibilite_validee', 'bac_a_sable', 'pix', 'presence_transmise', 'moyen_connexion']),
  /** Before the training or after it. */
  when: z.enum(['avant', 'apres']),
  count: z.number().int(),
  message: z.string(),
  people: z.array(z.string()),
  personIds: z.array(idSchema),
});
export type AcStepWarning = z.infer<typeof acStepWarningSchema>;

export const acSessionStepsSchema = z.object({
  sessionId: idSchema,
  /** False for AN sessions: nothing to follow with ANCT. */
  applies: z.boolean(),
  warnings: z.array(acStepWarningSchema),
  people: z.array(
    z.object({
      personId: idSchema,
      name: z.string(),
      attended: z.boolean(),
      status: acStatusSchema.nullable(),
      statusLabel: z.string(),
      requestedOn: z.string().nullable(),
      eligibilityValidatedOn: z.string().nullable(),
      sandboxOn: z.string().nullable(),
      pixOn: z.string().nullable(),
      reportedOn: z.string().nullable(),
      connectionMethod: connectionMethodSchema.nullable(),
    }),
  ),
  steps: z.array(z.object({ code: recordableAcStepSchema, label: z.string() })),
  connectionMethods: z.array(z.object({ code: connectionMethodSchema, label: z.string() })),
});
export type AcSessionSteps = z.infer<typeof acSessionStepsSchema>;

export const acImportPlanSchema = z.object({
  fileName: z.string(),
  sheet: z.string(),
  headerRow: z.number().int(),
  rows: z.number().int(),
  recognisedColumns: z.array(z.string()),
  changes: z.array(z.object({ row: z.number().int(), personId: idSchema, label: z.string(), from: acStatusSchema.nullable(), to: acStatusSchema, toLabel: z.string() })),
  unchanged: z.number().int(),
  unmatched: z.array(z.object({ row: z.number().int(), label: z.string() })),
  applied: z.boolean(),
});
export type AcImportPlan = z.infer<typeof acImportPlanSchema>;

const filterInput = {
  search: z.string().max(200).optional(),
  eligibility: z.enum(['all', 'eligible', 'ineligible']).default('all'),
  structureId: idSchema.optional(),
  training: z.enum(['AN', 'AC', 'AN_AC', 'none']).optional(),
  /** Only people who can be registered (no refusal). */
  assignableOnly: z.boolean().default(false),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
};

export const sessionsChannels = {
  'sessions.list': { input: z.object({ conventionId: idSchema }).strict(), output: z.array(sessionSummarySchema) },
  'sessions.get': { input: z.object({ id: idSchema }).strict(), output: sessionDetailSchema },
  /** What a new session can be attached to: the convention's orders, the internal trainers, cohorts. */
  'sessions.options': {
    input: z.object({ conventionId: idSchema }).strict(),
    output: z.object({
      orders: z.array(z.object({ id: idSchema, number: z.string(), organismeName: z.string(), kind: trainingKindSchema, label: z.string(), seats: z.number().int(), seatsUsed: z.number().int() })),
      internalOrganisme: z.object({ id: idSchema, name: z.string() }).nullable(),
      cohorts: z.array(z.object({ id: idSchema, label: z.string(), note: z.string().nullable(), sessions: z.number().int() })),
      kinds: z.array(z.object({ code: trainingKindSchema, label: z.string(), defaultCapacity: z.number().int() })),
      refusals: z.array(z.object({ code: z.string(), label: z.string() })),
    }),
  },
  'sessions.create': { input: sessionValuesInput.extend({ conventionId: idSchema }).strict(), output: sessionDetailSchema },
  'sessions.update': { input: z.object({ id: idSchema, values: sessionValuesInput }).strict(), output: sessionDetailSchema },
  /** Cancels a session (reason required); its registrations are cancelled with it. */
  'sessions.cancel': { input: z.object({ id: idSchema, reason: shortText }).strict(), output: sessionDetailSchema },
  'sessions.cohorts.save': {
    input: z.object({ conventionId: idSchema, id: idSchema.optional(), label: z.string().max(200), note: z.string().max(2000).nullish() }).strict(),
    output: z.object({ id: idSchema, label: z.string(), note: z.string().nullable(), sessions: z.number().int() }),
  },
  /** People who could join the session, filtered, each with the refusal reasons and warnings. */
  'sessions.candidates': {
    input: z.object({ sessionId: idSchema, ...filterInput }).strict(),
    output: z.object({ total: z.number().int(), rows: z.array(candidateSchema) }),
  },
  /** Registers people (all or nothing: any refusal changes nothing and lists every reason). */
  'sessions.register': {
    input: z
      .object({
        sessionId: idSchema,
        personIds: z.array(idSchema).min(1).max(500),
        waitingList: z.boolean().default(false),
        /** Written reason to register people who are not eligible. */
        overrideReason: z.string().max(2000).nullish(),
      })
      .strict(),
    output: registerResultSchema,
  },
  'sessions.registration.cancel': { input: z.object({ registrationId: idSchema, reason: shortText }).strict(), output: sessionDetailSchema },
  /** Waiting list → registered, when a place is free. */
  'sessions.registration.promote': { input: z.object({ registrationId: idSchema }).strict(), output: sessionDetailSchema },
  /** Moves a registration to another session; the old one stays as history (« déplacé »). */
  'sessions.registration.move': {
    input: z.object({ registrationId: idSchema, toSessionId: idSchema, waitingList: z.boolean().default(false), overrideReason: z.string().max(2000).nullish() }).strict(),
    output: sessionDetailSchema,
  },
  'sessions.attendance.set': {
    input: z.object({ registrationId: idSchema, halfDayId: idSchema, status: attendanceStatusSchema.nullable() }).strict(),
    output: participantSchema,
  },
  /** Accepts a partial attendance as a departure, with its reason (null reason withdraws it). */
  'sessions.attendance.acceptPartial': {
    input: z.object({ registrationId: idSchema, reason: z.string().max(2000).nullable() }).strict(),
    output: participantSchema,
  },
  /** Lists: for the OF (participants of a session), for ANCT (FNE follow-up table columns). */
  'sessions.export': {
    input: z
      .object({ audience: z.enum(['of', 'anct']), format: z.enum(['xlsx', 'csv']), sessionId: idSchema.optional(), conventionId: idSchema.optional() })
      .strict(),
    output: fileOutput.extend({ rows: z.number().int() }),
  },
  /** Feuille d'émargement (pre-filled, or blank lines for walk-ins) and convocations. */
  'sessions.pdf': {
    input: z
      .object({ sessionId: idSchema, document: z.enum(['emargement', 'emargement_vierge', 'convocations']), blankLines: z.number().int().min(0).max(60).optional() })
      .strict(),
    output: fileOutput,
  },
  'sessions.ac.list': {
    input: z.object({ conventionId: idSchema.optional(), status: acStatusSchema.optional(), search: z.string().max(200).optional() }).strict(),
    output: z.object({
      rows: z.array(acFollowupSchema),
      counts: z.record(acStatusSchema, z.number().int()),
      /** Every status in order (the steps, then refused / cancelled) with its French label. */
      statuses: z.array(z.object({ code: acStatusSchema, label: z.string(), step: z.boolean() })),
    }),
  },
  /** Bulk update of the follow-up of several people (status with its date; reason for refuse/cancel). */
  'sessions.ac.update': {
    input: z.object({ personIds: z.array(idSchema).min(1).max(2000), status: acStatusSchema, date: isoDateSchema.optional(), reason: z.string().max(2000).nullish() }).strict(),
    output: z.object({ updated: z.number().int(), rows: z.array(acFollowupSchema) }),
  },
  /** The Aidants Connect steps of a session's people: what is recorded, what is missing. */
  'sessions.ac.steps': { input: z.object({ sessionId: idSchema }).strict(), output: acSessionStepsSchema },
  /** Records a step's date for people of the session who lack it (the status only moves forward). */
  'sessions.ac.recordStep': {
    input: z.object({ sessionId: idSchema, personIds: z.array(idSchema).min(1).max(500), step: recordableAcStepSchema, date: isoDateSchema }).strict(),
    output: acSessionStepsSchema,
  },
  /** Records the connection method chosen by people of the session (null: not known). */
  'sessions.ac.setConnection': {
    input: z.object({ sessionId: idSchema, personIds: z.array(idSchema).min(1).max(500), method: connectionMethodSchema.nullable() }).strict(),
    output: acSessionStepsSchema,
  },
  /** Re-import of ANCT's follow-up table: what would change (apply: false), or apply it. */
  'sessions.ac.import': {
    input: z
      // Under the general 2 MB input cap (a département's follow-up table is a few hundred rows).
      .object({ fileName: z.string().min(1).max(255), contentBase64: z.string().max(MAX_AC_IMPORT_BASE64), date: isoDateSchema.optional(), apply: z.boolean().default(false) })
      .strict(),
    output: acImportPlanSchema,
  },
} as const;
