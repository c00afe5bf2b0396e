// Shared set-up of the sessions tests: a convention, an ANCT-referenced OF with an Aidants
// Connect order, a structure and people created through the same channels as the screens.
import type { ServiceContext } from '../../electron/services/context';
import { dispatch } from '../../electron/services/handlers';
import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import type { IpcError } from '../../shared/ipc/envelope';
import { creuseConvention } from '../helpers/app';

export async function api<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const env = await dispatch(ctx, channel, input);
  if (!env.ok) throw Object.assign(new Error(`${channel}: ${env.error.message}`), { ipc: env.error });
  return env.value as OutputOf<C>;
}

export async function refused<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<IpcError> {
  const env = await dispatch(ctx, channel, input);
  if (env.ok) throw new Error(`${channel} should have been refused`);
  return env.error;
}

export const MEDNUM = {
  name: 'Mednum Formation',
  siret: '812 345 676 00017',
  nda: '75230123423',
  qualiopiActionsFormation: true,
  qualiopiIssuer: 'AFNOR Certification',
  qualiopiNumber: 'Q-2022-0042',
  qualiopiValidFrom: '2022-01-01',
  qualiopiValidUntil: '2027-12-31',
  anctReferencedDate: '2024-05-01',
};
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';

/** Convention + OF + an ordered Aidants Connect marché (one quote, warning accepted). */
export async function conventionWithAcOrder(ctx: ServiceContext): Promise<{ conventionId: number; orderId: number; organismeId: number }> {
  const c = await api(ctx, 'convention.create', creuseConvention);
  const of = await api(ctx, 'marche.of.create', MEDNUM);
  const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Aidants Connect — agents France Services', kind: 'AC', seats: 36 });
  const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: of.id, quoteDate: '2025-02-01', amountHtCents: 12_000_00, vatCents: 0, vatExemption: EXEMPT });
  await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul OF référencé ANCT disponible dans le département aux dates voulues.', choiceDate: '2025-02-03' });
  const ordered = await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-2025-007', orderDate: '2025-02-05', acceptWarnings: true });
  return { conventionId: c.id, orderId: ordered.order!.id, organismeId: of.id };
}

export async function structure(ctx: ServiceContext, name = 'Mairie de Guéret', siret = '21230096500010'): Promise<number> {
  const s = await api(ctx, 'recensement.structures.save', { values: { name, siret, address: '1 rue de la Mairie', postcode: '23000', city: 'Guéret', departement: '23', type: 'Commune' } });
  return s.id;
}

let n = 0;
export async function person(ctx: ServiceContext, structureId: number | null, over: Partial<InputOf<'recensement.people.save'>['values']> = {}): Promise<number> {
  n++;
  const p = await api(ctx, 'recensement.people.save', {
    values: { nom: `Nom${n}`, prenom: `Prénom${n}`, email: `prenom${n}.nom${n}@gueret.fr`, phone: '05 55 00 00 00', profession: 'Secrétaire de mairie', structureId, ...over },
  });
  return p.id;
}

export const twoHalfDays = [
  { date: '2025-04-08', period: 'matin' as const, start: '09:00', end: '12:30' },
  { date: '2025-04-08', period: 'apres_midi' as const, start: '13:30', end: '17:00' },
];
