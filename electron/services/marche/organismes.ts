// Training organisations (OF): identity, Qualiopi certification for actions de formation,
// ANCT referencing (Aidants Connect), trainings offered. The CD's internal trainers are a
// provider created by the migration (AN only, never bought).
import type { Selectable } from 'kysely';
import type { Organisme, OrganismeInput } from '../../../shared/ipc/channels/marche';
import type { OrganismesTable, TrainingKind } from '../../db/tables/marche';
import { recordAudit } from '../audit';
import { frDate, isValidIsoDate } from '../common/dates';
import { compactDigits, isValidSiret } from '../common/identifiers';
import { isoToday, type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { checkTrainingKindForOrganisme, qualiopiStatus, trainingKindLabels, type OrganismeFacts } from './rules';

type Row = Selectable<OrganismesTable>;

export function organismeFacts(r: Row): OrganismeFacts {
  return {
    name: r.name,
    isInternal: r.is_internal === 1,
    qualiopiActionsFormation: r.qualiopi_actions_formation === 1,
    qualiopiValidFrom: r.qualiopi_valid_from,
    qualiopiValidUntil: r.qualiopi_valid_until,
    anctReferencedDate: r.anct_referenced_date,
  };
}

/** NDA: 11 digits. Anything else is kept (typed by the officer) but flagged. */
export function ndaWarning(nda: string | null): string | null {
  if (nda === null) return null;
  return /^\d{11}$/.test(nda) ? null : `Le numéro de déclaration d’activité (NDA) « ${nda} » ne comporte pas 11 chiffres : vérifiez-le.`;
}

async function publicListWarnings(ctx: ServiceContext, r: Row): Promise<string[]> {
  if (r.is_internal === 1 || (!r.siret && !r.nda)) return [];
  const imported = await ctx.store.db.selectFrom('public_of_imports').select('id').executeTakeFirst();
  if (!imported) return [];
  let q = ctx.store.db.selectFrom('public_of_list').select(['qualiopi_actions_formation', 'nda', 'siret']);
  q = q.where((eb) => eb.or([...(r.siret ? [eb('siret', '=', r.siret)] : []), ...(r.nda ? [eb('nda', '=', r.nda)] : [])]));
  const rows = await q.execute();
  if (rows.length === 0) {
    return ['Cet organisme (SIRET ou NDA) est absent de la liste publique des organismes de formation importée.'];
  }
  const qualiopi = rows.some((x) => x.qualiopi_actions_formation === 1);
  if (r.qualiopi_actions_formation === 1 && !qualiopi) {
    return ['La liste publique des organismes de formation n’indique pas de certification Qualiopi « actions de formation » pour cet organisme.'];
  }
  return [];
}

export async function getOrganisme(ctx: ServiceContext, id: number): Promise<Organisme> {
  const r = await ctx.store.db.selectFrom('organismes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw notFound(`L’organisme de formation n° ${id}`);
  return toOrganisme(ctx, r);
}

async function toOrganisme(ctx: ServiceContext, r: Row): Promise<Organisme> {
  const trainings = await ctx.store.db.selectFrom('organisme_trainings').selectAll().where('organisme_id', '=', r.id).orderBy('id').execute();
  const roles = new Set(
    (
      await ctx.store.db
        .selectFrom('pieces')
        .select('role')
        .where('owner_type', '=', 'organisme')
        .where('owner_id', '=', r.id)
        .where('role', 'in', ['certificat_qualiopi', 'referencement_anct'])
        .execute()
    ).map((p) => p.role),
  );
  const cert = roles.has('certificat_qualiopi');
  const facts = organismeFacts(r);
  const warnings: string[] = [];
  const nda = ndaWarning(r.nda);
  if (nda) warnings.push(nda);
  if (r.is_internal === 0 && r.qualiopi_actions_formation === 1 && !cert) warnings.push('Le certificat Qualiopi n’est pas joint.');
  if (r.is_internal === 0 && r.anct_referenced_date !== null && !roles.has('referencement_anct')) {
    warnings.push(`La preuve du référencement ANCT du ${frDate(r.anct_referenced_date)} n’est pas jointe (le référencement de l’organisme retenu, après le choix, vaut pour tout type de formation).`);
  }
  const q = qualiopiStatus(facts, isoToday(ctx));
  if (q.status === 'expire_bientot') warnings.push(`La certification Qualiopi expire le ${frDate(r.qualiopi_valid_until!)} (dans ${q.daysLeft} jours).`);
  if (q.status === 'expire') warnings.push(`La certification Qualiopi a expiré le ${frDate(r.qualiopi_valid_until!)}.`);
  warnings.push(...(await publicListWarnings(ctx, r)));
  return {
    id: r.id,
    name: r.name,
    isInternal: r.is_internal === 1,
    siret: r.siret,
    nda: r.nda,
    address: r.address,
    postcode: r.postcode,
    city: r.city,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    qualiopiActionsFormation: r.qualiopi_actions_formation === 1,
    qualiopiIssuer: r.qualiopi_issuer,
    qualiopiNumber: r.qualiopi_number,
    qualiopiValidFrom: r.qualiopi_valid_from,
    qualiopiValidUntil: r.qualiopi_valid_until,
    anctReferencedDate: r.anct_referenced_date,
    anctReferenceNote: r.anct_reference_note,
    notes: r.notes,
    qualiopi: q,
    hasQualiopiCertificate: cert,
    trainings: trainings.map((t) => ({
      id: t.id,
      organismeId: t.organisme_id,
      kind: t.kind,
      kindLabel: trainingKindLabels[t.kind],
      title: t.title,
      hours: t.hours,
      priceCents: t.price_cents,
      priceUnit: t.price_unit,
    })),
    warnings,
  };
}

export async function listOrganismes(ctx: ServiceContext): Promise<Organisme[]> {
  const rows = await ctx.store.db.selectFrom('organismes').selectAll().orderBy('is_internal', 'desc').orderBy('name').execute();
  return Promise.all(rows.map((r) => toOrganisme(ctx, r)));
}

function blank(s: string | null | undefined): string | null {
  if (s === undefined || s === null) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

interface Values {
  name: string;
  siret: string | null;
  nda: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  qualiopi_actions_formation: number;
  qualiopi_issuer: string | null;
  qualiopi_number: string | null;
  qualiopi_valid_from: string | null;
  qualiopi_valid_until: string | null;
  anct_referenced_date: string | null;
  anct_reference_note: string | null;
  notes: string | null;
}

function valuesFrom(input: Partial<OrganismeInput>, base?: Row): Values {
  const has = (k: keyof OrganismeInput) => k in input;
  const text = (k: keyof OrganismeInput, b: string | null | undefined) => (has(k) ? blank(input[k] as string | null | undefined) : (b ?? null));
  const siret = text('siret', base?.siret);
  const nda = text('nda', base?.nda);
  return {
    name: (has('name') ? (input.name ?? '') : (base?.name ?? '')).trim(),
    siret: siret === null ? null : compactDigits(siret),
    nda: nda === null ? null : compactDigits(nda),
    address: text('address', base?.address),
    postcode: text('postcode', base?.postcode),
    city: text('city', base?.city),
    contact_name: text('contactName', base?.contact_name),
    contact_email: text('contactEmail', base?.contact_email),
    contact_phone: text('contactPhone', base?.contact_phone),
    qualiopi_actions_formation: has('qualiopiActionsFormation') ? (input.qualiopiActionsFormation ? 1 : 0) : (base?.qualiopi_actions_formation ?? 0),
    qualiopi_issuer: text('qualiopiIssuer', base?.qualiopi_issuer),
    qualiopi_number: text('qualiopiNumber', base?.qualiopi_number),
    qualiopi_valid_from: text('qualiopiValidFrom', base?.qualiopi_valid_from),
    qualiopi_valid_until: text('qualiopiValidUntil', base?.qualiopi_valid_until),
    anct_referenced_date: text('anctReferencedDate', base?.anct_referenced_date),
    anct_reference_note: text('anctReferenceNote', base?.anct_reference_note),
    notes: text('notes', base?.notes),
  };
}

export function organismeFieldErrors(v: Values, isInternal: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (v.name === '') e.name = 'Le nom de l’organisme est obligatoire.';
  if (!isInternal) {
    if (v.siret === null) e.siret = 'Le SIRET de l’organisme est obligatoire (il figure sur le devis).';
    else if (!/^\d{14}$/.test(v.siret)) e.siret = 'Le SIRET doit comporter 14 chiffres.';
    else if (!isValidSiret(v.siret)) e.siret = `Le SIRET ${v.siret} n’est pas valide (clé de contrôle incorrecte).`;
  } else if (v.siret !== null) e.siret = 'Les formateurs internes du CD n’ont pas de SIRET propre.';
  for (const [k, label] of [
    ['qualiopi_valid_from', 'qualiopiValidFrom'],
    ['qualiopi_valid_until', 'qualiopiValidUntil'],
    ['anct_referenced_date', 'anctReferencedDate'],
  ] as const) {
    const d = v[k];
    if (d !== null && !isValidIsoDate(d)) e[label] = 'Date invalide.';
  }
  if (v.qualiopi_actions_formation === 1) {
    if (isInternal) e.qualiopiActionsFormation = 'Les formateurs internes ne relèvent pas de Qualiopi.';
    if (v.qualiopi_valid_until === null) e.qualiopiValidUntil = 'Indiquez la date de fin de validité du certificat Qualiopi.';
    if (v.qualiopi_issuer === null) e.qualiopiIssuer = 'Indiquez l’organisme certificateur (ex. AFNOR Certification, Bureau Veritas).';
  }
  if (v.qualiopi_valid_from && v.qualiopi_valid_until && v.qualiopi_valid_until < v.qualiopi_valid_from) {
    e.qualiopiValidUntil = `La fin de validité (${frDate(v.qualiopi_valid_until)}) précède le début (${frDate(v.qualiopi_valid_from)}).`;
  }
  if (v.contact_email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.contact_email)) e.contactEmail = 'Adresse électronique invalide.';
  return e;
}

export async function createOrganisme(ctx: ServiceContext, input: OrganismeInput): Promise<Organisme> {
  const v = valuesFrom(input);
  throwIfFieldErrors(organismeFieldErrors(v, false), 'L’organisme ne peut pas être enregistré.');
  const dup = await ctx.store.db.selectFrom('organismes').select(['id', 'name']).where('siret', '=', v.siret).executeTakeFirst();
  if (dup) throw new AppError('conflict', `Un organisme avec ce SIRET existe déjà : ${dup.name} (n° ${dup.id}).`, { fields: { siret: 'SIRET déjà enregistré.' } });
  const now = ctx.now().toISOString();
  const id = await writeTransaction(ctx, async (trx) => {
    const { id } = await trx.insertInto('organismes').values({ ...v, is_internal: 0, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'organisme', entityId: id, after: v });
    return id;
  });
  return getOrganisme(ctx, id);
}

export async function updateOrganisme(ctx: ServiceContext, id: number, patch: Partial<OrganismeInput>): Promise<Organisme> {
  const before = await ctx.store.db.selectFrom('organismes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound(`L’organisme de formation n° ${id}`);
  const v = valuesFrom(patch, before);
  throwIfFieldErrors(organismeFieldErrors(v, before.is_internal === 1), 'L’organisme ne peut pas être enregistré.');
  if (v.siret !== null) {
    const dup = await ctx.store.db.selectFrom('organismes').select(['id', 'name']).where('siret', '=', v.siret).where('id', '!=', id).executeTakeFirst();
    if (dup) throw new AppError('conflict', `Un organisme avec ce SIRET existe déjà : ${dup.name} (n° ${dup.id}).`, { fields: { siret: 'SIRET déjà enregistré.' } });
  }
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('organismes').set({ ...v, updated_at: ctx.now().toISOString() }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'update', entity: 'organisme', entityId: id, before, after: v });
  });
  return getOrganisme(ctx, id);
}

