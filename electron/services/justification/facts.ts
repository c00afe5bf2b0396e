// What the readiness checklist and the dossier read: the convention, every euro spent (needs,
// quotes, orders, invoices, payments, other expenses) and every departure, each with the
// pièces attached to it. Gathered once, in one place; the checklist (checklist.ts) and the
// dossier (dossier.ts) only interpret these facts, so they can never disagree.
import { acStepsOfConvention, type AcStepsOfSession } from '../sessions/ac-steps';
import type { Convention } from '../../../shared/ipc/channels/convention';
import type { Marche } from '../../../shared/ipc/channels/marche';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { listExpenses } from '../marche/expenses';
import { getOrganisme } from '../marche/organismes';
import { listMarches } from '../marche/service';
import { loadDepartures, type DepartureFact } from './departure-facts';

export type { DepartureFact } from './departure-facts';

export interface PieceFact {
  id: number;
  sha256: string;
  originalName: string;
  mimeType: string;
  size: number;
  ownerType: string;
  ownerId: number;
  role: string;
}

export interface OrganismeFact {
  id: number;
  name: string;
  isInternal: boolean;
  siret: string | null;
  nda: string | null;
  qualiopiActionsFormation: boolean;
  qualiopiIssuer: string | null;
  qualiopiNumber: string | null;
  qualiopiValidFrom: string | null;
  qualiopiValidUntil: string | null;
  anctReferencedDate: string | null;
}

export interface ExpenseFact {
  id: number;
  kind: 'frais_gestion' | 'ingenierie' | 'formateurs_internes';
  kindLabel: string;
  label: string;
  engineeringActionLabel: string | null;
  expenseDate: string;
  amountCents: number;
  hasProof: boolean;
}

export interface DossierFacts {
  convention: Convention;
  marches: Marche[];
  expenses: ExpenseFact[];
  organismes: Map<number, OrganismeFact>;
  departures: DepartureFact[];
  /** Every pièce attached to a record of this convention, by "ownerType:ownerId". */
  pieces: Map<string, PieceFact[]>;
  /** The Aidants Connect steps missing in the convention's sessions (sessions/ac-steps.ts). */
  acSteps: AcStepsOfSession[];
}

export function piecesOf(f: Pick<DossierFacts, 'pieces'>, ownerType: string, ownerId: number, role?: string): PieceFact[] {
  const list = f.pieces.get(`${ownerType}:${ownerId}`) ?? [];
  return role === undefined ? list : list.filter((p) => p.role === role);
}

async function organismeFact(ctx: ServiceContext, id: number): Promise<OrganismeFact> {
  const o = await getOrganisme(ctx, id);
  return {
    id: o.id,
    name: o.name,
    isInternal: o.isInternal,
    siret: o.siret,
    nda: o.nda,
    qualiopiActionsFormation: o.qualiopiActionsFormation,
    qualiopiIssuer: o.qualiopiIssuer,
    qualiopiNumber: o.qualiopiNumber,
    qualiopiValidFrom: o.qualiopiValidFrom,
    qualiopiValidUntil: o.qualiopiValidUntil,
    anctReferencedDate: o.anctReferencedDate,
  };
}

export async function gatherFacts(ctx: ServiceContext, conventionId: number): Promise<DossierFacts> {
  const convention = await getConvention(ctx, conventionId);
  const marches = await listMarches(ctx, conventionId);
  const expenses = (await listExpenses(ctx, conventionId)).map((e) => ({
    id: e.id,
    kind: e.kind,
    kindLabel: e.kindLabel,
    label: e.label,
    engineeringActionLabel: e.engineeringActionLabel,
    expenseDate: e.expenseDate,
    amountCents: e.amountCents,
    hasProof: e.hasProof,
  }));
  const departures = await loadDepartures(ctx, conventionId);

  const organismes = new Map<number, OrganismeFact>();
  const ofIds = new Set<number>();
  for (const m of marches) {
    for (const q of m.quotes) ofIds.add(q.organismeId);
    if (m.order) ofIds.add(m.order.organismeId);
  }
  for (const d of departures) if (d.organismeId !== null) ofIds.add(d.organismeId);
  for (const id of [...ofIds].sort((a, b) => a - b)) organismes.set(id, await organismeFact(ctx, id));

  const owners: [string, number[]][] = [
    ['convention', [conventionId]],
    ['organisme', [...organismes.keys()]],
    ['quote', marches.flatMap((m) => m.quotes.map((q) => q.id))],
    ['order', marches.flatMap((m) => (m.order ? [m.order.id] : []))],
    ['invoice', marches.flatMap((m) => m.order?.invoices.map((i) => i.id) ?? [])],
    ['payment', marches.flatMap((m) => m.order?.invoices.flatMap((i) => i.payments.map((p) => p.id)) ?? [])],
    ['expense', expenses.map((e) => e.id)],
    ['session', [...new Set(departures.map((d) => d.sessionId))]],
    ['registration', departures.map((d) => d.registrationId)],
  ];
  const pieces = new Map<string, PieceFact[]>();
  for (const [ownerType, ids] of owners) {
    if (ids.length === 0) continue;
    const rows = await ctx.store.db
      .selectFrom('pieces')
      .select(['id', 'sha256', 'original_name', 'mime_type', 'size', 'owner_type', 'owner_id', 'role'])
      .where('owner_type', '=', ownerType)
      .where('owner_id', 'in', ids)
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const key = `${r.owner_type}:${r.owner_id}`;
      const list = pieces.get(key) ?? [];
      list.push({ id: r.id, sha256: r.sha256, originalName: r.original_name, mimeType: r.mime_type, size: r.size, ownerType: r.owner_type, ownerId: r.owner_id, role: r.role });
      pieces.set(key, list);
    }
  }
  const acSteps = await acStepsOfConvention(ctx, conventionId);
  return { convention, marches, expenses, organismes, departures, pieces, acSteps };
}
