// Step 3 on a real database, through dispatch (the same validation as the three hosts).
import { importPublicListFile } from '../../electron/services/marche/public-list';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import type { ServiceContext } from '../../electron/services/context';
import { createExpense } from '../../electron/services/marche/expenses';
import { dispatch } from '../../electron/services/handlers';
import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import type { IpcError } from '../../shared/ipc/envelope';
import { creuseConvention, dbSnapshot, fixturesDir, openTestApp, tempDir, type TestApp } from '../helpers/app';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function app(now: string): TestApp {
  const a = openTestApp({ now });
  apps.push(a);
  return a;
}
async function api<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const env = await dispatch(ctx, channel, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), { ipc: env.error });
  return env.value as OutputOf<C>;
}
async function refused<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<IpcError> {
  const env = await dispatch(ctx, channel, input);
  if (env.ok) throw new Error(`${channel} should have been refused`);
  return env.error;
}

const MEDNUM = { name: 'Mednum Formation', siret: '812 345 676 00017', nda: '75230123423', qualiopiActionsFormation: true, qualiopiIssuer: 'AFNOR Certification', qualiopiNumber: 'Q-2022-0042', qualiopiValidFrom: '2022-01-01', qualiopiValidUntil: '2027-12-31', anctReferencedDate: '2024-05-01' };
const FAMILLES = { name: 'Familles Rurales — Fédération régionale', siret: '77567890700020', nda: '75870045687', qualiopiActionsFormation: true, qualiopiIssuer: 'Bureau Veritas', qualiopiValidFrom: '2021-06-01', qualiopiValidUntil: '2027-06-30' };
const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';

/** A need with two quotes and a written choice; returns the marché id. */
async function needWithChoice(ctx: ServiceContext, conventionId: number, ofA: number, ofB: number, htA: number, date: string): Promise<number> {
  const m = await api(ctx, 'marche.create', { conventionId, label: `Formation AN ${date}`, kind: 'AN', seats: 10 });
  await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: ofA, quoteDate: date, amountHtCents: htA, vatCents: 0, vatExemption: EXEMPT });
  const b = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: ofB, quoteDate: date, amountHtCents: htA + 100_00, vatCents: 0, vatExemption: EXEMPT });
  const chosen = b.quotes.find((q) => q.organismeId === ofA)!;
  await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: chosen.id, reason: 'Offre la moins chère, contenu conforme au référentiel FNE, dates compatibles.', choiceDate: date });
  return m.id;
}

describe('migration 0003', () => {
  it('creates the Marché tables and the internal trainers provider, with money checks', () => {
    const d = new Database(path.join(tempDir(), 'm.sqlite'));
    migrate(d, { to: 2 });
    migrate(d, { to: 3 });
    const names = (d.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['organismes', 'organisme_trainings', 'public_of_list', 'public_of_imports', 'marches', 'quotes', 'orders', 'invoices', 'payments', 'expenses']));
    expect(d.prepare('SELECT name, is_internal FROM organismes').all()).toEqual([{ name: 'Formateurs internes du Conseil départemental', is_internal: 1 }]);
    d.prepare("INSERT INTO conventions (label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at) VALUES ('c','23','CD',2000000,'2025-12-31',60,'t','t')").run();
    expect(() => d.prepare("INSERT INTO expenses (convention_id, kind, label, expense_date, amount_cents, created_at) VALUES (1,'frais_gestion','x','2025-01-01',-5,'t')").run()).toThrow(/CHECK/);
    expect(() => d.prepare("INSERT INTO expenses (convention_id, kind, label, expense_date, amount_cents, created_at) VALUES (1,'autre','x','2025-01-01',5,'t')").run()).toThrow(/CHECK/);
    expect(d.pragma('foreign_key_check')).toEqual([]);
    d.close();
  });
});

