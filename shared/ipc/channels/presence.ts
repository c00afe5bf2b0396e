// Channels of step 5 — attendance of a session (the grid's whole-column action, the import of the
// OF's attendance file with the Recensement import's reading engine), the Pix test date of the
// Aidants Connect participants, and the attestations de fin de formation (one PDF per person
// through pieces.attach, or one multi-page PDF split into one pièce per participant).
import { z } from 'zod';
import { idSchema, isoDateSchema } from '../common';
import { pieceSchema } from './pieces';
import { attendanceStatusSchema, sessionDetailSchema } from './sessions';

/** Base64 of an attendance file or of a multi-page PDF of certificates (up to 50 MB of file). */
const fileContent = z.string().max(Math.ceil((50 * 1024 * 1024 * 4) / 3) + 8);

/**
 * What a column of the attendance file holds: the person's e-mail, nom, prénom, « Nom Prénom » in
 * one cell, or the attendance of one half-day of the session (`demi_journee:<halfDayId>`).
 * null: ignored.
 */
export const presenceColumnTargetSchema = z.string().regex(/^(email|nom|prenom|nom_prenom|demi_journee:\d{1,12})$/, 'Colonne inconnue');
export type PresenceColumnTarget = z.infer<typeof presenceColumnTargetSchema>;

/** How the officer's attendance state of a participant reads (same words as the readiness checklist). */
export const attendanceStateSchema = z.enum(['complete', 'one_part', 'partial_accepted', 'partial', 'absent', 'not_recorded', 'future']);
export type AttendanceState = z.infer<typeof attendanceStateSchema>;

export const presenceImportInput = z
  .object({
    sessionId: idSchema,
    fileName: z.string().min(1).max(255),
    contentBase64: fileContent,
    /** Sheet to read (default: the one that looks like the list). */
    sheet: z.string().max(200).optional(),
    /** 1-based header row, when the officer corrects it. */
    headerRow: z.number().int().min(1).max(100_000).optional(),
    /** Column index → target (null: ignored), as corrected by the officer; same length as `headers`. */
    mapping: z.array(presenceColumnTargetSchema.nullable()).max(500).optional(),
  })
  .strict();
export type PresenceImportInput = z.infer<typeof presenceImportInput>;

export const presenceImportPlanSchema = z.object({
  sessionId: idSchema,
  fileName: z.string(),
  sheet: z.string(),
  sheets: z.array(z.string()),
  /** 1-based row number of the header row in the sheet. */
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  /** Up to three values of each column (mapping screen). */
  samples: z.array(z.array(z.string())),
  mapping: z.array(presenceColumnTargetSchema.nullable()),
  mappingSource: z.enum(['automatique', 'agent']),
  /** Targets the officer can choose for a column, with their French labels. */
  targets: z.array(z.object({ value: presenceColumnTargetSchema, label: z.string() })),
  halfDays: z.array(z.object({ id: idSchema, label: z.string(), column: z.number().int().nullable() })),
  /** Data rows read (non-empty). */
  rows: z.number().int(),
  matched: z.array(z.object({ row: z.number().int(), registrationId: idSchema, nom: z.string(), prenom: z.string(), by: z.enum(['email', 'nom']) })),
  /** Rows that match no registered participant of the session (row numbers of the file). */
  unmatched: z.array(z.object({ row: z.number().int(), label: z.string(), reason: z.string() })),
  /** Registered participants that no row of the file names. */
  missing: z.array(z.object({ registrationId: idSchema, nom: z.string(), prenom: z.string() })),
  /** Cells that could not be read as present / absent / excusé (they change nothing). */
  invalid: z.array(z.object({ row: z.number().int(), column: z.string(), value: z.string(), message: z.string() })),
  changes: z.array(
    z.object({
      row: z.number().int(),
      registrationId: idSchema,
      nom: z.string(),
      prenom: z.string(),
      halfDayId: idSchema,
      halfDayLabel: z.string(),
      from: attendanceStatusSchema.nullable(),
      to: attendanceStatusSchema,
    }),
  ),
  /** Cells that say what is already recorded. */
  unchanged: z.number().int(),
  applied: z.boolean(),
});
export type PresenceImportPlan = z.infer<typeof presenceImportPlanSchema>;

