// The consultation of training organisations for one need of the Marché: the demande de devis /
// cahier des charges (free texts stored as the officer edited them, defaults built from the need),
// the organisations consulted, and the comparison of the quotes received (the Marché's quotes of
// the same need), side by side with what the rules say about each organisation.
import type { Consultation, ConsultationInput, QuoteComparison } from '../../../shared/ipc/channels/documents';
import { recordAudit } from '../audit';
import { frDate, isValidIsoDate } from '../common/dates';
import { isoToday, type ServiceContext, writeTransaction } from '../context';
import { getConvention } from '../convention/service';
import { AppError, throwIfFieldErrors } from '../errors';
import { getOrganisme } from '../marche/organismes';
import { checkOrganisme, trainingKindLabels } from '../marche/rules';
import { getMarche } from '../marche/service';
import {
  DEFAULT_ANSWER_DAYS,
  defaultGroups,
  defaultTexts,
  documentsToReturn,
  modalityLabels,
  periodText,
  requirementsFor,
} from './consultation-texts';

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

/** Eligible professionals of the census who wish a training this need covers. */
async function wishingCount(ctx: ServiceContext, kind: 'AN' | 'AN_AC' | 'AC'): Promise<number> {
  const wishes: ('AN' | 'AC' | 'AN_AC')[] = kind === 'AN' ? ['AN', 'AN_AC'] : kind === 'AC' ? ['AC', 'AN_AC'] : ['AN_AC'];
  const r = await ctx.store.db
    .selectFrom('people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('eligible', '=', 1)
    .where('training_wish', 'in', wishes)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function getConsultation(ctx: ServiceContext, marcheId: number): Promise<Consultation> {
  const m = await getMarche(ctx, marcheId);
  const c = await getConvention(ctx, m.conventionId);
  const row = await ctx.store.db.selectFrom('consultations').selectAll().where('marche_id', '=', marcheId).executeTakeFirst();
  const organismeIds = row
    ? (await ctx.store.db.selectFrom('consultation_organismes').select('organisme_id').where('consultation_id', '=', row.id).orderBy('organisme_id').execute()).map((r) => r.organisme_id)
    : [];
  const wishing = await wishingCount(ctx, m.kind);
  const groups = row?.groups ?? defaultGroups(m.seats);
  const defaults = defaultTexts(c, m, { groups, wishing });
  const docs = documentsToReturn(m.kind);
  return {
    marcheId,
    saved: row !== undefined,
    updatedAt: row?.updated_at ?? null,
    reference: row?.reference ?? `DD-${m.conventionId}-${m.id}`,
    deadline: row?.deadline ?? addDays(isoToday(ctx), DEFAULT_ANSWER_DAYS),
    groups,
    modality: row?.modality ?? 'presentiel',
    contact: row?.contact ?? null,
    contextText: row?.context_text ?? defaults.contextText,
    publicText: row?.public_text ?? defaults.publicText,
    placesText: row?.places_text ?? defaults.placesText,
    contentText: row?.content_text ?? defaults.contentText,
    criteriaText: row?.criteria_text ?? defaults.criteriaText,
    otherText: row?.other_text ?? null,
    organismeIds,
    defaults,
    need: {
      label: m.label,
      kind: m.kind,
      kindLabel: trainingKindLabels[m.kind],
      seats: m.seats,
      needStart: m.needStart,
      needEnd: m.needEnd,
      period: periodText(m),
      conventionLabel: c.label,
      beneficiaireNom: c.beneficiaireNom,
      departement: c.departement,
      wishing,
    },
    modalityLabel: modalityLabels[row?.modality ?? 'presentiel'],
    requirements: requirementsFor(m.kind),
    documentsWithOffer: docs.withOffer,
    documentsAfterSessions: docs.afterSessions,
  };
}

const clean = (s: string | null | undefined) => {
  const t = (s ?? '').trim();
  return t === '' ? null : t;
};

export async function saveConsultation(ctx: ServiceContext, input: ConsultationInput): Promise<Consultation> {
  const m = await getMarche(ctx, input.marcheId);
  const e: Record<string, string> = {};
  if (!isValidIsoDate(input.deadline)) e.deadline = 'Date limite de réponse invalide.';
  else if (input.deadline < isoToday(ctx) && !(await ctx.store.db.selectFrom('consultations').select('id').where('marche_id', '=', m.id).executeTakeFirst())) {
    e.deadline = `La date limite de réponse (${frDate(input.deadline)}) est déjà passée.`;
  }
  if (input.groups > m.seats) e.groups = `${input.groups} groupes pour ${m.seats} places : il faut au moins une place par groupe.`;
  const texts = { contextText: 'le contexte', publicText: 'le public', placesText: 'les lieux et le calendrier', contentText: 'le contenu attendu', criteriaText: 'les critères de choix' } as const;
  for (const [k, what] of Object.entries(texts) as [keyof typeof texts, string][]) if (!clean(input[k])) e[k] = `Décrivez ${what} (le texte proposé peut être repris).`;
  const ids = [...new Set(input.organismeIds)];
  if (ids.length) {
    const ofs = await ctx.store.db.selectFrom('organismes').select(['id', 'name', 'is_internal']).where('id', 'in', ids).execute();
    const missing = ids.filter((id) => !ofs.some((o) => o.id === id));
    if (missing.length) e.organismeIds = `Organisme${missing.length > 1 ? 's' : ''} introuvable${missing.length > 1 ? 's' : ''} : n° ${missing.join(', ')}.`;
    const internal = ofs.find((o) => o.is_internal === 1);
    if (internal) e.organismeIds = 'Les formateurs internes du CD ne sont pas consultés : ils ne remettent pas de devis.';
  }
  throwIfFieldErrors(e, 'La demande de devis ne peut pas être enregistrée.');
  const now = ctx.now().toISOString();
  const values = {
    reference: clean(input.reference),
    deadline: input.deadline,
    groups: input.groups,
    modality: input.modality,
    contact: clean(input.contact),
    context_text: clean(input.contextText)!,
    public_text: clean(input.publicText)!,
    places_text: clean(input.placesText)!,
    content_text: clean(input.contentText)!,
    criteria_text: clean(input.criteriaText)!,
    other_text: clean(input.otherText),
  };
  await writeTransaction(ctx, async (trx) => {
    const before = await trx.selectFrom('consultations').selectAll().where('marche_id', '=', m.id).executeTakeFirst();
    let id: number;
    let beforeOfs: number[] = [];
    if (before) {
      id = before.id;
      beforeOfs = (await trx.selectFrom('consultation_organismes').select('organisme_id').where('consultation_id', '=', id).execute()).map((r) => r.organisme_id);
      await trx.updateTable('consultations').set({ ...values, updated_at: now }).where('id', '=', id).execute();
      await trx.deleteFrom('consultation_organismes').where('consultation_id', '=', id).execute();
    } else {
      const r = await trx
        .insertInto('consultations')
        .values({ ...values, marche_id: m.id, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = r.id;
    }
    if (ids.length) await trx.insertInto('consultation_organismes').values(ids.map((organisme_id) => ({ consultation_id: id, organisme_id }))).execute();
    await recordAudit(trx, ctx, {
      action: before ? 'update' : 'create',
      entity: 'consultations',
      entityId: id,
      before: before ? { ...before, organismeIds: beforeOfs } : undefined,
      after: { ...values, marche_id: m.id, organismeIds: ids },
    });
  });
  return getConsultation(ctx, m.id);
}

/** The quotes received for the need, side by side, with each organisation's checks at the quote date. */
export async function compareQuotes(ctx: ServiceContext, marcheId: number): Promise<QuoteComparison> {
  const m = await getMarche(ctx, marcheId);
  const cons = await getConsultation(ctx, marcheId);
  const deadline = cons.saved ? cons.deadline : null;
  const offers = [];
  for (const q of m.quotes) {
    const of = await getOrganisme(ctx, q.organismeId);
    const training = q.trainingId ? of.trainings.find((t) => t.id === q.trainingId) : undefined;
    const findings = checkOrganisme(
      {
        name: of.name,
        isInternal: of.isInternal,
        qualiopiActionsFormation: of.qualiopiActionsFormation,
        qualiopiValidFrom: of.qualiopiValidFrom,
        qualiopiValidUntil: of.qualiopiValidUntil,
        anctReferencedDate: of.anctReferencedDate,
      },
      m.kind,
      q.quoteDate,
    );
    offers.push({
      quoteId: q.id,
      organismeId: of.id,
      organismeName: of.name,
      consulted: cons.organismeIds.includes(of.id),
      quoteDate: q.quoteDate,
      late: deadline !== null && q.quoteDate > deadline,
      reference: q.reference,
      trainingTitle: q.trainingTitle,
      hours: training?.hours ?? null,
      amountHtCents: q.amountHtCents,
      vatCents: q.vatCents,
      vatExemption: q.vatExemption,
      amountTtcCents: q.amountTtcCents,
      pricePerSeatCents: q.pricePerSeatCents,
      pricePerGroupCents: Math.round(q.amountTtcCents / cons.groups),
      qualiopiLabel: q.qualiopiLabel,
      hasQualiopiCertificate: of.hasQualiopiCertificate,
      nda: of.nda,
      anctReferencedDate: of.anctReferencedDate,
      // Every kind of training: the chosen OF is referenced with ANCT after the choice (never a condition to answer).
      anctRequired: true,
      hasQuoteFile: q.hasFile,
      problems: findings.filter((f) => f.level === 'refus').map((f) => f.message),
      cheapest: false,
      chosen: q.chosen,
    });
  }
  const admissible = offers.filter((o) => o.problems.length === 0);
  if (admissible.length) {
    const min = Math.min(...admissible.map((o) => o.amountTtcCents));
    for (const o of admissible) o.cheapest = o.amountTtcCents === min;
  }
  const answered = new Set(offers.map((o) => o.organismeId));
  const silent = [];
  for (const id of cons.organismeIds) {
    if (answered.has(id)) continue;
    const of = await getOrganisme(ctx, id);
    silent.push({ organismeId: id, organismeName: of.name });
  }
  return { marcheId, deadline, groups: cons.groups, seats: m.seats, offers, consultedWithoutAnswer: silent };
}

export function assertConsultationSaved(c: Consultation): void {
  if (!c.saved) throw new AppError('validation', 'Enregistrez d’abord la demande de devis (textes, date limite) : le document est produit à partir d’elle.');
}