describe('organismes de formation', () => {
  it('validates the SIRET, warns on an NDA that is not 11 digits, and reports the Qualiopi status', async () => {
    const { ctx } = app('2025-10-20T09:00:00Z');
    const bad = await refused(ctx, 'marche.of.create', { ...MEDNUM, siret: '81234567600018' });
    expect(bad.fields?.siret).toMatch(/clé de contrôle/);
    const of = await api(ctx, 'marche.of.create', { ...MEDNUM, nda: '7523012342', qualiopiValidUntil: '2025-12-31' });
    expect(of.siret).toBe('81234567600017');
    expect(of.warnings.join(' ')).toMatch(/ne comporte pas 11 chiffres/);
    expect(of.warnings.join(' ')).toMatch(/certificat Qualiopi n’est pas joint/);
    expect(of.qualiopi.status).toBe('expire_bientot');
    const internal = (await api(ctx, 'marche.of.list', {})).find((o) => o.isInternal)!;
    const ac = await refused(ctx, 'marche.of.addTraining', { organismeId: internal.id, kind: 'AC', title: 'Aidants Connect' });
    expect(ac.fields?.kind).toMatch(/que la formation Aidant Numérique/);
    const an = await api(ctx, 'marche.of.addTraining', { organismeId: internal.id, kind: 'AN', title: 'Aidant numérique — 1 jour', hours: 7 });
    expect(an.trainings.map((t) => t.kind)).toEqual(['AN']);
  });

  it('asks for the proof of the ANCT referencing once its date is recorded, until the proof is attached', async () => {
    const { ctx } = app('2025-10-20T09:00:00Z');
    const of = await api(ctx, 'marche.of.create', MEDNUM);
    expect(of.warnings.join(' ')).toMatch(/preuve du référencement ANCT du 01\/05\/2024 n’est pas jointe/);
    const famille = await api(ctx, 'marche.of.create', FAMILLES);
    expect(famille.warnings.join(' ')).not.toMatch(/référencement ANCT/);
    await api(ctx, 'pieces.attach', { ownerType: 'organisme', ownerId: of.id, role: 'referencement_anct', fileName: 'referencement-anct.pdf', contentBase64: Buffer.from('%PDF-1.4 ANCT').toString('base64') });
    expect((await api(ctx, 'marche.of.get', { id: of.id })).warnings.join(' ')).not.toMatch(/référencement ANCT/);
  });
});

