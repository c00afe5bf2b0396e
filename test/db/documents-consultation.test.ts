// The consultation of training organisations for one need: defaults built from the need, the
// officer's edits stored, the demande de devis as PDF (read back with pdftotext) and Word, quotes
// recorded on the need and compared side by side; refused input changes nothing. Migration 0006.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../electron/db/migrate';
import type { ServiceContext } from '../../electron/services/context';
import { dispatch } from '../../electron/services/handlers';
import type { ChannelName, InputOf, OutputOf } from '../../shared/ipc/contract';
import type { IpcError } from '../../shared/ipc/envelope';
import { creuseConvention, dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { readZip } from '../helpers/zip';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
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

const MEDNUM = { name: 'Mednum Formation', siret: '812 345 676 00017', nda: '75230123423', qualiopiActionsFormation: true, qualiopiIssuer: 'AFNOR Certification', qualiopiValidFrom: '2022-01-01', qualiopiValidUntil: '2027-12-31', anctReferencedDate: '2024-05-01' };
const FAMILLES = { name: 'Familles Rurales — Fédération régionale', siret: '77567890700020', nda: '75870045687', qualiopiActionsFormation: true, qualiopiIssuer: 'Bureau Veritas', qualiopiValidFrom: '2021-06-01', qualiopiValidUntil: '2027-06-30' };
const ASSO = { name: 'Numérique Solidaire Formation', siret: '44100223300019', qualiopiIssuer: 'Certi Qualité', nda: '75230999990', qualiopiActionsFormation: true, qualiopiValidFrom: '2023-01-01', qualiopiValidUntil: '2028-01-01', anctReferencedDate: '2023-09-01' };

async function setup() {
  const a = openTestApp({ now: '2025-03-03T09:00:00Z' });
  apps.push(a);
  const c = await api(a.ctx, 'convention.create', creuseConvention);
  const mednum = await api(a.ctx, 'marche.of.create', MEDNUM);
  const familles = await api(a.ctx, 'marche.of.create', FAMILLES);
  const asso = await api(a.ctx, 'marche.of.create', ASSO);
  const m = await api(a.ctx, 'marche.create', { conventionId: c.id, label: 'Aidants Connect — agents France Services', kind: 'AC', seats: 26, needStart: '2025-05-05', needEnd: '2025-06-27' });
  // The census: 3 eligible professionals wish AC or both, one ineligible does too, one wishes AN.
  const s = await api(a.ctx, 'recensement.structures.save', { values: { name: 'France Services Bourganeuf', postcode: '23400' } });
  for (const [nom, wish, statut] of [['Alpha', 'AC', 'Agent public'], ['Bravo', 'AN_AC', 'Agent public'], ['Charlie', 'AC', 'Salarié'], ['Delta', 'AC', 'Bénévole'], ['Echo', 'AN', 'Agent public']] as const) {
    await api(a.ctx, 'recensement.people.save', { values: { nom, prenom: 'Test', email: `${nom.toLowerCase()}.test@fs23.fr`, structureId: s.id, trainingWish: wish, statut } });
  }
  return { a, ctx: a.ctx, conventionId: c.id, marcheId: m.id, mednum: mednum.id, familles: familles.id, asso: asso.id };
}

function pdfText(bytes: Uint8Array): string {
  const file = path.join(tempDir(), 'dd.pdf');
  fs.writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u00a0\u202f]/g, ' ').replace(/[ ]+/g, ' ');
}

