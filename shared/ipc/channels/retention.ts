// Personal data kept only as long as needed: each convention's retention date, the anonymisation
// of its people after it (with its report), and the rights of one person (access, erasure).
import { z } from 'zod';
import { idSchema, isoDateSchema } from '../common';

export const retentionReportSchema = z.object({
  at: z.string(),
  conventionId: idSchema,
  /** People anonymised (names, e-mails, phones replaced). */
  people: z.number().int(),
  /** Free texts about them replaced (reasons, comments). */
  texts: z.number().int(),
  /** History entries cleared of their personal data. */
  history: z.number().int(),
  /** Imported source lists removed from the pièces store (and from the backup folder's copy). */
  sourceFiles: z.number().int(),
  /** Backups taken before the anonymisation, deleted. */
  backupsPurged: z.number().int(),
  /** Backups that could not be deleted, with the reason: the officer deletes them by hand. */
  backupsRemaining: z.array(z.object({ name: z.string(), reason: z.string() })),
  /** The backup taken right after, without personal data. */
  backupAfter: z.string().nullable(),
});
export type RetentionReport = z.infer<typeof retentionReportSchema>;

export const retentionStatusSchema = z.object({
  conventionId: idSchema,
  endDate: z.string(),
  /** The date in force (the officer's, or the default). */
  retentionUntil: z.string(),
  /** End date + 5 years. */
  defaultRetentionUntil: z.string(),
  isDefault: z.boolean(),
  /** Today is after the retention date and the people are not anonymised yet. */
  due: z.boolean(),
  anonymisedAt: z.string().nullable(),
  /** What an anonymisation would touch now. */
  preview: z.object({ people: z.number().int(), sourceFiles: z.number().int(), backups: z.number().int() }),
  lastReport: retentionReportSchema.nullable(),
});
export type RetentionStatus = z.infer<typeof retentionStatusSchema>;

export const retentionChannels = {
  'retention.get': { input: z.object({ conventionId: idSchema }).strict(), output: retentionStatusSchema },
  /** Changes the retention date (null: back to the default, end date + 5 years). */
  'retention.set': { input: z.object({ conventionId: idSchema, retentionUntil: isoDateSchema.nullable() }).strict(), output: retentionStatusSchema },
  /** Anonymises the convention's people once its retention date is past (confirm: the officer said yes). */
  'retention.anonymise': { input: z.object({ conventionId: idSchema, confirm: z.literal(true) }).strict(), output: retentionReportSchema },
  /** Everything held about one person (access request), as a file. */
  'retention.person.export': {
    input: z.object({ personId: idSchema }).strict(),
    output: z.object({ fileName: z.string(), contentBase64: z.string() }),
  },
  /** Erases one person, when nothing kept as proof of spending names them. */
  'retention.person.erase': {
    input: z.object({ personId: idSchema, reason: z.string().min(1).max(2000) }).strict(),
    output: z.object({ personId: idSchema, erased: z.literal(true) }),
  },
} as const;