describe('public list of training organisations', () => {
  it('imports the CSV (streamed) and checks an OF by SIRET, SIREN or NDA', async () => {
    const { ctx } = app('2025-06-01T09:00:00Z');
    const before = await api(ctx, 'marche.of.check', { query: '81234567600017' });
    expect(before.found).toBe(false);
    expect(before.message).toMatch(/pas encore été importée/);
    // From a path: the CLI's way (no channel takes a path any more), straight to the service.
    const r = await importPublicListFile(ctx, path.join(fixturesDir, 'liste-publique-of.csv'));
    expect(r).toMatchObject({ rows: 6, skipped: 1, fileName: 'liste-publique-of.csv' });
    const bySiret = await api(ctx, 'marche.of.check', { query: '812 345 676 00017' });
    expect(bySiret).toMatchObject({ found: true, denomination: 'Mednum Formation', nda: '75230123423', siret: '81234567600017', qualiopi_actions_formation: true });
    expect((await api(ctx, 'marche.of.check', { query: '888123452' })).denomination).toBe('Numérique & Territoires; Conseil');
    expect((await api(ctx, 'marche.of.check', { query: '888123452' })).qualiopi_actions_formation).toBe(false);
    expect((await api(ctx, 'marche.of.check', { query: '11755512345' })).qualiopi_actions_formation).toBe(false);
    // The leading zero of an NDA lost by a spreadsheet is restored.
    expect((await api(ctx, 'marche.of.check', { query: '01234567891' })).denomination).toBe('Guadeloupe Inclusion Numérique');
    expect((await api(ctx, 'marche.of.check', { query: '99999999999' })).found).toBe(false);
    expect((await refused(ctx, 'marche.of.check', { query: '1234' })).message).toMatch(/ni un SIRET/);
  });

  it('the chunked import (from the screen) gives the same list, and a bad file leaves the previous list intact', async () => {
    const { ctx } = app('2025-06-01T09:00:00Z');
    const text = fs.readFileSync(path.join(fixturesDir, 'liste-publique-of.csv'), 'utf8');
    const cut = [0, 37, 300, 301, 777, text.length];
    let last;
    for (let i = 0; i < cut.length - 1; i++) {
      last = await api(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef12', fileName: 'liste.csv', text: text.slice(cut[i], cut[i + 1]), last: i === cut.length - 2 });
    }
    expect(last!.result).toMatchObject({ rows: 6, skipped: 1 });
    const snap = dbSnapshot(ctx);
    const bad = await refused(ctx, 'marche.publicList.importChunk', { uploadId: 'abcdef13', fileName: 'x.csv', text: 'nom;prenom\nA;B\n', last: true });
    expect(bad.code).toBe('file_unreadable');
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    expect((await api(ctx, 'marche.publicList.status', {})).rows).toBe(6);
  });
});

describe('a procurement record from need to payment', () => {
  it('records quotes, a choice, an order, an invoice and a payment; the budget moves the same in every view', async () => {
    const { ctx } = app('2025-03-10T09:00:00Z');
    const c = await api(ctx, 'convention.create', { ...creuseConvention, fraisGestionPlannedCents: 500_00 });
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Aidants Connect — agents France Services', kind: 'AC', seats: 12, needStart: '2025-04-01', needEnd: '2025-06-30' });
    expect(m.stage).toBe('besoin');

    // VAT or its exemption.
    expect((await refused(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, quoteDate: '2025-03-01', amountHtCents: 8_400_00, vatCents: 0 })).fields?.vatExemption).toMatch(/motif d’exonération/);
    await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, reference: 'D-2025-17', quoteDate: '2025-03-01', amountHtCents: 7_000_00, vatCents: 1_400_00 });
    const withTwo = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: b.id, quoteDate: '2025-03-03', amountHtCents: 9_600_00, vatCents: 0, vatExemption: EXEMPT });
    const qa = withTwo.quotes.find((q) => q.organismeId === a.id)!;
    expect(qa.amountTtcCents).toBe(8_400_00);
    expect(qa.pricePerSeatCents).toBe(700_00);

    // A choice needs a written reason.
    expect((await refused(ctx, 'marche.choose', { marcheId: m.id, quoteId: qa.id, reason: 'moins cher' })).fields?.reason).toMatch(/raison du choix/);
    const chosen = await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: qa.id, reason: 'Offre la moins chère (700 € TTC par place), OF référencé ANCT, sessions en avril.', choiceDate: '2025-03-05' });
    expect(chosen.stage).toBe('choix');

    // Familles Rurales is not ANCT-referenced: choosing it for AC would be refused at the order.
    const order = { marcheId: m.id, number: 'BC-2025-001', orderDate: '2025-03-10', contractStart: '2025-04-01', contractEnd: '2025-06-30' };
    const ev = await api(ctx, 'marche.checkOrder', order);
    expect(ev).toMatchObject({ canSave: true, needsAcknowledgement: false, amountHtCents: 7_000_00, amountTtcCents: 8_400_00, thresholdCents: 40_000_00, yearTotalHtCents: 7_000_00, percent: 17 });
    const ordered = await api(ctx, 'marche.createOrder', order);
    expect(ordered.order).toMatchObject({ number: 'BC-2025-001', amountTtcCents: 8_400_00, remainingToInvoiceCents: 8_400_00, remainingToPayCents: 8_400_00 });

    // Invoices and payments never exceed what was ordered / invoiced.
    const orderId = ordered.order!.id;
    expect((await refused(ctx, 'marche.addInvoice', { orderId, number: 'F-1', invoiceDate: '2025-07-01', amountCents: 8_400_01 })).fields?.amountCents).toMatch(/reste à facturer 8\u202f400,00/);
    const inv = await api(ctx, 'marche.addInvoice', { orderId, number: 'F-1', invoiceDate: '2025-07-01', amountCents: 8_400_00 });
    const invoiceId = inv.order!.invoices[0].id;
    await api(ctx, 'marche.addPayment', { invoiceId, paymentDate: '2025-07-20', amountCents: 5_000_00, mandateRef: 'MDT-2025-0456' });
    const paid = await api(ctx, 'marche.get', { id: m.id });
    expect(paid.order).toMatchObject({ invoicedCents: 8_400_00, paidCents: 5_000_00, remainingToInvoiceCents: 0, remainingToPayCents: 3_400_00 });
    expect(paid.stage).toBe('facturation');

    await api(ctx, 'marche.expenses.create', { conventionId: c.id, kind: 'frais_gestion', label: 'Reprographie des supports', expenseDate: '2025-05-02', amountCents: 120_50 });

    // The same figures in the budget screen, the dashboard and stats --json.
    const budget = await api(ctx, 'marche.budget', { conventionId: c.id });
    expect(budget).toMatchObject({
      receivedCents: 20_000_00,
      committedCents: 8_400_00,
      invoicedCents: 8_400_00,
      paidCents: 5_000_00,
      fraisGestionPlannedCents: 500_00,
      fraisGestionSpentCents: 120_50,
      totalCommittedCents: 8_520_50,
      remainingCents: 11_479_50,
    });
    const stats = await api(ctx, 'stats.get', { conventionId: c.id });
    expect(stats.budget).toEqual({ amount_cents: 20_000_00, received_cents: 20_000_00, committed_cents: budget.committedCents, paid_cents: budget.paidCents });
    const guide = await api(ctx, 'guide.get', { conventionId: c.id });
    expect(guide.dashboard).toMatchObject({ committedCents: budget.committedCents, paidCents: budget.paidCents });
    expect(guide.steps.find((s) => s.key === 'marche')).toMatchObject({ status: 'en_cours' });
    expect(guide.steps.find((s) => s.key === 'marche')!.summary).toMatch(/bon de commande signé à joindre/);

    // Every write left an audit row.
    const audited = ctx.store.sqlite.prepare("SELECT entity, count(*) AS n FROM audit_log WHERE entity IN ('organisme','marche','quote','order','invoice','payment','expense') GROUP BY entity ORDER BY entity").all();
    expect(audited).toEqual([
      { entity: 'expense', n: 1 },
      { entity: 'invoice', n: 1 },
      { entity: 'marche', n: 2 },
      { entity: 'order', n: 1 },
      { entity: 'organisme', n: 2 },
      { entity: 'payment', n: 1 },
      { entity: 'quote', n: 2 },
    ]);
  });

  it('accepts an Aidants Connect order with an OF not referenced by ANCT: the referencing is the step after the choice, shown on the marché, and a refused order still changes nothing', async () => {
    const { ctx } = app('2025-03-10T09:00:00Z');
    const c = await api(ctx, 'convention.create', creuseConvention);
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'AC', kind: 'AC', seats: 5 });
    const x = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: b.id, quoteDate: '2025-03-01', amountHtCents: 3_000_00, vatCents: 0, vatExemption: EXEMPT });
    await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, quoteDate: '2025-03-01', amountHtCents: 3_500_00, vatCents: 0, vatExemption: EXEMPT });
    const chosen = await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: x.quotes[0].id, reason: 'Moins cher de 500 €, formateurs expérimentés en milieu rural.' });
    expect(chosen.anctReferencing).toMatchObject({ organismeId: b.id, status: 'non_reference' });
    // A wrong order number still refuses everything and writes nothing.
    const snap = dbSnapshot(ctx);
    await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-1', orderDate: '2025-03-10' });
    const other = await api(ctx, 'marche.create', { conventionId: c.id, label: 'AC 2', kind: 'AC', seats: 5 });
    expect(dbSnapshot(ctx).equals(snap)).toBe(false);
    const q2 = await api(ctx, 'marche.addQuote', { marcheId: other.id, organismeId: b.id, quoteDate: '2025-03-01', amountHtCents: 1_000_00, vatCents: 0, vatExemption: EXEMPT });
    await api(ctx, 'marche.choose', { marcheId: other.id, quoteId: q2.quotes[0].id, reason: 'Seul organisme disponible aux dates des agents.' });
    const snap2 = dbSnapshot(ctx);
    expect((await refused(ctx, 'marche.createOrder', { marcheId: other.id, number: 'BC-1', orderDate: '2025-03-10', acceptWarnings: true })).fields?.number).toMatch(/déjà utilisé/);
    expect(dbSnapshot(ctx).equals(snap2)).toBe(true);

    const ordered = await api(ctx, 'marche.get', { id: m.id });
    expect(ordered.order!.findings.filter((f) => f.level !== 'info')).toEqual([]);
    const next = ordered.order!.findings.find((f) => f.code === 'anct_referencement_a_faire')!;
    expect(next.message).toMatch(/ne bloque pas la commande.*Familles Rurales — Fédération régionale n’est pas encore référencé auprès de l’ANCT/);
    // Referencing recorded with its proof: the step is done.
    await api(ctx, 'marche.of.update', { id: b.id, patch: { anctReferencedDate: '2025-03-15' } });
    expect((await api(ctx, 'marche.get', { id: m.id })).anctReferencing?.status).toBe('preuve_manquante');
    await api(ctx, 'pieces.attach', { ownerType: 'organisme', ownerId: b.id, role: 'referencement_anct', fileName: 'referencement.pdf', contentBase64: Buffer.from('%PDF-1.4 ANCT').toString('base64') });
    expect((await api(ctx, 'marche.get', { id: m.id })).anctReferencing).toMatchObject({ status: 'reference', referencedDate: '2025-03-15' });
  });
});

