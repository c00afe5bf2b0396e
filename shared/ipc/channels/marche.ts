// Channels of the marche capability: training organisations (OF), the public list of OF,
// procurement records (need → quotes → choice → order → invoices → payments), expenses, budget.
import { z } from 'zod';
import { amountBlankIsZeroSchema, amountSchema, idSchema, optionalAmountSchema, isoDateSchema, longText, shortText } from '../common';

export const trainingKinds = ['AN', 'AN_AC', 'AC'] as const;
export const trainingKindSchema = z.enum(trainingKinds);
const nullableText = shortText.nullish();
const nullableDate = isoDateSchema.nullish();

export const findingSchema = z.object({
  code: z.string(),
  level: z.enum(['refus', 'alerte', 'info']),
  message: z.string(),
});
export type FindingDto = z.infer<typeof findingSchema>;

// ----- Organismes -----
export const organismeInput = z
  .object({
    name: z.string().max(300),
    siret: z.string().max(40).nullish(),
    nda: z.string().max(40).nullish(),
    address: nullableText,
    postcode: z.string().max(10).nullish(),
    city: nullableText,
    contactName: nullableText,
    contactEmail: nullableText,
    contactPhone: z.string().max(40).nullish(),
    qualiopiActionsFormation: z.boolean().optional(),
    qualiopiIssuer: nullableText,
    qualiopiNumber: nullableText,
    qualiopiValidFrom: nullableDate,
    qualiopiValidUntil: nullableDate,
    anctReferencedDate: nullableDate,
    anctReferenceNote: nullableText,
    notes: longText.nullish(),
  })
  .strict();
export type OrganismeInput = z.infer<typeof organismeInput>;

export const qualiopiStatusSchema = z.enum(['valide', 'expire_bientot', 'expire', 'pas_encore', 'absent', 'interne']);

export const trainingSchema = z.object({
  id: idSchema,
  organismeId: idSchema,
  kind: trainingKindSchema,
  kindLabel: z.string(),
  title: z.string(),
  hours: z.number().nullable(),
  priceCents: z.number().int().nullable(),
  priceUnit: z.enum(['place', 'session']).nullable(),
});