describe('consultation des organismes de formation', () => {
  it('proposes texts built from the need, stores the officer’s edits, and the PDF carries the figures and the requirements', async () => {
    const { ctx, marcheId, mednum, familles, asso } = await setup();
    const d = await api(ctx, 'documents.consultation.get', { marcheId });
    expect(d.saved).toBe(false);
    expect(d.groups).toBe(3); // 26 places, groups of 12 at most
    expect(d.deadline).toBe('2025-03-24'); // three weeks from today
    expect(d.need).toMatchObject({ seats: 26, kind: 'AC', period: 'du 05/05/2025 au 27/06/2025', wishing: 3 });
    expect(d.contextText).toContain('20 000,00 €');
    expect(d.contextText).toContain('au moins 60 professionnels');
    expect(d.publicText).toContain('3 professionnels éligibles recensés souhaitent cette formation');
    expect(d.placesText).toContain('en 3 groupes d’environ 9 participants');
    expect(d.contentText).toMatch(/Aidants Connect \(7 h/);
    // No referencing with ANCT asked beforehand: the CD references the chosen OF after the choice.
    expect(d.requirements.join(' ')).not.toMatch(/organisme référencé par l’ANCT/);
    expect(d.requirements.join(' ')).toMatch(/Aucun référencement préalable auprès de l’ANCT n’est demandé pour répondre/);
    expect(d.documentsWithOffer.join(' ')).not.toMatch(/référencement/);
    // The Commun de formation (CC BY-SA 4.0, first slide kept) and the attendance certificates sent promptly.
    expect(d.requirements.join(' ')).toMatch(/Commun de formation.*Creative Commons BY-SA 4\.0.*première diapositive standardisée/);
    expect(d.requirements.join(' ')).toMatch(/transmettre rapidement au Conseil départemental les attestations de présence/);
    // Refused: not even the document can be produced before the texts are stored.
    expect((await refused(ctx, 'documents.consultation.document', { marcheId, format: 'pdf' })).message).toMatch(/Enregistrez d’abord/);

    const saved = await api(ctx, 'documents.consultation.save', {
      marcheId,
      reference: 'DD-2025-07',
      deadline: '2025-03-28',
      groups: 2,
      modality: 'mixte',
      contact: 'Service inclusion numérique — fne@creuse.fr — 05 55 00 00 00',
      contextText: d.contextText,
      publicText: d.publicText,
      placesText: 'Deux groupes : Guéret (Hôtel du Département) et Aubusson (France Services). Sessions de mai à juin 2025.',
      contentText: d.contentText + '\nUn temps d’échange sur les situations rencontrées aux guichets France Services.',
      criteriaText: d.criteriaText,
      otherText: 'Merci de préciser vos disponibilités en mai.',
      organismeIds: [mednum, familles, asso],
    });
    expect(saved).toMatchObject({ saved: true, groups: 2, modality: 'mixte', reference: 'DD-2025-07', organismeIds: [mednum, familles, asso].sort((x, y) => x - y) });
    expect((await api(ctx, 'documents.consultation.get', { marcheId })).placesText).toMatch(/^Deux groupes : Guéret/);

    const pdf = await api(ctx, 'documents.consultation.document', { marcheId, format: 'pdf' });
    expect(pdf.fileName).toBe(`demande-de-devis-marche-${marcheId}.pdf`);
    const bytes = Buffer.from(pdf.contentBase64, 'base64');
    const text = pdfText(bytes);
    for (const expected of [
      'DEMANDE DE DEVIS — CAHIER DES CHARGES',
      'Conseil départemental de la Creuse',
      'Référence : DD-2025-07',
      'Réponse attendue avant le 28/03/2025',
      'Formation Aidants Connect',
      '26', // places
      '2 (≈ 13 pers.)', // groups
      'du 05/05/2025 au 27/06/2025',
      'Mixte (présentiel et distance)',
      'Deux groupes : Guéret (Hôtel du Département)',
      'Un temps d’échange sur les situations rencontrées',
      'Certification Qualiopi au titre des actions de formation',
      'Aucun référencement préalable auprès de l’ANCT',
      'Commun de formation',
      'Creative Commons BY-SA 4.0',
      'première diapositive standardisée',
      'transmettre rapidement au Conseil départemental les attestations de présence',
      'test Pix',
      'Devis daté et signé',
      'Certificat Qualiopi',
      'Numéro de déclaration d’activité (NDA)',
      'Programme détaillé',
      'Feuilles d’émargement',
      'Attestation de fin de formation',
      'Critères de choix',
      'R2122-8',
      'Merci de préciser vos disponibilités en mai.',
      'fne@creuse.fr',
      '20 000,00 €',
    ]) {
      expect(text.replace(/\s+/g, ' '), expected).toContain(expected);
    }
    // Every character was drawable (an unknown one would show as « ? »; line breaks start new lines).
    expect(text).not.toContain('?');
    expect(text).toMatch(/Le test Pix suit la formation\.\s*\n\s*Un temps d’échange/);
    // The organisations consulted are not named in the document each of them receives.
    expect(text).not.toContain('Mednum');
    if (process.env.FNE_KEEP_PDF) fs.writeFileSync(process.env.FNE_KEEP_PDF, bytes);

    // Word: the same content, editable.
    const docx = await api(ctx, 'documents.consultation.document', { marcheId, format: 'docx' });
    const docxFile = path.join(tempDir(), docx.fileName);
    fs.writeFileSync(docxFile, Buffer.from(docx.contentBase64, 'base64'));
    const xml = (await readZip(docxFile)).find((e) => e.name === 'word/document.xml')!.bytes.toString('utf8');
    const wordText = xml.replace(/<[^>]+>/g, '');
    for (const expected of ['DEMANDE DE DEVIS', 'Réponse attendue avant le 28/03/2025', 'Deux groupes : Guéret', 'Aucun référencement préalable auprès de l’ANCT', 'Commun de formation', 'Feuilles d’émargement', 'R2122-8']) expect(wordText).toContain(expected);
  });

  it('refuses bad input and changes nothing', async () => {
    const { a, ctx, marcheId, mednum } = await setup();
    const d = await api(ctx, 'documents.consultation.get', { marcheId });
    const good = {
      marcheId,
      deadline: '2025-03-28',
      groups: 2,
      modality: 'presentiel' as const,
      contextText: d.contextText,
      publicText: d.publicText,
      placesText: d.placesText,
      contentText: d.contentText,
      criteriaText: d.criteriaText,
      organismeIds: [mednum],
    };
    const before = dbSnapshot(ctx);
    expect((await refused(ctx, 'documents.consultation.save', { ...good, groups: 27 })).fields?.groups).toMatch(/27 groupes pour 26 places/);
    expect((await refused(ctx, 'documents.consultation.save', { ...good, contentText: '   ' })).fields?.contentText).toMatch(/contenu attendu/);
    expect((await refused(ctx, 'documents.consultation.save', { ...good, deadline: '2025-02-30' })).fields?.deadline).toBeTruthy();
    expect((await refused(ctx, 'documents.consultation.save', { ...good, deadline: '2025-03-01' })).fields?.deadline).toMatch(/déjà passée/);
    expect((await refused(ctx, 'documents.consultation.save', { ...good, organismeIds: [1] })).fields?.organismeIds).toMatch(/formateurs internes/);
    expect((await refused(ctx, 'documents.consultation.save', { ...good, organismeIds: [999] })).fields?.organismeIds).toMatch(/introuvable/);
    expect((await refused(ctx, 'documents.consultation.save', { ...good, marcheId: 999 })).code).toBe('not_found');
    expect((await refused(ctx, 'documents.consultation.save', { ...good, modality: 'hybride' as 'mixte' })).code).toBe('invalid_input');
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    // A good save is audited.
    await api(ctx, 'documents.consultation.save', good);
    const audit = a.ctx.store.sqlite.prepare("SELECT action, entity FROM audit_log WHERE entity = 'consultations'").all();
    expect(audit).toEqual([{ action: 'create', entity: 'consultations' }]);
  });

  it('compares the quotes received side by side: late answers, Aidants Connect without ANCT referencing (admissible: referenced after the choice), cheapest admissible offer, silent organisations', async () => {
    const { ctx, marcheId, mednum, familles, asso } = await setup();
    const d = await api(ctx, 'documents.consultation.get', { marcheId });
    await api(ctx, 'documents.consultation.save', {
      marcheId,
      deadline: '2025-03-28',
      groups: 2,
      modality: 'presentiel',
      contextText: d.contextText,
      publicText: d.publicText,
      placesText: d.placesText,
      contentText: d.contentText,
      criteriaText: d.criteriaText,
      organismeIds: [mednum, familles, asso],
    });
    await api(ctx, 'marche.of.addTraining', { organismeId: mednum, kind: 'AC', title: 'Devenir aidant Aidants Connect', hours: 7, priceCents: 350_00, priceUnit: 'place' });
    const withTraining = await api(ctx, 'marche.of.get', { id: mednum });
    await api(ctx, 'marche.addQuote', { marcheId, organismeId: mednum, trainingId: withTraining.trainings[0].id, reference: 'MN-118', quoteDate: '2025-03-20', amountHtCents: 7_800_00, vatCents: 0, vatExemption: 'Art. 261-4-4° a du CGI' });
    // Familles Rurales is not referenced by the ANCT yet: still admissible (the CD references the chosen OF after the choice).
    await api(ctx, 'marche.addQuote', { marcheId, organismeId: familles, quoteDate: '2025-03-21', amountHtCents: 6_000_00, vatCents: 1_200_00 });
    const cmp = await api(ctx, 'documents.consultation.comparison', { marcheId });
    expect(cmp).toMatchObject({ deadline: '2025-03-28', groups: 2, seats: 26, consultedWithoutAnswer: [{ organismeId: asso, organismeName: ASSO.name }] });
    expect(cmp.offers.map((o) => [o.organismeName, o.amountTtcCents, o.pricePerSeatCents, o.pricePerGroupCents, o.hours, o.late, o.cheapest, o.problems.length > 0, o.consulted])).toEqual([
      ['Mednum Formation', 7_800_00, 30_000, 3_900_00, 7, false, false, false, true],
      [FAMILLES.name, 7_200_00, 27_692, 3_600_00, null, false, true, false, true],
    ]);
    expect(cmp.offers[1]).toMatchObject({ anctReferencedDate: null, anctRequired: true, problems: [] });
    // A late answer is flagged.
    await api(ctx, 'marche.addQuote', { marcheId, organismeId: asso, quoteDate: '2025-04-02', amountHtCents: 7_000_00, vatCents: 0, vatExemption: 'Art. 261-4-4° a du CGI' });
    const cmp2 = await api(ctx, 'documents.consultation.comparison', { marcheId });
    expect(cmp2.offers.find((o) => o.organismeId === asso)).toMatchObject({ late: true, cheapest: true });
    expect(cmp2.offers.find((o) => o.organismeId === familles)!.cheapest).toBe(false);
    expect(cmp2.consultedWithoutAnswer).toEqual([]);
  });
});

describe('migration 0006', () => {
  it('adds the consultation tables on a database of version 5, with their checks', () => {
    const d = new Database(path.join(tempDir(), 'm.sqlite'));
    migrate(d, { to: 5 });
    d.prepare("INSERT INTO conventions (label, departement, beneficiaire_nom, amount_cents, end_date, departure_target, created_at, updated_at) VALUES ('c','23','CD',2000000,'2025-12-31',60,'t','t')").run();
    d.prepare("INSERT INTO marches (convention_id, label, kind, seats, created_at, updated_at) VALUES (1, 'besoin', 'AN', 10, 't', 't')").run();
    migrate(d, { to: 6 });
    expect(d.pragma('user_version', { simple: true })).toBe(6);
    const ins = (modality: string, deadline = '2025-03-28', groups = 1) =>
      d
        .prepare(
          `INSERT INTO consultations (marche_id, deadline, groups, modality, context_text, public_text, places_text, content_text, criteria_text, created_at, updated_at)
           VALUES (1, ?, ?, ?, 'c', 'p', 'l', 'ct', 'cr', 't', 't')`,
        )
        .run(deadline, groups, modality);
    expect(() => ins('hybride')).toThrow(/CHECK/);
    expect(() => ins('mixte', '28/03/2025')).toThrow(/CHECK/);
    expect(() => ins('mixte', '2025-03-28', 0)).toThrow(/CHECK/);
    ins('mixte');
    expect(() => ins('mixte')).toThrow(/UNIQUE/);
    d.prepare('INSERT INTO consultation_organismes (consultation_id, organisme_id) VALUES (1, 1)').run();
    expect(d.pragma('foreign_key_check')).toEqual([]);
    d.close();
  });
});