describe('the threshold is read at the date the consultation was engaged (décret n° 2025-1386, art. 4)', () => {
  /** A need of 45 000 € HT: two quotes on the given dates, a written choice, the consultation date if any. */
  async function need45k(ctx: ServiceContext, quoteDates: [string, string], consultationDate: string | null = null) {
    const c = await api(ctx, 'convention.create', creuseConvention);
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Formation AN — tout le département', kind: 'AN', seats: 120, consultationDate });
    await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, quoteDate: quoteDates[0], amountHtCents: 45_000_00, vatCents: 0, vatExemption: EXEMPT });
    const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: b.id, quoteDate: quoteDates[1], amountHtCents: 47_000_00, vatCents: 0, vatExemption: EXEMPT });
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Offre la moins chère, programme conforme au référentiel, calendrier tenable.', choiceDate: quoteDates[1] });
    return { c, m: m.id, a, b };
  }

  it('quotes received on 20–21/03/2026 for 45 000 € HT, order dated 02/04/2026 → refused under 40 000 € (the consultation predates 01/04/2026); the message cites the décret and both dates', async () => {
    const { ctx } = app('2026-04-02T09:00:00Z');
    const { m } = await need45k(ctx, ['2026-03-20', '2026-03-21']);
    const order = { marcheId: m, number: 'BC-2026-01', orderDate: '2026-04-02', acceptWarnings: true };
    const ev = await api(ctx, 'marche.checkOrder', order);
    expect(ev).toMatchObject({ canSave: false, thresholdCents: 40_000_00, consultationDate: '2026-03-20', consultationDateSource: 'premier_devis', yearTotalHtCents: 45_000_00, percent: 112 });
    const snap = dbSnapshot(ctx);
    const e = await refused(ctx, 'marche.createOrder', order);
    expect(e.message).toMatch(/Bon de commande refusé/);
    expect(e.message).toContain('décret n° 2025-1386, art. 4');
    expect(e.message).toContain('20/03/2026');
    expect(e.message).toContain('bon de commande du 02/04/2026');
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    // The existing way out: the competitive procedure actually used.
    const ok = await api(ctx, 'marche.createOrder', { ...order, otherProcedureRef: 'MAPA 2026-FORM-01', otherProcedureDate: '2026-03-01' });
    expect(ok.order!.findings.map((f) => f.code)).toContain('seuil_autre_procedure');
  });

  it('a consultation engaged on 03/04/2026 for the same 45 000 € HT is accepted under 60 000 € (75 %)', async () => {
    const { ctx } = app('2026-04-20T09:00:00Z');
    const { m } = await need45k(ctx, ['2026-04-10', '2026-04-13'], '2026-04-03');
    const ev = await api(ctx, 'marche.checkOrder', { marcheId: m, number: 'BC-2026-02', orderDate: '2026-04-20' });
    expect(ev).toMatchObject({ canSave: true, thresholdCents: 60_000_00, consultationDate: '2026-04-03', consultationDateSource: 'demande_de_devis', percent: 75 });
    const ok = await api(ctx, 'marche.createOrder', { marcheId: m, number: 'BC-2026-02', orderDate: '2026-04-20', acceptWarnings: true });
    expect(ok.order).toMatchObject({ thresholdCents: 60_000_00, yearTotalHtCents: 45_000_00 });
    expect(ok.consultation).toEqual({ date: '2026-04-03', source: 'demande_de_devis' });
  });

  it('a demande de devis recorded on 25/03/2026 keeps the 40 000 € threshold even when every quote and the order come after 01/04/2026', async () => {
    const { ctx } = app('2026-04-20T09:00:00Z');
    const { m } = await need45k(ctx, ['2026-04-05', '2026-04-06'], '2026-03-25');
    const ev = await api(ctx, 'marche.checkOrder', { marcheId: m, number: 'BC-3', orderDate: '2026-04-20' });
    expect(ev).toMatchObject({ canSave: false, thresholdCents: 40_000_00, consultationDate: '2026-03-25' });
  });

  it('the consultation date cannot follow a quote nor the order; correcting it on an issued order checks the order again (refused: nothing changes)', async () => {
    const { ctx } = app('2026-04-20T09:00:00Z');
    const { m, a } = await need45k(ctx, ['2026-04-10', '2026-04-13'], '2026-04-03');
    expect((await refused(ctx, 'marche.setConsultationDate', { marcheId: m, consultationDate: '2026-04-11' })).fields?.consultationDate).toMatch(/ne peut pas suivre le premier devis reçu \(Mednum Formation, 10\/04\/2026\)/);
    const other = await api(ctx, 'marche.create', { conventionId: 1, label: 'Besoin 2', kind: 'AN', seats: 10, consultationDate: '2026-04-15' });
    expect((await refused(ctx, 'marche.addQuote', { marcheId: other.id, organismeId: a.id, quoteDate: '2026-04-14', amountHtCents: 1_000_00, vatCents: 0, vatExemption: EXEMPT })).fields?.quoteDate).toMatch(/ne peut pas précéder l’envoi de la demande de devis/);
    await api(ctx, 'marche.createOrder', { marcheId: m, number: 'BC-4', orderDate: '2026-04-20', acceptWarnings: true });
    const snap = dbSnapshot(ctx);
    const e = await refused(ctx, 'marche.setConsultationDate', { marcheId: m, consultationDate: '2026-03-20', acceptWarnings: true });
    expect(e.message).toMatch(/Date de la consultation \(bon de commande n° BC-4\) refusée.*40\u202f000,00\u00a0€ HT/);
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    const cleared = await api(ctx, 'marche.setConsultationDate', { marcheId: m, consultationDate: null, acceptWarnings: true });
    expect(cleared.consultation).toEqual({ date: '2026-04-10', source: 'premier_devis' });
    expect(cleared.order!.findings.find((f) => f.code === 'seuil_ok')!.message).toContain('consultation engagée au plus tard le 10/04/2026');
  });

  it('the département’s other training purchases of the year (one figure) count in the annual sum: 45 000 € + 20 000 € ≥ 60 000 € → refused', async () => {
    const { ctx } = app('2026-04-20T09:00:00Z');
    const { m } = await need45k(ctx, ['2026-04-10', '2026-04-13'], '2026-04-03');
    expect((await refused(ctx, 'marche.otherPurchases.set', { year: 2026, amountHtCents: -1 })).code).toBe('invalid_input');
    const list = await api(ctx, 'marche.otherPurchases.set', { year: 2026, amountHtCents: 20_000_00, note: 'Plan de formation des agents du CD (hors FNE)' });
    expect(list).toEqual([{ year: 2026, amountHtCents: 20_000_00, note: 'Plan de formation des agents du CD (hors FNE)', updatedAt: '2026-04-20T09:00:00.000Z', ordersHtCents: 0, totalHtCents: 20_000_00 }]);
    const ev = await api(ctx, 'marche.checkOrder', { marcheId: m, number: 'BC-5', orderDate: '2026-04-20' });
    expect(ev).toMatchObject({ canSave: false, yearTotalHtCents: 65_000_00, otherPurchasesHtCents: 20_000_00, thresholdCents: 60_000_00 });
    expect(ev.findings[0].message).toContain('dont 20\u202f000,00\u00a0€ HT d’autres achats de formation du département');
    // Another year's figure does not count; 0 without a note removes the figure.
    await api(ctx, 'marche.otherPurchases.set', { year: 2026, amountHtCents: 0 });
    await api(ctx, 'marche.otherPurchases.set', { year: 2025, amountHtCents: 30_000_00 });
    const ok = await api(ctx, 'marche.createOrder', { marcheId: m, number: 'BC-5', orderDate: '2026-04-20', acceptWarnings: true });
    expect(ok.order!.yearTotalHtCents).toBe(45_000_00);
    expect((await api(ctx, 'marche.otherPurchases.list', {})).map((y) => [y.year, y.amountHtCents, y.ordersHtCents, y.totalHtCents])).toEqual([
      [2025, 30_000_00, 0, 30_000_00],
      [2026, 0, 45_000_00, 45_000_00],
    ]);
  });
});

