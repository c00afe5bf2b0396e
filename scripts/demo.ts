// `npm run demo -- --out DOSSIER`: the whole job in one command, on a fresh database.
// Builds a complete synthetic convention from the project's own test data — the Creuse
// convention, the FNE follow-up table of test/fixtures (imported as the officer would), two
// training organisations with their Qualiopi certificates, two procurement records (quotes,
// reasoned choice, order, invoice, payment), sessions with attendance, attendance sheets and
// certificates, frais de gestion and an engineering action — every pièce a generated PDF — then
// writes the end-of-convention dossier and checks it against its own readiness checklist.
// Everything goes through the same channels as the screens (dispatch: same validation).
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import * as XLSX from 'xlsx';
import type { ServiceContext } from '../electron/services/context';
import { dispatch } from '../electron/services/handlers';
import type { ChannelName, InputOf, OutputOf } from '../shared/ipc/contract';

export const DEMO_NOW = '2025-12-15T09:00:00Z';
const FIXTURES = path.resolve(__dirname, '../test/fixtures');

export async function api<C extends ChannelName>(ctx: ServiceContext, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const env = await dispatch(ctx, channel, input);
  if (!env.ok) {
    const fields = Object.entries(env.error.fields ?? {}).map(([k, v]) => `\n  - ${k} : ${v}`).join('');
    throw new Error(`${channel} : ${env.error.message}${fields}`);
  }
  return env.value as OutputOf<C>;
}

/** A small, reproducible PDF standing for a scanned document. */
export async function demoPdf(title: string, lines: string[], date = '2025-12-15'): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const d = new Date(`${date}T12:00:00Z`);
  doc.setTitle(title);
  doc.setProducer('FNE Formations — démonstration');
  doc.setCreator('FNE Formations — démonstration');
  doc.setCreationDate(d);
  doc.setModificationDate(d);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('DOCUMENT DE DÉMONSTRATION', { x: 50, y: 790, size: 9, font: bold });
  page.drawText(title, { x: 50, y: 760, size: 16, font: bold });
  lines.forEach((l, i) => page.drawText(l, { x: 50, y: 730 - i * 16, size: 10, font }));
  return doc.save({ useObjectStreams: false });
}

export async function attachPdf(ctx: ServiceContext, ownerType: InputOf<'pieces.attach'>['ownerType'], ownerId: number, role: string, fileName: string, title: string, lines: string[], date?: string) {
  const bytes = await demoPdf(title, lines, date);
  return api(ctx, 'pieces.attach', { ownerType, ownerId, role, fileName, contentBase64: Buffer.from(bytes).toString('base64') });
}

const EXEMPT = 'Exonération de TVA, art. 261-4-4° a du CGI';

export interface DemoResult {
  conventionId: number;
  organismes: { mednum: number; famillesRurales: number };
  marches: { an: number; ac: number };
  sessions: number[];
}

export interface DemoOptions {
  /** Builds the sessions, attendance and certificates (needs the Sessions capability). */
  sessions?: (ctx: ServiceContext, d: DemoResult) => Promise<unknown>;
}