export const organismeSchema = z.object({
  id: idSchema,
  name: z.string(),
  isInternal: z.boolean(),
  siret: z.string().nullable(),
  nda: z.string().nullable(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  city: z.string().nullable(),
  contactName: z.string().nullable(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  qualiopiActionsFormation: z.boolean(),
  qualiopiIssuer: z.string().nullable(),
  qualiopiNumber: z.string().nullable(),
  qualiopiValidFrom: z.string().nullable(),
  qualiopiValidUntil: z.string().nullable(),
  anctReferencedDate: z.string().nullable(),
  anctReferenceNote: z.string().nullable(),
  notes: z.string().nullable(),
  qualiopi: z.object({ status: qualiopiStatusSchema, label: z.string(), daysLeft: z.number().int().nullable() }),
  hasQualiopiCertificate: z.boolean(),
  trainings: z.array(trainingSchema),
  /** Non-blocking remarks (NDA format, public list disagreement…). */
  warnings: z.array(z.string()),
});
export type Organisme = z.infer<typeof organismeSchema>;

export const publicCheckSchema = z.object({
  found: z.boolean(),
  denomination: z.string().nullable(),
  nda: z.string().nullable(),
  siret: z.string().nullable(),
  siren: z.string().nullable(),
  qualiopi_actions_formation: z.boolean(),
  matches: z.number().int(),
  listImportedAt: z.string().nullable(),
  message: z.string(),
});
export type PublicCheck = z.infer<typeof publicCheckSchema>;

export const publicImportResultSchema = z.object({
  fileName: z.string(),
  rows: z.number().int(),
  skipped: z.number().int(),
  importedAt: z.string(),
});

// ----- Marchés -----
export const quoteSchema = z.object({
  id: idSchema,
  marcheId: idSchema,
  organismeId: idSchema,
  organismeName: z.string(),
  qualiopiLabel: z.string(),
  trainingId: idSchema.nullable(),
  trainingTitle: z.string().nullable(),
  reference: z.string().nullable(),
  quoteDate: z.string(),
  amountHtCents: z.number().int(),
  vatCents: z.number().int(),
  vatExemption: z.string().nullable(),
  amountTtcCents: z.number().int(),
  pricePerSeatCents: z.number().int(),
  hasFile: z.boolean(),
  chosen: z.boolean(),
});

export const paymentSchema = z.object({
  id: idSchema,
  invoiceId: idSchema,
  paymentDate: z.string(),
  amountCents: z.number().int(),
  mandateRef: z.string(),
  hasProof: z.boolean(),
});
export const invoiceSchema = z.object({
  id: idSchema,
  orderId: idSchema,
  number: z.string(),
  invoiceDate: z.string(),
  amountCents: z.number().int(),
  paidCents: z.number().int(),
  hasFile: z.boolean(),
  payments: z.array(paymentSchema),
});
export const orderSchema = z.object({
  id: idSchema,
  marcheId: idSchema,
  quoteId: idSchema,
  organismeId: idSchema,
  organismeName: z.string(),
  number: z.string(),
  orderDate: z.string(),
  amountHtCents: z.number().int(),
  amountTtcCents: z.number().int(),
  contractStart: z.string().nullable(),
  contractEnd: z.string().nullable(),
  otherProcedureRef: z.string().nullable(),
  otherProcedureDate: z.string().nullable(),
  thresholdCents: z.number().int(),
  yearTotalHtCents: z.number().int(),
  findings: z.array(findingSchema),
  invoicedCents: z.number().int(),
  paidCents: z.number().int(),
  remainingToInvoiceCents: z.number().int(),
  remainingToPayCents: z.number().int(),
  hasSignedOrder: z.boolean(),
  invoices: z.array(invoiceSchema),
});
export type Order = z.infer<typeof orderSchema>;

/** demande_de_devis: recorded on the need; premier_devis: bounded by the earliest quote; commande: neither, the order date. */
export const consultationDateSourceSchema = z.enum(['demande_de_devis', 'premier_devis', 'commande']);
export const anctReferencingStatusSchema = z.enum(['reference', 'preuve_manquante', 'non_reference', 'sans_objet']);

export const marcheSchema = z.object({
  id: idSchema,
  conventionId: idSchema,
  label: z.string(),
  kind: trainingKindSchema,
  kindLabel: z.string(),
  seats: z.number().int(),
  needStart: z.string().nullable(),
  needEnd: z.string().nullable(),
  chosenQuoteId: idSchema.nullable(),
  choiceReason: z.string().nullable(),
  choiceComparison: z.string().nullable(),
  choiceDate: z.string().nullable(),
  /** Date the consultation was engaged (demande de devis sent), as recorded; null when not recorded. */
  consultationDate: z.string().nullable(),
  /** The date the threshold rule reads: the recorded one, else the earliest quote (null: neither yet). */
  consultation: z.object({ date: z.string(), source: consultationDateSourceSchema }).nullable(),
  /** The chosen OF's referencing with ANCT: the step after the choice (null: no choice yet). */
  anctReferencing: z
    .object({ organismeId: idSchema, organismeName: z.string(), status: anctReferencingStatusSchema, referencedDate: z.string().nullable(), message: z.string() })
    .nullable(),
  quotes: z.array(quoteSchema),
  order: orderSchema.nullable(),
  /** The order, invoices and payments dated outside the convention's window (kept; ANCT may refuse them). */
  windowWarnings: z.array(z.string()),
  /** Where the record stands: need, devis, choix, commande, facturation, solde. */
  stage: z.enum(['besoin', 'devis', 'choix', 'commande', 'facturation', 'solde']),
  stageLabel: z.string(),
});
export type Marche = z.infer<typeof marcheSchema>;

export const orderEvaluationSchema = z.object({
  thresholdCents: z.number().int(),
  thresholdSource: z.string(),
  /** The threshold is read at this date: the consultation's (décret n° 2025-1386, art. 4), never the order's. */
  consultationDate: z.string(),
  consultationDateSource: consultationDateSourceSchema,
  yearTotalHtCents: z.number().int(),
  /** Of the year's total: the département's other training purchases (one figure per year). */
  otherPurchasesHtCents: z.number().int(),
  percent: z.number().int(),
  amountHtCents: z.number().int(),
  amountTtcCents: z.number().int(),
  findings: z.array(findingSchema),
  canSave: z.boolean(),
  needsAcknowledgement: z.boolean(),
});
export type OrderEvaluation = z.infer<typeof orderEvaluationSchema>;

const orderInput = z
  .object({
    marcheId: idSchema,
    number: z.string().max(60),
    orderDate: isoDateSchema,
    contractStart: nullableDate,
    contractEnd: nullableDate,
    otherProcedureRef: nullableText,
    otherProcedureDate: nullableDate,
    acceptWarnings: z.boolean().optional(),
  })
  .strict();

// ----- Dépenses et budget -----
/** formateurs_internes: pay of the CD's internal trainers (décret n° 2010-235), a budget line of its own. */
export const expenseKindSchema = z.enum(['frais_gestion', 'ingenierie', 'formateurs_internes']);
export const expenseSchema = z.object({
  id: idSchema,
  conventionId: idSchema,
  kind: expenseKindSchema,
  kindLabel: z.string(),
  engineeringActionId: idSchema.nullable(),
  engineeringActionLabel: z.string().nullable(),
  label: z.string(),
  expenseDate: z.string(),
  amountCents: z.number().int(),
  hasProof: z.boolean(),
  /** Dated outside the convention's window: kept, with this warning. */
  windowWarning: z.string().nullable(),
});
const expenseInput = z
  .object({
    conventionId: idSchema,
    kind: expenseKindSchema,
    engineeringActionId: idSchema.nullish(),
    label: z.string().max(300),
    expenseDate: isoDateSchema,
    amountCents: amountSchema,
    acceptWarnings: z.boolean().optional(),
  })
  .strict();
export const expenseCheckSchema = z.object({ findings: z.array(findingSchema), canSave: z.boolean(), needsAcknowledgement: z.boolean() });

/** A civil year of the buyer's training purchases: orders HT (all conventions) + the département's other purchases. */
export const otherPurchasesYearSchema = z.object({
  year: z.number().int(),
  amountHtCents: z.number().int(),
  note: z.string().nullable(),
  updatedAt: z.string().nullable(),
  ordersHtCents: z.number().int(),
  totalHtCents: z.number().int(),
});
export type OtherPurchasesYear = z.infer<typeof otherPurchasesYearSchema>;

export const budgetSchema = z.object({
  conventionId: idSchema,
  amountCents: z.number().int(),
  receivedCents: z.number().int(),
  committedCents: z.number().int(),
  invoicedCents: z.number().int(),
  paidCents: z.number().int(),
  fraisGestionPlannedCents: z.number().int(),
  fraisGestionSpentCents: z.number().int(),
  engineeringPlannedCents: z.number().int(),
  engineeringSpentCents: z.number().int(),
  /** Pay of the CD's internal trainers (décret n° 2010-235). */
  internalTrainersSpentCents: z.number().int(),
  totalCommittedCents: z.number().int(),
  remainingCents: z.number().int(),
  overspentCents: z.number().int(),
  departures: z.object({ done: z.number().int(), target: z.number().int() }),
  reliquat: z.object({ allowed: z.boolean(), missing: z.number().int(), message: z.string() }),
});
export type Budget = z.infer<typeof budgetSchema>;

const ref = z.object({ id: idSchema }).strict();

const quoteFields = {
  organismeId: idSchema,
  trainingId: idSchema.nullish(),
  reference: nullableText,
  quoteDate: isoDateSchema,
  amountHtCents: amountSchema,
  /** Empty text = no VAT (the form says « laisser vide si exonéré »; the exemption reason is then required). */
  vatCents: amountBlankIsZeroSchema,
  vatExemption: nullableText,
};

export const marcheChannels = {
  'marche.of.list': { input: z.object({}).strict(), output: z.array(organismeSchema) },
  'marche.of.get': { input: ref, output: organismeSchema },
  'marche.of.create': { input: organismeInput, output: organismeSchema },
  'marche.of.update': { input: z.object({ id: idSchema, patch: organismeInput.partial() }).strict(), output: organismeSchema },
  'marche.of.addTraining': {
    input: z
      .object({
        organismeId: idSchema,
        kind: trainingKindSchema,
        title: z.string().max(300),
        hours: z.number().positive().max(1000).nullish(),
        priceCents: optionalAmountSchema,
        priceUnit: z.enum(['place', 'session']).nullish(),
      })
      .strict(),
    output: organismeSchema,
  },
  'marche.of.check': {
    input: z.object({ query: z.string().max(40) }).strict(),
    output: publicCheckSchema,
  },
  'marche.publicList.status': {
    input: z.object({}).strict(),
    output: z.object({ rows: z.number().int(), fileName: z.string().nullable(), importedAt: z.string().nullable() }),
  },
  /** Import sent by the screen in pieces of text (streamed from the picked file). */
  'marche.publicList.importChunk': {
    input: z
      .object({
        uploadId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
        fileName: z.string().max(255),
        /** A piece of the file as text (decoded by the sender)… */
        text: z.string().max(1_500_000).optional(),
        /** …or as bytes (base64), decoded here: UTF-8, BOM or Windows-1252 (€ ’ œ). */
        bytesBase64: z.string().max(1_500_000).optional(),
        last: z.boolean(),
        /** Replace the stored list even by one less than half as long (asked by a `conflict` error). */
        confirmShrink: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ done: z.boolean(), rowsSoFar: z.number().int(), result: publicImportResultSchema.nullable() }),
  },

  'marche.list': { input: z.object({ conventionId: idSchema }).strict(), output: z.array(marcheSchema) },
  'marche.get': { input: ref, output: marcheSchema },
  'marche.create': {
    input: z
      .object({
        conventionId: idSchema,
        label: z.string().max(300),
        kind: trainingKindSchema,
        seats: z.number().int().min(1).max(100_000),
        needStart: nullableDate,
        needEnd: nullableDate,
        consultationDate: nullableDate,
      })
      .strict(),
    output: marcheSchema,
  },
  /**
   * Records (or corrects) the date the consultation was engaged — the demande de devis sent. Once
   * the order is issued, its rules (threshold by that date) run again (acceptWarnings).
   */
  'marche.setConsultationDate': {
    input: z.object({ marcheId: idSchema, consultationDate: isoDateSchema.nullable(), acceptWarnings: z.boolean().optional() }).strict(),
    output: marcheSchema,
  },
  'marche.addQuote': {
    input: z
      .object({
        marcheId: idSchema,
        ...quoteFields,
      })
      .strict(),
    output: marcheSchema,
  },
  /** Correction of a quote; when it is the ordered one, the order's rules run again (acceptWarnings). */
  'marche.updateQuote': {
    input: z.object({ id: idSchema, ...quoteFields, acceptWarnings: z.boolean().optional() }).strict(),
    output: marcheSchema,
  },
  /** Refused for the quote of an issued order (and any quote once ordered); a chosen quote takes its choice with it. */
  'marche.deleteQuote': { input: ref, output: marcheSchema },
  'marche.choose': {
    input: z.object({ marcheId: idSchema, quoteId: idSchema, reason: longText, comparison: longText.nullish(), choiceDate: nullableDate }).strict(),
    output: marcheSchema,
  },
  'marche.checkOrder': { input: orderInput, output: orderEvaluationSchema },
  'marche.createOrder': { input: orderInput, output: marcheSchema },
  /** Correction of the issued order: every rule of its creation is checked again. */
  'marche.updateOrder': { input: orderInput, output: marcheSchema },
  /** Refused while the order has invoices or sessions. */
  'marche.deleteOrder': { input: ref, output: marcheSchema },
  'marche.addInvoice': {
    input: z.object({ orderId: idSchema, number: z.string().max(60), invoiceDate: isoDateSchema, amountCents: amountSchema }).strict(),
    output: marcheSchema,
  },
  'marche.addPayment': {
    input: z.object({ invoiceId: idSchema, paymentDate: isoDateSchema, amountCents: amountSchema, mandateRef: z.string().max(100) }).strict(),
    output: marcheSchema,
  },
  'marche.updateInvoice': {
    input: z.object({ id: idSchema, number: z.string().max(60), invoiceDate: isoDateSchema, amountCents: amountSchema }).strict(),
    output: marcheSchema,
  },
  /** Refused while the invoice has payments. */
  'marche.deleteInvoice': { input: ref, output: marcheSchema },
  'marche.updatePayment': {
    input: z.object({ id: idSchema, paymentDate: isoDateSchema, amountCents: amountSchema, mandateRef: z.string().max(100) }).strict(),
    output: marcheSchema,
  },
  'marche.deletePayment': { input: ref, output: marcheSchema },
  /** Pre-filled PDFs the officer prints and signs. */
  'marche.pdf': {
    input: z.object({ marcheId: idSchema, document: z.enum(['bon_de_commande', 'note_de_choix']) }).strict(),
    output: z.object({ fileName: z.string(), contentBase64: z.string() }),
  },

  'marche.expenses.list': { input: z.object({ conventionId: idSchema }).strict(), output: z.array(expenseSchema) },
  'marche.expenses.check': { input: expenseInput, output: expenseCheckSchema },
  'marche.expenses.create': { input: expenseInput, output: expenseSchema },
  'marche.expenses.update': { input: expenseInput.omit({ conventionId: true }).extend({ id: idSchema }).strict(), output: expenseSchema },
  'marche.expenses.delete': { input: ref, output: z.object({ id: idSchema }) },
  'marche.budget': { input: z.object({ conventionId: idSchema }).strict(), output: budgetSchema },
  'marche.thresholds': {
    input: z.object({}).strict(),
    output: z.array(z.object({ from: z.string().nullable(), until: z.string().nullable(), cents: z.number().int(), source: z.string(), appliesTo: z.string() })),
  },
  /** The département's other training purchases, one figure HT per civil year, beside the orders of the year. */
  'marche.otherPurchases.list': { input: z.object({}).strict(), output: z.array(otherPurchasesYearSchema) },
  /** Sets the figure of a year (0 without a note removes it); counted in the annual sum of the threshold. */
  'marche.otherPurchases.set': {
    input: z.object({ year: z.number().int().min(2000).max(2100), amountHtCents: amountSchema, note: nullableText }).strict(),
    output: z.array(otherPurchasesYearSchema),
  },
} as const;