describe('threshold on the annual sum, in the database (all conventions of the buyer)', () => {
  async function twoOrders(now: string, d1: string, d2: string) {
    const { ctx } = app(now);
    const c1 = await api(ctx, 'convention.create', creuseConvention);
    const c2 = await api(ctx, 'convention.create', { ...creuseConvention, label: 'Enveloppe complémentaire' });
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    const m1 = await needWithChoice(ctx, c1.id, a.id, b.id, 35_000_00, d1);
    const first = await refused(ctx, 'marche.createOrder', { marcheId: m1, number: 'BC-1', orderDate: d1 });
    await api(ctx, 'marche.createOrder', { marcheId: m1, number: 'BC-1', orderDate: d1, acceptWarnings: true });
    const m2 = await needWithChoice(ctx, c2.id, b.id, a.id, 10_000_00, d2);
    return { ctx, m2, first };
  }

  it('2025: 35 000 € then 10 000 € HT (other convention) → refused without the other procedure; allowed with it', async () => {
    const { ctx, m2, first } = await twoOrders('2025-09-01T09:00:00Z', '2025-02-10', '2025-09-01');
    expect(first.message).toMatch(/À confirmer/); // 87 % of the threshold and above the amount received
    const ev = await api(ctx, 'marche.checkOrder', { marcheId: m2, number: 'BC-2', orderDate: '2025-09-01' });
    expect(ev).toMatchObject({ canSave: false, yearTotalHtCents: 45_000_00, thresholdCents: 40_000_00, percent: 112 });
    const e = await refused(ctx, 'marche.createOrder', { marcheId: m2, number: 'BC-2', orderDate: '2025-09-01', acceptWarnings: true });
    expect(e.message).toMatch(/Bon de commande refusé.*45\u202f000,00\u00a0€ HT/);
    const ok = await api(ctx, 'marche.createOrder', { marcheId: m2, number: 'BC-2', orderDate: '2025-09-01', otherProcedureRef: 'MAPA 2025-07', otherProcedureDate: '2025-08-01', acceptWarnings: true });
    expect(ok.order!.findings.map((f) => f.code)).toContain('seuil_autre_procedure');
  });

  it('May 2026: the same orders → allowed, 75 % of 60 000 € HT', async () => {
    const { ctx, m2 } = await twoOrders('2026-05-20T09:00:00Z', '2026-04-10', '2026-05-20');
    const ev = await api(ctx, 'marche.checkOrder', { marcheId: m2, number: 'BC-2', orderDate: '2026-05-20' });
    expect(ev).toMatchObject({ canSave: true, yearTotalHtCents: 45_000_00, thresholdCents: 60_000_00, percent: 75 });
    expect(ev.findings.map((f) => f.code)).not.toContain('seuil_proche');
    const ok = await api(ctx, 'marche.createOrder', { marcheId: m2, number: 'BC-2', orderDate: '2026-05-20', acceptWarnings: true });
    expect(ok.order!.yearTotalHtCents).toBe(45_000_00);
  });

  it('orders of another year do not count', async () => {
    const { ctx, m2 } = await twoOrders('2026-02-01T09:00:00Z', '2025-11-10', '2026-02-01');
    const ev = await api(ctx, 'marche.checkOrder', { marcheId: m2, number: 'BC-2', orderDate: '2026-02-01' });
    expect(ev).toMatchObject({ yearTotalHtCents: 10_000_00, thresholdCents: 40_000_00, canSave: true });
  });

  it('warns when only one quote was compared and when the same OF won the previous order without competition', async () => {
    const { ctx } = app('2025-05-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', creuseConvention);
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const one = async (label: string, date: string) => {
      const m = await api(ctx, 'marche.create', { conventionId: c.id, label, kind: 'AN', seats: 8 });
      const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, quoteDate: date, amountHtCents: 2_000_00, vatCents: 0, vatExemption: EXEMPT });
      await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Seul organisme disponible sur le territoire à ces dates.', choiceDate: date });
      return m.id;
    };
    const m1 = await one('Session 1', '2025-03-01');
    const ev1 = await api(ctx, 'marche.checkOrder', { marcheId: m1, number: 'BC-1', orderDate: '2025-03-02' });
    expect(ev1.findings.filter((f) => f.level === 'alerte').map((f) => f.code)).toEqual(['moins_de_deux_devis']);
    expect((await refused(ctx, 'marche.createOrder', { marcheId: m1, number: 'BC-1', orderDate: '2025-03-02' })).message).toMatch(/Un seul devis/);
    await api(ctx, 'marche.createOrder', { marcheId: m1, number: 'BC-1', orderDate: '2025-03-02', acceptWarnings: true });
    const m2 = await one('Session 2', '2025-04-01');
    const ev2 = await api(ctx, 'marche.checkOrder', { marcheId: m2, number: 'BC-2', orderDate: '2025-04-02' });
    expect(ev2.findings.filter((f) => f.level === 'alerte').map((f) => f.code)).toEqual(['moins_de_deux_devis', 'meme_fournisseur']);
  });

  it('refuses an order with an OF whose Qualiopi is not valid at the order date', async () => {
    const { ctx } = app('2026-02-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', creuseConvention);
    const a = await api(ctx, 'marche.of.create', { ...MEDNUM, qualiopiValidUntil: '2025-12-31' });
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    const m = await needWithChoice(ctx, c.id, a.id, b.id, 3_000_00, '2026-01-15');
    const e = await refused(ctx, 'marche.createOrder', { marcheId: m, number: 'BC-9', orderDate: '2026-02-01', acceptWarnings: true });
    expect(e.message).toMatch(/Qualiopi a expiré le 31\/12\/2025/);
  });
});