/** Builds the demo convention in an open (fresh) database. */
export async function buildDemo(ctx: ServiceContext, opts: DemoOptions = {}): Promise<DemoResult> {
  // 1. Convention, with its pièces.
  const c = await api(ctx, 'convention.create', {
    departement: '23',
    beneficiaireNom: 'Conseil départemental de la Creuse',
    beneficiaireSiret: '22230001600011',
    designationDate: '2024-09-20',
    signatureDate: '2024-10-15',
    anctReference: 'ANCT-FNE-2024-023',
    fundsReceivedDate: '2024-11-02',
    fundsReceivedCents: 20_000_00,
    fraisGestionPlannedCents: 800_00,
    engineeringActions: [{ label: 'Kit d’animation pour les aidants numériques du département', plannedCents: 2_000_00 }],
  });
  const conv = ['Convention FNE 2024 — Creuse', 'Conseil départemental de la Creuse — SIRET 222 300 016 00011'];
  await attachPdf(ctx, 'convention', c.id, 'convention_signee', 'convention-signee.pdf', 'Convention de financement signée', [...conv, 'Signée avec l’ANCT le 15/10/2024.'], '2024-10-15');
  await attachPdf(ctx, 'convention', c.id, 'avis_sirene', 'avis-sirene.pdf', 'Avis de situation au répertoire SIRENE', conv, '2024-09-30');
  await attachPdf(ctx, 'convention', c.id, 'rib', 'rib.pdf', 'Relevé d’identité bancaire', [...conv, 'IBAN FR76 0000 0000 0000 0000 0000 000 (fictif)'], '2024-09-30');
  await attachPdf(ctx, 'convention', c.id, 'avis_versement', 'avis-versement.pdf', 'Avis de versement des fonds', [...conv, 'Versement de 20 000,00 € reçu le 02/11/2024.'], '2024-11-02');

  // 2. Recensement: the FNE follow-up table of the test fixtures.
  const grist = fs.readFileSync(path.join(FIXTURES, 'aidants-fne-grist.xlsx'));
  await api(ctx, 'recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: grist.toString('base64'), acceptRejected: true });

  // 3. Training organisations, certified Qualiopi, with their certificates.
  const mednum = await api(ctx, 'marche.of.create', {
    name: 'Mednum Formation',
    siret: '81234567600017',
    nda: '75230123423',
    qualiopiActionsFormation: true,
    qualiopiIssuer: 'AFNOR Certification',
    qualiopiNumber: 'Q-2022-0042',
    qualiopiValidFrom: '2022-01-01',
    qualiopiValidUntil: '2027-12-31',
    anctReferencedDate: '2024-05-01',
  });
  await api(ctx, 'marche.of.addTraining', { organismeId: mednum.id, kind: 'AC', title: 'Aidants Connect — formation habilitante (7 h)', hours: 7, priceCents: 350_00, priceUnit: 'place' });
  await attachPdf(ctx, 'organisme', mednum.id, 'certificat_qualiopi', 'qualiopi-mednum.pdf', 'Certificat Qualiopi — Mednum Formation', ['AFNOR Certification — certificat n° Q-2022-0042', 'Catégorie : actions de formation', 'Valide du 01/01/2022 au 31/12/2027'], '2022-01-01');
  await attachPdf(ctx, 'organisme', mednum.id, 'referencement_anct', 'referencement-anct-mednum.pdf', 'Référencement ANCT — Aidants Connect', ['Mednum Formation est référencé par l’ANCT depuis le 01/05/2024.'], '2024-05-01');
  const familles = await api(ctx, 'marche.of.create', {
    name: 'Familles Rurales — Fédération régionale',
    siret: '77567890700020',
    nda: '75870045687',
    qualiopiActionsFormation: true,
    qualiopiIssuer: 'Bureau Veritas',
    qualiopiNumber: 'BV-2021-7781',
    qualiopiValidFrom: '2021-06-01',
    qualiopiValidUntil: '2027-06-30',
    anctReferencedDate: '2024-03-01',
  });
  await api(ctx, 'marche.of.addTraining', { organismeId: familles.id, kind: 'AN', title: 'Aidant Numérique : accueillir, diagnostiquer, orienter (1 jour)', hours: 7, priceCents: 150_00, priceUnit: 'place' });
  await attachPdf(ctx, 'organisme', familles.id, 'certificat_qualiopi', 'qualiopi-familles-rurales.pdf', 'Certificat Qualiopi — Familles Rurales', ['Bureau Veritas — certificat n° BV-2021-7781', 'Catégorie : actions de formation', 'Valide du 01/06/2021 au 30/06/2027'], '2021-06-01');
  // After the choice, the CD references each chosen OF with ANCT (every kind of training): date and proof.
  await attachPdf(ctx, 'organisme', familles.id, 'referencement_anct', 'referencement-anct-familles-rurales.pdf', 'Référencement ANCT — Familles Rurales', ['Familles Rurales — Fédération régionale est référencé par l’ANCT depuis le 01/03/2024.'], '2024-03-01');

  // 4. Two procurement records: quotes, reasoned choice, order, invoice, payment, all with pièces.
  const an = await procure(ctx, c.id, {
    label: 'Formation Aidant Numérique — 48 agents',
    kind: 'AN',
    seats: 48,
    need: ['2025-03-01', '2025-06-30'],
    consultationDate: '2024-12-16',
    quotes: [
      { of: familles.id, ofName: 'Familles Rurales', htCents: 7_200_00, date: '2025-01-08', ref: 'DEV-FR-2025-004' },
      { of: mednum.id, ofName: 'Mednum Formation', htCents: 8_640_00, date: '2025-01-10', ref: 'D-2025-02' },
    ],
    reason: 'Offre la moins chère (150 € par place contre 180 €), programme conforme au référentiel Aidant Numérique, sessions possibles dans les quatre territoires de la Creuse.',
    order: { number: 'BC-2025-001', date: '2025-01-20' },
    invoice: { number: 'F-FR-2025-031', date: '2025-05-30' },
    payment: { mandate: 'MDT-2025-0412', date: '2025-06-20' },
  });
  const ac = await procure(ctx, c.id, {
    label: 'Formation Aidants Connect — 18 aidants',
    kind: 'AC',
    seats: 18,
    need: ['2025-04-01', '2025-06-30'],
    consultationDate: '2025-01-13',
    quotes: [
      { of: mednum.id, ofName: 'Mednum Formation', htCents: 6_300_00, date: '2025-01-27', ref: 'D-2025-05' },
      { of: familles.id, ofName: 'Familles Rurales', htCents: 7_020_00, date: '2025-01-29', ref: 'DEV-FR-2025-009' },
    ],
    reason: 'Offre la moins chère (350 € par place), organisme référencé par l’ANCT pour Aidants Connect, formation de 7 h compatible avec les plannings des agents.',
    order: { number: 'BC-2025-002', date: '2025-02-03' },
    invoice: { number: 'F-MN-2025-118', date: '2025-06-27' },
    payment: { mandate: 'MDT-2025-0533', date: '2025-07-15' },
  });

  // 5. Frais de gestion, with its justificatif.
  const fg = await api(ctx, 'marche.expenses.create', { conventionId: c.id, kind: 'frais_gestion', label: 'Impression des supports et convocations', expenseDate: '2025-03-14', amountCents: 650_00 });
  await attachPdf(ctx, 'expense', fg.id, 'justificatif', 'facture-reprographie.pdf', 'Facture — reprographie', ['Impression des supports et convocations : 650,00 € TTC', 'Mandat MDT-2025-0201 du 14/03/2025'], '2025-03-14');

  const result: DemoResult = { conventionId: c.id, organismes: { mednum: mednum.id, famillesRurales: familles.id }, marches: { an, ac }, sessions: [] };

  // 6. Sessions, attendance, sheets and certificates; then the engineering action (reliquat).
  if (opts.sessions) {
    await opts.sessions(ctx, result);
    const action = (await api(ctx, 'convention.get', { id: c.id })).engineeringActions[0];
    const eng = await api(ctx, 'marche.expenses.create', { conventionId: c.id, kind: 'ingenierie', engineeringActionId: action.id, label: 'Conception et impression du kit d’animation', expenseDate: '2025-10-06', amountCents: 1_800_00 });
    await attachPdf(ctx, 'expense', eng.id, 'justificatif', 'facture-kit-animation.pdf', 'Facture — kit d’animation', ['Conception et impression du kit d’animation : 1 800,00 € TTC', 'Mandat MDT-2025-0877 du 06/10/2025'], '2025-10-06');
  }
  return result;
}

interface ProcureInput {
  label: string;
  kind: 'AN' | 'AN_AC' | 'AC';
  seats: number;
  need: [string, string];
  /** The demande de devis sent: the threshold in force is that day's (décret n° 2025-1386, art. 4). */
  consultationDate: string;
  quotes: { of: number; ofName: string; htCents: number; date: string; ref: string }[];
  reason: string;
  order: { number: string; date: string };
  invoice: { number: string; date: string };
  payment: { mandate: string; date: string };
}

async function procure(ctx: ServiceContext, conventionId: number, p: ProcureInput): Promise<number> {
  const m = await api(ctx, 'marche.create', { conventionId, label: p.label, kind: p.kind, seats: p.seats, needStart: p.need[0], needEnd: p.need[1], consultationDate: p.consultationDate });
  let last = m;
  for (const q of p.quotes) {
    last = await api(ctx, 'marche.addQuote', { marcheId: m.id, organismeId: q.of, reference: q.ref, quoteDate: q.date, amountHtCents: q.htCents, vatCents: 0, vatExemption: EXEMPT });
    const quote = last.quotes[last.quotes.length - 1];
    await attachPdf(ctx, 'quote', quote.id, 'devis', `devis-${q.ref}.pdf`, `Devis ${q.ref} — ${q.ofName}`, [p.label, `Montant : ${(q.htCents / 100).toFixed(2)} € HT, exonéré de TVA`], q.date);
  }
  const chosen = last.quotes[0];
  await api(ctx, 'marche.choose', { marcheId: m.id, quoteId: chosen.id, reason: p.reason, choiceDate: p.order.date });
  const ordered = await api(ctx, 'marche.createOrder', { marcheId: m.id, number: p.order.number, orderDate: p.order.date, contractStart: p.need[0], contractEnd: p.need[1], acceptWarnings: true });
  const order = ordered.order!;
  const bc = await api(ctx, 'marche.pdf', { marcheId: m.id, document: 'bon_de_commande' });
  await api(ctx, 'pieces.attach', { ownerType: 'order', ownerId: order.id, role: 'bon_de_commande', fileName: `bon-de-commande-${p.order.number}-signe.pdf`, contentBase64: bc.contentBase64 });
  const note = await api(ctx, 'marche.pdf', { marcheId: m.id, document: 'note_de_choix' });
  await api(ctx, 'pieces.attach', { ownerType: 'order', ownerId: order.id, role: 'note_de_choix', fileName: `note-de-choix-${p.order.number}.pdf`, contentBase64: note.contentBase64 });
  const inv = await api(ctx, 'marche.addInvoice', { orderId: order.id, number: p.invoice.number, invoiceDate: p.invoice.date, amountCents: order.amountTtcCents });
  const invoice = inv.order!.invoices[0];
  await attachPdf(ctx, 'invoice', invoice.id, 'facture', `facture-${p.invoice.number}.pdf`, `Facture ${p.invoice.number}`, [p.label, `Bon de commande ${p.order.number}`, `Montant : ${(order.amountTtcCents / 100).toFixed(2)} €`], p.invoice.date);
  const paid = await api(ctx, 'marche.addPayment', { invoiceId: invoice.id, paymentDate: p.payment.date, amountCents: order.amountTtcCents, mandateRef: p.payment.mandate });
  const payment = paid.order!.invoices[0].payments[0];
  await attachPdf(ctx, 'payment', payment.id, 'preuve_paiement', `mandat-${p.payment.mandate}.pdf`, `Mandat de paiement ${p.payment.mandate}`, [`Facture ${p.invoice.number}`, `Payé le ${p.payment.date}`], p.payment.date);
  return m.id;
}

// ---------------------------------------------------------------------------------------------
// Sessions, attendance, sheets and certificates (step 4 and step 5), through the channels
// ---------------------------------------------------------------------------------------------

const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64');

/** A multi-page PDF standing for the OF's signed certificates scanned in one go: one page per person. */
async function certificatesPdf(session: { title: string; lastDate: string | null; organismeName: string | null }, people: { nom: string; prenom: string }[]): Promise<Uint8Array> {
  const date = session.lastDate ?? '2025-06-30';
  const d = new Date(`${date}T12:00:00Z`);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`Attestations de fin de formation — ${session.title}`);
  doc.setProducer('FNE Formations — démonstration');
  doc.setCreator('FNE Formations — démonstration');
  doc.setCreationDate(d);
  doc.setModificationDate(d);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (const p of people) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText('DOCUMENT DE DÉMONSTRATION', { x: 50, y: 790, size: 9, font: bold });
    page.drawText('Attestation de fin de formation', { x: 50, y: 760, size: 16, font: bold });
    const lines = [
      `${session.organismeName ?? 'L’organisme de formation'} atteste que`,
      `${p.prenom} ${p.nom.toUpperCase()}`,
      `a suivi la formation « ${session.title} »,`,
      `achevée le ${date.split('-').reverse().join('/')}.`,
      'Signature et cachet de l’organisme : (signé)',
    ];
    lines.forEach((l, i) => page.drawText(l, { x: 50, y: 720 - i * 18, size: 11, font }));
  }
  return doc.save({ useObjectStreams: false });
}