export async function addTraining(
  ctx: ServiceContext,
  input: { organismeId: number; kind: TrainingKind; title: string; hours?: number | null; priceCents?: number | null; priceUnit?: 'place' | 'session' | null },
): Promise<Organisme> {
  const of = await ctx.store.db.selectFrom('organismes').selectAll().where('id', '=', input.organismeId).executeTakeFirst();
  if (!of) throw notFound(`L’organisme de formation n° ${input.organismeId}`);
  const e: Record<string, string> = {};
  const title = input.title.trim();
  if (title === '') e.title = 'Donnez l’intitulé de la formation.';
  const kindError = checkTrainingKindForOrganisme({ isInternal: of.is_internal === 1 }, input.kind);
  if (kindError) e.kind = kindError;
  const priceCents = input.priceCents ?? null;
  const priceUnit = input.priceUnit ?? null;
  if ((priceCents === null) !== (priceUnit === null)) e.priceUnit = 'Indiquez le prix avec son unité (par place ou par session).';
  throwIfFieldErrors(e, 'La formation ne peut pas être enregistrée.');
  await writeTransaction(ctx, async (trx) => {
    const { id } = await trx
      .insertInto('organisme_trainings')
      .values({ organisme_id: of.id, kind: input.kind, title, hours: input.hours ?? null, price_cents: priceCents, price_unit: priceUnit, created_at: ctx.now().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'create', entity: 'organisme_training', entityId: id, after: input });
  });
  return getOrganisme(ctx, of.id);
}