describe('the dates of the record follow each other', () => {
  it('refuses an order dated before the written choice of the offer, and writes nothing', async () => {
    const { ctx } = app('2025-11-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', creuseConvention);
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    // Quotes of 01/03/2025; the choice is recorded without a date today (01/11/2025), after the fact.
    const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Formation AN', kind: 'AN', seats: 10 });
    await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, quoteDate: '2025-03-01', amountHtCents: 3_000_00, vatCents: 0, vatExemption: EXEMPT });
    const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: b.id, quoteDate: '2025-03-01', amountHtCents: 3_500_00, vatCents: 0, vatExemption: EXEMPT });
    const chosen = q.quotes.find((x) => x.organismeId === a.id)!;
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: chosen.id, reason: 'Offre la moins chère, contenu conforme au référentiel FNE, dates compatibles.' });
    const snap = dbSnapshot(ctx);
    const e = await refused(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-1', orderDate: '2025-03-10', acceptWarnings: true });
    expect(e.fields?.orderDate).toBe('Le bon de commande (10/03/2025) ne peut pas précéder le choix de l’offre (01/11/2025) : corrigez la date du choix ou celle de la commande.');
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    // The choice dated when it was made: the order of 10/03/2025 is accepted.
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: chosen.id, reason: 'Offre la moins chère, contenu conforme au référentiel FNE, dates compatibles.', choiceDate: '2025-03-05' });
    const o = await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-1', orderDate: '2025-03-10', acceptWarnings: true });
    expect(o.order?.orderDate).toBe('2025-03-10');
  });
});