export const presenceParticipantSchema = z.object({
  registrationId: idSchema,
  personId: idSchema,
  nom: z.string(),
  prenom: z.string(),
  /** Attendance state for the dossier (see the readiness checklist). */
  state: attendanceStateSchema,
  stateLabel: z.string(),
  /** Date of the Pix test (Aidants Connect trainings only; null otherwise or not yet passed). */
  pixDate: z.string().nullable(),
  /** The training includes Aidants Connect: the Pix date applies. */
  pix: z.boolean(),
  certificates: z.array(pieceSchema),
});

export const presenceSessionSchema = z.object({
  session: sessionDetailSchema,
  /** One per registered participant (status « inscrit »), in the order of session.participants. */
  participants: z.array(presenceParticipantSchema),
  /** Signed attendance sheets attached to the session (role feuille_presence). */
  sheets: z.array(pieceSchema),
});
export type PresenceSession = z.infer<typeof presenceSessionSchema>;

export const certificatePagesSchema = z.object({
  sessionId: idSchema,
  fileName: z.string(),
  pages: z.number().int(),
  /** Registered participants in the order of the list: page i + 1 → participants[i] by default. */
  participants: z.array(z.object({ registrationId: idSchema, nom: z.string(), prenom: z.string(), hasCertificate: z.boolean() })),
  /** Proposed page → registration (by order of the participant list); null: no participant for that page. */
  proposal: z.array(z.object({ page: z.number().int(), registrationId: idSchema.nullable() })),
  /** Pages count ≠ participants count, etc. (the officer checks before splitting). */
  warnings: z.array(z.string()),
});

export const presenceChannels = {
  /** Everything the attendance screen of a session needs: grid, states, Pix dates, certificates, sheets. */
  'presence.get': { input: z.object({ sessionId: idSchema }).strict(), output: presenceSessionSchema },
  /** Whole-column action: one half-day's status for every registered participant (null clears; onlyEmpty keeps what is recorded). */
  'presence.halfDay.setAll': {
    input: z.object({ sessionId: idSchema, halfDayId: idSchema, status: attendanceStatusSchema.nullable(), onlyEmpty: z.boolean().default(false) }).strict(),
    output: presenceSessionSchema,
  },
  /** Reads the OF's attendance file (xlsx, xls, ods, CSV) against the session: nothing is written. */
  'presence.import.preview': { input: presenceImportInput, output: presenceImportPlanSchema },
  /** Same reading, then writes every change in one transaction (backup before, audit). Refused when nothing changes. */
  'presence.import.commit': { input: presenceImportInput, output: presenceImportPlanSchema },
  /** Date of the Pix test of an Aidants Connect participant (null clears it). */
  'presence.pix.set': {
    input: z.object({ registrationId: idSchema, date: isoDateSchema.nullable() }).strict(),
    output: presenceParticipantSchema,
  },
  /** A multi-page PDF of certificates for a session: page count and the proposed page → participant. */
  'presence.certificates.inspect': {
    input: z.object({ sessionId: idSchema, fileName: z.string().min(1).max(255), contentBase64: fileContent }).strict(),
    output: certificatePagesSchema,
  },
  /**
   * Splits the PDF into one PDF per page and attaches each page to its participant as
   * « attestation de fin de formation ». Without assignments: page i → i-th participant of the
   * list (pages and participants must then be as many). All or nothing.
   */
  'presence.certificates.split': {
    input: z
      .object({
        sessionId: idSchema,
        fileName: z.string().min(1).max(255),
        contentBase64: fileContent,
        assignments: z.array(z.object({ page: z.number().int().min(1), registrationId: idSchema })).max(2000).optional(),
      })
      .strict(),
    output: z.object({ attached: z.array(z.object({ page: z.number().int(), registrationId: idSchema, piece: pieceSchema })), session: presenceSessionSchema }),
  },
} as const;