/** The OF's attendance file as it arrives by e-mail: a title, then one row per trainee, one column per half-day. */
function attendanceWorkbook(halfDays: { id: number; date: string; period: string }[], rows: { nom: string; prenom: string; email: string | null; statuses: string[] }[]): Buffer {
  const fr = (iso: string) => iso.split('-').reverse().join('/');
  const aoa: unknown[][] = [
    ['Feuille de présence — relevé de l’organisme de formation'],
    [],
    ['Stagiaire', 'Courriel', ...halfDays.map((h) => `${fr(h.date)} ${h.period === 'matin' ? 'matin' : 'après-midi'}`)],
    ...rows.map((r) => [`${r.nom.toUpperCase()} ${r.prenom}`, r.email ?? '', ...r.statuses]),
  ];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Présences');
  wb.Props = { Title: 'Présences', CreatedDate: new Date('2025-06-30T12:00:00Z') };
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

export interface DemoSessionsSummary {
  sessions: number[];
  registrations: number;
  absent: number;
}

/**
 * Three Aidant Numérique sessions (Familles Rurales, order BC-2025-001: 48 trainees, plus one
 * registered person who did not come) and one Aidants Connect session (Mednum, BC-2025-002:
 * 18 trainees, some of whom also followed AN — two departures each). Attendance arrives as the
 * OF's spreadsheet (imported), as a CSV export, or is typed with the whole-column action; one
 * partial attendance is accepted with its reason. Each session gets its signed émargement
 * sheet; certificates arrive as one scanned multi-page PDF per AN session (split per person)
 * and one PDF per person for Aidants Connect, with the Pix test date.
 */
export async function demoSessions(ctx: ServiceContext, d: DemoResult): Promise<DemoSessionsSummary> {
  const anOrder = (await api(ctx, 'marche.get', { id: d.marches.an })).order!;
  const acOrder = (await api(ctx, 'marche.get', { id: d.marches.ac })).order!;
  const day = (date: string) => [
    { date, period: 'matin' as const, start: '09:00', end: '12:30' },
    { date, period: 'apres_midi' as const, start: '13:30', end: '17:00' },
  ];
  const anPlan = [
    { title: 'Aidant Numérique — Guéret', place: 'Guéret, maison du Département, salle 2', date: '2025-03-18', size: 16 },
    { title: 'Aidant Numérique — Aubusson', place: 'Aubusson, espace France Services', date: '2025-04-15', size: 16 },
    { title: 'Aidant Numérique — La Souterraine', place: 'La Souterraine, médiathèque', date: '2025-05-13', size: 17 },
  ];
  const summary: DemoSessionsSummary = { sessions: [], registrations: 0, absent: 0 };

  // Aidants Connect first: the people who asked for it (AC, then AN + brique AC).
  const ac = await api(ctx, 'sessions.create', {
    conventionId: d.conventionId,
    kind: 'AC',
    title: 'Aidants Connect — Guéret',
    orderId: acOrder.id,
    modality: 'presentiel',
    place: 'Guéret, maison du Département, salle 1',
    // 18 places agreed with the OF (the default is 12, the 2021 plan recommends 8 to 15).
    capacity: 18,
    trainers: ['Formateur Mednum'],
    halfDays: day('2025-06-10'),
  });
  const acCandidates = (await api(ctx, 'sessions.candidates', { sessionId: ac.id, assignableOnly: true, limit: 500 })).rows;
  const rank = (w: string | null) => (w === 'AC' ? 0 : w === 'AN_AC' ? 1 : 2);
  const acPeople = [...acCandidates].sort((a, b) => rank(a.trainingWish) - rank(b.trainingWish) || a.personId - b.personId).slice(0, 18);
  await api(ctx, 'sessions.register', { sessionId: ac.id, personIds: acPeople.map((p) => p.personId) });
  // Before the training (guide for training organisations): the list sent to ANCT, eligibility
  // validated by ANCT, sandbox access opened.
  for (const [step, date] of [
    ['demande', '2025-05-15'],
    ['eligibilite_validee', '2025-05-22'],
    ['bac_a_sable', '2025-05-27'],
  ] as const) {
    await api(ctx, 'sessions.ac.recordStep', { sessionId: ac.id, personIds: acPeople.map((p) => p.personId), step, date });
  }
  summary.sessions.push(ac.id);
  summary.registrations += acPeople.length;

  // Aidant Numérique: whoever can still follow it, AN wishes first.
  const anRank = (w: string | null) => (w === 'AN' ? 0 : w === 'AN_AC' ? 1 : 2);
  const anSessions = [];
  for (const s of anPlan) {
    const created = await api(ctx, 'sessions.create', {
      conventionId: d.conventionId,
      kind: 'AN',
      title: s.title,
      orderId: anOrder.id,
      modality: 'presentiel',
      place: s.place,
      capacity: 18,
      trainers: ['Formatrice Familles Rurales'],
      halfDays: day(s.date),
    });
    const candidates = (await api(ctx, 'sessions.candidates', { sessionId: created.id, assignableOnly: true, limit: 500 })).rows;
    const chosen = [...candidates].sort((a, b) => anRank(a.trainingWish) - anRank(b.trainingWish) || a.personId - b.personId).slice(0, s.size);
    if (chosen.length < s.size) throw new Error(`Pas assez de professionnels éligibles pour « ${s.title} » (${chosen.length} sur ${s.size}).`);
    await api(ctx, 'sessions.register', { sessionId: created.id, personIds: chosen.map((p) => p.personId) });
    summary.sessions.push(created.id);
    summary.registrations += chosen.length;
    anSessions.push(created.id);
  }

  // Attendance ---------------------------------------------------------------------------------
  const registered = async (sessionId: number) => (await api(ctx, 'presence.get', { sessionId })).session.participants.filter((p) => p.status === 'inscrit');
  // AN 1: the OF's spreadsheet, imported (preview, then commit).
  {
    const id = anSessions[0];
    const s = await api(ctx, 'sessions.get', { id });
    const people = await registered(id);
    const file = attendanceWorkbook(s.halfDays, people.map((p) => ({ nom: p.nom, prenom: p.prenom, email: p.email, statuses: s.halfDays.map(() => 'X') })));
    const input = { sessionId: id, fileName: 'presences-familles-rurales-gueret.xlsx', contentBase64: b64(file) };
    const plan = await api(ctx, 'presence.import.preview', input);
    if (plan.unmatched.length || plan.invalid.length || plan.matched.length !== people.length) throw new Error('Le relevé de présence de démonstration ne correspond pas aux inscrits.');
    await api(ctx, 'presence.import.commit', input);
  }
  // AN 2: a CSV export (« ; », UTF-8 with BOM), names only, 1/0 per half-day.
  {
    const id = anSessions[1];
    const people = await registered(id);
    const csv = ['Nom;Prénom;Jour 1 matin;Jour 1 après-midi', ...people.map((p) => `${p.nom};${p.prenom};1;1`)].join('\r\n');
    await api(ctx, 'presence.import.commit', { sessionId: id, fileName: 'presences-aubusson.csv', contentBase64: b64(Buffer.from('\ufeff' + csv, 'utf8')) });
  }
  // AN 3: typed with the whole-column action; one person never came, one left at noon (accepted).
  {
    const id = anSessions[2];
    const s = await api(ctx, 'sessions.get', { id });
    const people = await registered(id);
    const [am, pm] = s.halfDays;
    const absent = people[people.length - 1];
    const leftAtNoon = people[0];
    await api(ctx, 'sessions.attendance.set', { registrationId: absent.registrationId, halfDayId: am.id, status: 'absent' });
    await api(ctx, 'sessions.attendance.set', { registrationId: absent.registrationId, halfDayId: pm.id, status: 'absent' });
    await api(ctx, 'sessions.attendance.set', { registrationId: leftAtNoon.registrationId, halfDayId: pm.id, status: 'excuse' });
    await api(ctx, 'presence.halfDay.setAll', { sessionId: id, halfDayId: am.id, status: 'present', onlyEmpty: true });
    await api(ctx, 'presence.halfDay.setAll', { sessionId: id, halfDayId: pm.id, status: 'present', onlyEmpty: true });
    await api(ctx, 'sessions.attendance.acceptPartial', { registrationId: leftAtNoon.registrationId, reason: 'Appelée en urgence par sa mairie l’après-midi ; les contenus ont été repris avec la formatrice le 20/05/2025.' });
    summary.absent++;
  }
  // AC: everyone present (whole column); at the end of the day each chooses a connection method
  // and takes the Pix test; two days later the attendance is reported on ANCT's table.
  {
    const s = await api(ctx, 'sessions.get', { id: ac.id });
    for (const h of s.halfDays) await api(ctx, 'presence.halfDay.setAll', { sessionId: ac.id, halfDayId: h.id, status: 'present' });
    for (const p of await registered(ac.id)) await api(ctx, 'presence.pix.set', { registrationId: p.registrationId, date: '2025-06-10' });
    const people = (await registered(ac.id)).map((p) => p.personId);
    await api(ctx, 'sessions.ac.setConnection', { sessionId: ac.id, personIds: people, method: 'application' });
    await api(ctx, 'sessions.ac.recordStep', { sessionId: ac.id, personIds: people, step: 'presence_transmise', date: '2025-06-12' });
  }

  // Signed émargement sheets and certificates -----------------------------------------------------
  for (const id of summary.sessions) {
    const sheet = await api(ctx, 'sessions.pdf', { sessionId: id, document: 'emargement' });
    await api(ctx, 'pieces.attach', { ownerType: 'session', ownerId: id, role: 'feuille_presence', fileName: `emargement-signe-${id}.pdf`, contentBase64: sheet.contentBase64 });
  }
  for (const id of anSessions) {
    const p = await api(ctx, 'presence.get', { sessionId: id });
    const attended = p.session.participants.filter((x) => x.status === 'inscrit' && x.attended);
    const pdf = await certificatesPdf(p.session, attended);
    // The scan holds the certificates of those who attended, in the list's order.
    await api(ctx, 'presence.certificates.split', {
      sessionId: id,
      fileName: `attestations-${id}.pdf`,
      contentBase64: b64(pdf),
      assignments: attended.map((x, i) => ({ page: i + 1, registrationId: x.registrationId })),
    });
  }
  {
    const p = await api(ctx, 'presence.get', { sessionId: ac.id });
    for (const x of p.session.participants.filter((y) => y.status === 'inscrit' && y.attended)) {
      const pdf = await certificatesPdf(p.session, [x]);
      await api(ctx, 'pieces.attach', { ownerType: 'registration', ownerId: x.registrationId, role: 'attestation_fin_formation', fileName: `attestation-${x.nom}-${x.prenom}.pdf`, contentBase64: b64(pdf) });
    }
  }
  d.sessions.push(...summary.sessions);
  return summary;
}

// ---------------------------------------------------------------------------------------------
// The command: npm run demo -- --out DOSSIER
// ---------------------------------------------------------------------------------------------
async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--out');
  const out = i >= 0 ? argv[i + 1] : undefined;
  if (!out || out.startsWith('--')) {
    process.stderr.write('Usage : npm run demo -- --out DOSSIER\n');
    return 1;
  }
  const outDir = path.resolve(out);
  const dataDir = path.join(outDir, 'donnees-demo');
  const dbFile = path.join(dataDir, 'fne-formations.sqlite');
  if (fs.existsSync(dbFile)) {
    process.stderr.write(`Une base de démonstration existe déjà (${dbFile}) : choisissez un autre dossier ou supprimez-la.\n`);
    return 1;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const { openApp } = await import('../electron/services/app');
  const { generateDossier } = await import('../electron/services/justification/dossier');
  const fixed = new Date(DEMO_NOW);
  const ctx = openApp({ dbFile, dataDir, actor: 'demo', now: () => fixed });
  try {
    process.stdout.write('Construction de la convention de démonstration (convention, recensement, marchés, sessions, présences, attestations, pièces)…\n');
    const d = await buildDemo(ctx, { sessions: demoSessions });
    process.stdout.write('Génération du dossier de fin de convention…\n');
    const r = await generateDossier(ctx, d.conventionId, { outDir });
    process.stdout.write(`\nDossier : ${r.folderPath}\nZIP     : ${r.zipPath}\nSHA-256 : ${r.zipSha256}\n`);
    for (const part of r.parts) process.stdout.write(`  ${part.label} : ${part.folderPath} (${part.files} fichiers)\n`);
    process.stdout.write(`${r.manifest.length + 1} fichiers, ${r.departures} départs dans le tableau art. 5.2.\n`);
    process.stdout.write(`Base de la démonstration : ${dbFile}\n  (npm run cli -- check --db "${dbFile}" ; npm run web -- --db "${dbFile}")\n`);
    if (r.checklist.ready) process.stdout.write('Liste de contrôle : aucun élément manquant.\n');
    else {
      process.stdout.write(`Liste de contrôle : ${r.checklist.missingCount} élément(s) manquant(s) :\n`);
      for (const it of r.checklist.items) process.stdout.write(`  - ${it.label} : ${it.missing}\n`);
    }
    return 0;
  } finally {
    await ctx.store.close();
  }
}

if (typeof require !== 'undefined' && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`La démonstration a échoué : ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