describe('reliquat: engineering expenses only once the convention’s departure target is reached', () => {
  it('refused at 59 departures, accepted at 60 (target 60 read from the convention); a target of 10 moves the limit', async () => {
    const { ctx } = app('2025-11-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', { ...creuseConvention, engineeringActions: [{ label: 'Kit de médiation numérique', plannedCents: 2_000_00 }] });
    expect(c.departureTarget).toBe(60);
    const input = { conventionId: c.id, kind: 'ingenierie' as const, engineeringActionId: c.engineeringActions[0].id, label: 'Impression des kits', expenseDate: '2025-11-01', amountCents: 1_500_00 };
    // Today (no session yet), countDepartures says 0: refused through the channel.
    expect((await refused(ctx, 'marche.expenses.create', input)).message).toMatch(/il en manque 60/);
    const snap = dbSnapshot(ctx);
    await expect(createExpense(ctx, input, async () => ({ planned: 70, done: 59 }))).rejects.toThrow(/Départs réalisés : 59 — il en manque 1/);
    expect(dbSnapshot(ctx).equals(snap)).toBe(true);
    const e = await createExpense(ctx, input, async () => ({ planned: 70, done: 60 }));
    expect(e).toMatchObject({ kind: 'ingenierie', amountCents: 1_500_00, engineeringActionLabel: 'Kit de médiation numérique' });
    const small = await api(ctx, 'convention.create', { ...creuseConvention, label: 'Petite enveloppe', departureTarget: 10, engineeringActions: [{ label: 'Guide', plannedCents: 100_00 }] });
    const e10 = await createExpense(ctx, { ...input, conventionId: small.id, engineeringActionId: small.engineeringActions[0].id }, async () => ({ planned: 10, done: 10 }));
    expect(e10.conventionId).toBe(small.id);
    expect((await api(ctx, 'marche.budget', { conventionId: c.id })).engineeringSpentCents).toBe(1_500_00);
  });

  it('warns before overspending the amount received and before exceeding the planned frais de gestion', async () => {
    const { ctx } = app('2025-11-01T09:00:00Z');
    const c = await api(ctx, 'convention.create', { ...creuseConvention, fraisGestionPlannedCents: 1_000_00 });
    const input = { conventionId: c.id, kind: 'frais_gestion' as const, label: 'Logistique', expenseDate: '2025-11-01', amountCents: 20_000_01 };
    const ev = await api(ctx, 'marche.expenses.check', input);
    expect(ev.findings.map((f) => f.code)).toEqual(['frais_gestion_depasses', 'depassement_recu']);
    expect((await refused(ctx, 'marche.expenses.create', input)).message).toMatch(/au-delà du montant reçu/);
    await api(ctx, 'marche.expenses.create', { ...input, acceptWarnings: true });
    const b = await api(ctx, 'marche.budget', { conventionId: c.id });
    expect(b).toMatchObject({ committedCents: 0, totalCommittedCents: 20_000_01, remainingCents: -1, overspentCents: 1 });
  });
});

describe('printed documents', () => {
  it('the bon de commande and the note de choix are PDFs showing the right figures', async () => {
    const { ctx, dir } = app('2025-03-10T09:00:00Z');
    const c = await api(ctx, 'convention.create', creuseConvention);
    const a = await api(ctx, 'marche.of.create', MEDNUM);
    const b = await api(ctx, 'marche.of.create', FAMILLES);
    const m = await api(ctx, 'marche.create', { conventionId: c.id, label: 'Aidant Numérique — secrétaires de mairie', kind: 'AN', seats: 12, needStart: '2025-04-01', needEnd: '2025-05-31' });
    await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: a.id, reference: 'D-2025-17', quoteDate: '2025-03-01', amountHtCents: 7_000_00, vatCents: 1_400_00 });
    const q = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: b.id, quoteDate: '2025-03-03', amountHtCents: 9_612_34, vatCents: 0, vatExemption: EXEMPT });
    await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: q.quotes[0].id, reason: 'Offre la moins chère à contenu équivalent ; sessions disponibles en avril à Guéret.', comparison: 'Mednum 700 €/place, Familles Rurales 801 €/place.' });
    const text = (b64: string, name: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.from(b64, 'base64'));
      expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ');
    };
    const note = await api(ctx, 'marche.pdf', { marcheId: m.id, document: 'note_de_choix' });
    const nt = text(note.contentBase64, 'note.pdf');
    expect(nt).toContain('NOTE DE CHOIX');
    expect(nt).toMatch(/Mednum Formation.*7 000,00 €.*1 400,00 €.*8 400,00 €/);
    expect(nt).toContain('Offre la moins chère à contenu équivalent');
    expect(nt).toMatch(/7 000,00 € HT pour un seuil de 40 000,00 € HT/);
    expect(execFileSync('pdfinfo', [path.join(dir, 'note.pdf')], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
    expect((await refused(ctx, 'marche.pdf', { marcheId: m.id, document: 'bon_de_commande' })).message).toMatch(/Enregistrez d’abord le bon de commande/);
    await api(ctx, 'marche.createOrder', { marcheId: m.id, number: 'BC-2025-017', orderDate: '2025-03-10', acceptWarnings: true });
    const bc = await api(ctx, 'marche.pdf', { marcheId: m.id, document: 'bon_de_commande' });
    const bt = text(bc.contentBase64, 'bc.pdf');
    expect(bt).toContain('BON DE COMMANDE n° BC-2025-017');
    expect(bt).toContain('Date : 10/03/2025');
    expect(bt).toContain('Mednum Formation');
    expect(bt).toContain('SIRET 81234567600017 — NDA 75230123423');
    expect(bt).toMatch(/7 000,00 €\s+1 400,00 €\s+8 400,00 €/);
    expect(bt).toContain('12 places');
    expect(bt).toContain('Conseil départemental de la Creuse');
  });
});
