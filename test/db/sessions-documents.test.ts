// Step 4 documents read back: the OF list (exactly its columns), the ANCT list (the FNE table's
// names), formula injection made inert, the émargement PDF (every name, 36 + 2 signature boxes),
// and the Aidants Connect follow-up moved by registration, attendance, bulk update and re-import.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import { ANCT_COLUMNS, OF_COLUMNS } from '../../electron/services/sessions/exports';
import { dbSnapshot, fixturesDir, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { api, conventionWithAcOrder, person, refused, structure, twoHalfDays } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function sessionOf18() {
  const a = openTestApp({ now: '2025-03-20T09:00:00Z' });
  apps.push(a);
  const { ctx } = a;
  const { conventionId, orderId } = await conventionWithAcOrder(ctx);
  const st = await structure(ctx);
  const s = await api(ctx, 'sessions.create', {
    conventionId,
    kind: 'AC',
    title: 'Aidants Connect — Guéret',
    orderId,
    modality: 'presentiel',
    place: 'Salle du conseil, 4 place Louis-Lacrocq, Guéret',
    halfDays: twoHalfDays,
    trainers: ['Léa Formatrice'],
    // 18 places (the default is now 12, the 2021 plan's group size).
    capacity: 18,
  });
  const ids: number[] = [];
  ids.push(await person(ctx, st, { nom: '=HYPERLINK("http://x.example","clic")', prenom: 'Hélène', email: 'helene.hyper@gueret.fr' }));
  ids.push(await person(ctx, st, { nom: 'Dupré-Lefèvre', prenom: 'Anaïs', email: 'anais.dupre@gueret.fr', profession: 'Agent d’accueil France Services' }));
  while (ids.length < 18) ids.push(await person(ctx, st));
  await api(ctx, 'sessions.register', { sessionId: s.id, personIds: ids });
  return { ctx, conventionId, sessionId: s.id, ids, dir: a.dir };
}

function readSheet(bytes: Buffer): { rows: unknown[][]; ws: XLSX.WorkSheet } {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0]];
  return { rows: XLSX.utils.sheet_to_json(ws, { header: 1, defval: null }), ws };
}

describe('exports', () => {
  it('the OF list has exactly nom, prénom, fonction, e-mail, téléphone, structure, SIRET, adresse, code postal, ville; a formula is inert', async () => {
    const { ctx, sessionId } = await sessionOf18();
    const x = await api(ctx, 'sessions.export', { audience: 'of', format: 'xlsx', sessionId });
    expect(x.fileName).toBe('participants-2025-04-08-aidants-connect-gueret.xlsx');
    const { rows, ws } = readSheet(Buffer.from(x.contentBase64, 'base64'));
    expect(rows[0]).toEqual(['Nom', 'Prénom', 'Fonction', 'E-mail', 'Téléphone', 'Structure', 'SIRET', 'Adresse', 'Code postal', 'Ville']);
    expect(rows[0]).toEqual([...OF_COLUMNS]);
    expect(rows).toHaveLength(19);
    const anais = rows.find((r) => r[1] === 'Anaïs')!;
    expect(anais).toEqual(['Dupré-Lefèvre', 'Anaïs', 'Agent d’accueil France Services', 'anais.dupre@gueret.fr', '05 55 00 00 00', 'Mairie de Guéret', '21230096500010', '1 rue de la Mairie', '23000', 'Guéret']);
    // The formula typed as a name comes out as text, not as a formula.
    const cells = Object.entries(ws).filter(([k]) => !k.startsWith('!')) as [string, XLSX.CellObject][];
    expect(cells.some(([, c]) => c.f !== undefined)).toBe(false);
    const hyper = rows.find((r) => r[1] === 'Hélène')!;
    expect(hyper[0]).toBe('\'=HYPERLINK("http://x.example","clic")');

    const c = await api(ctx, 'sessions.export', { audience: 'of', format: 'csv', sessionId });
    const bytes = Buffer.from(c.contentBase64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('Nom;Prénom;Fonction;E-mail;Téléphone;Structure;SIRET;Adresse;Code postal;Ville');
    expect(lines.find((l) => l.includes('Hélène'))!.startsWith(`"'=HYPERLINK(""http://x.example"",""clic"")";Hélène;`)).toBe(true);
    expect(lines.filter((l) => l !== '')).toHaveLength(19);
  });

  it('the ANCT list uses the FNE follow-up table’s column names (those of ANCT’s own file), for AC trainings only', async () => {
    const { ctx, conventionId, sessionId } = await sessionOf18();
    const fne = readSheet(fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx')));
    const x = await api(ctx, 'sessions.export', { audience: 'anct', format: 'xlsx', sessionId });
    const { rows } = readSheet(Buffer.from(x.contentBase64, 'base64'));
    expect(rows[0]).toEqual(fne.rows[0]);
    expect(rows[0]).toEqual([...ANCT_COLUMNS]);
    expect(rows[0]).toEqual(expect.arrayContaining(['Nom_de_la_structure', 'Numero_Siret', 'Nom_du_professionnel', 'Prenom_du_professionnel', 'Adresse_e_mail', 'Profession']));
    const col = (name: string) => (rows[0] as string[]).indexOf(name);
    const anais = rows.find((r) => r[col('Prenom_du_professionnel')] === 'Anaïs')!;
    expect(anais[col('Numero_Siret')]).toBe('21230096500010');
    expect(anais[col('Choix_de_la_formation')]).toBe('Aidants Connect');
    expect(rows.find((r) => r[col('Prenom_du_professionnel')] === 'Hélène')![col('Nom_du_professionnel')]).toMatch(/^'=/);
    const csv = await api(ctx, 'sessions.export', { audience: 'anct', format: 'csv', conventionId });
    expect(Buffer.from(csv.contentBase64, 'base64').toString('utf8').slice(1).split('\r\n')[0]).toBe(ANCT_COLUMNS.join(';'));
    expect(csv.rows).toBe(18);

    const an = await api(ctx, 'sessions.create', { conventionId, kind: 'AN', title: 'AN', internal: true, modality: 'presentiel', place: 'Guéret', halfDays: [{ date: '2025-05-12', period: 'matin' }] });
    expect((await refused(ctx, 'sessions.export', { audience: 'anct', format: 'xlsx', sessionId: an.id })).message).toMatch(/concerne les formations Aidants Connect/);
  });
});

describe('feuille d’émargement', () => {
  it('18 people on 2 half-days: every name, 36 participant signature boxes + 2 for the trainer, page numbers', async () => {
    const { ctx, sessionId } = await sessionOf18();
    const s = await api(ctx, 'sessions.get', { id: sessionId });
    const pdf = await api(ctx, 'sessions.pdf', { sessionId, document: 'emargement' });
    const dir = tempDir();
    const file = path.join(dir, pdf.fileName);
    fs.writeFileSync(file, Buffer.from(pdf.contentBase64, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const p of s.participants) {
      expect(text).toContain(p.nom.toUpperCase().slice(0, 12));
      expect(text).toContain(p.prenom);
    }
    expect(text).toContain('DUPRÉ-LEFÈVRE');
    expect(text.match(/Signature du formateur/g)).toHaveLength(2);
    expect(text.match(/Signature(?! du formateur)/g)).toHaveLength(36);
    expect(text).toContain('Aidants Connect — Guéret — Formation Aidants Connect');
    expect(text).toContain('Mednum Formation');
    expect(text).toContain('08/04/2025 matin');
    expect(text).toContain('08/04/2025 après-midi');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(text).toContain(`Page ${pages} / ${pages}`);
    if (process.env.FNE_KEEP_PDF) fs.copyFileSync(file, process.env.FNE_KEEP_PDF);

    const blank = await api(ctx, 'sessions.pdf', { sessionId, document: 'emargement_vierge', blankLines: 10 });
    const bfile = path.join(dir, 'vierge.pdf');
    fs.writeFileSync(bfile, Buffer.from(blank.contentBase64, 'base64'));
    const btext = execFileSync('pdftotext', ['-layout', bfile, '-'], { encoding: 'utf8' });
    expect(btext).not.toContain('Anaïs');
    expect(btext.match(/Signature(?! du formateur)/g)).toHaveLength(20);
    expect(btext.match(/Signature du formateur/g)).toHaveLength(2);

    const conv = await api(ctx, 'sessions.pdf', { sessionId, document: 'convocations' });
    const cfile = path.join(dir, 'conv.pdf');
    fs.writeFileSync(cfile, Buffer.from(conv.contentBase64, 'base64'));
    const ctext = execFileSync('pdftotext', [cfile, '-'], { encoding: 'utf8' });
    expect(ctext.match(/Convocation à une formation/g)).toHaveLength(18);
    expect(ctext).toContain('Anaïs Dupré-Lefèvre');
  });
});

describe('the ANCT list answers in the spelling of ANCT’s own FNE table', () => {
  it('Eligibilite_validee Oui/Non, Validation_du_financement OUI, A_participe_a_la_session OUI/NON (NON once every half-day is recorded), empty when unknown', async () => {
    const { ctx, sessionId, ids } = await sessionOf18();
    await api(ctx, 'sessions.ac.update', { personIds: [ids[2]], status: 'refuse', reason: 'Structure déjà habilitée par ailleurs', date: '2025-03-21' });
    await api(ctx, 'sessions.ac.update', { personIds: [ids[3]], status: 'annule', reason: 'A quitté la structure', date: '2025-03-21' });
    const s = await api(ctx, 'sessions.get', { id: sessionId });
    const reg = (id: number) => s.participants.find((p) => p.personId === id)!.registrationId;
    const [h1, h2] = s.halfDays;
    const mark = (id: number, h: { id: number }, status: 'present' | 'absent' | 'excuse') => api(ctx, 'sessions.attendance.set', { registrationId: reg(id), halfDayId: h.id, status });
    await mark(ids[4], h1, 'present');
    await mark(ids[4], h2, 'present'); // attended
    await mark(ids[5], h1, 'absent');
    await mark(ids[5], h2, 'excuse'); // did not attend
    await mark(ids[6], h1, 'present'); // second half-day not recorded yet: unknown
    await mark(ids[7], h1, 'present');
    await mark(ids[7], h2, 'absent'); // partial, not accepted: did not attend

    const x = await api(ctx, 'sessions.export', { audience: 'anct', format: 'xlsx', sessionId });
    const { rows } = readSheet(Buffer.from(x.contentBase64, 'base64'));
    const h = rows[0] as string[];
    const col = (name: string) => h.indexOf(name);
    const emailOf = (id: number) => s.participants.find((p) => p.personId === id)!.email;
    const row = (id: number) => rows.find((r) => r[col('Adresse_e_mail')] === emailOf(id))!;
    const answer = (id: number, name: string) => row(id)[col(name)];

    expect(answer(ids[1], 'Eligibilite_validee')).toBe('Oui'); // registered: eligibility validated
    expect(answer(ids[2], 'Eligibilite_validee')).toBe('Non');
    expect(answer(ids[3], 'Eligibilite_validee')).toBe(null);
    expect(answer(ids[1], 'Validation_du_financement')).toBe('OUI');
    expect(answer(ids[4], 'A_participe_a_la_session')).toBe('OUI');
    expect(answer(ids[5], 'A_participe_a_la_session')).toBe('NON');
    expect(answer(ids[6], 'A_participe_a_la_session')).toBe(null);
    expect(answer(ids[7], 'A_participe_a_la_session')).toBe('NON');
    expect(answer(ids[1], 'A_participe_a_la_session')).toBe(null);

    // Every answer we write is one ANCT's own table uses in that column (fixture as received).
    const fne = readSheet(fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'))).rows;
    for (const name of ['Eligibilite_validee', 'Validation_du_financement', 'A_participe_a_la_session', 'Choix_de_la_formation']) {
      const theirs = new Set(fne.slice(1).map((r) => r[(fne[0] as string[]).indexOf(name)]));
      const ours = new Set(rows.slice(1).map((r) => r[col(name)]).filter((v) => v !== null));
      expect(ours.size, name).toBeGreaterThan(0);
      for (const v of ours) expect(theirs.has(v), `${name} = ${String(v)}`).toBe(true);
    }
  });
});

describe('Aidants Connect follow-up', () => {
  it('moves forward with registration and attendance, in bulk with dates, and from ANCT’s table', async () => {
    const { ctx, sessionId, ids } = await sessionOf18();
    const board = await api(ctx, 'sessions.ac.list', {});
    expect(board.counts.inscrit).toBe(18);
    const s = await api(ctx, 'sessions.get', { id: sessionId });
    const p0 = s.participants.find((p) => p.personId === ids[5])!;
    for (const h of s.halfDays) await api(ctx, 'sessions.attendance.set', { registrationId: p0.registrationId, halfDayId: h.id, status: 'present' });
    const f0 = (await api(ctx, 'sessions.ac.list', {})).rows.find((r) => r.personId === p0.personId)!;
    expect(f0).toMatchObject({ status: 'forme', sessionId, dates: expect.objectContaining({ inscrit: '2025-03-20', forme: '2025-04-08' }) });

    const before = dbSnapshot(ctx);
    expect((await refused(ctx, 'sessions.ac.update', { personIds: [ids[1]], status: 'refuse' })).fields?.reason).toMatch(/motif/);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    const up = await api(ctx, 'sessions.ac.update', { personIds: [ids[1], ids[2]], status: 'bac_a_sable', date: '2025-03-25' });
    expect(up.rows.map((r) => [r.status, r.dates.bac_a_sable])).toEqual([['bac_a_sable', '2025-03-25'], ['bac_a_sable', '2025-03-25']]);
    await api(ctx, 'sessions.ac.update', { personIds: [ids[3]], status: 'annule', reason: 'A quitté la structure' });

    // ANCT's table, re-imported: our own ANCT export with the columns ANCT fills.
    const x = await api(ctx, 'sessions.export', { audience: 'anct', format: 'xlsx', sessionId });
    const wb = XLSX.read(Buffer.from(x.contentBase64, 'base64'), { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]], { header: 1, defval: null });
    const h = rows[0] as string[];
    const ie = h.indexOf('Eligibilite_validee');
    const ip = h.indexOf('A_participe_a_la_session');
    const emailOf = (id: number) => s.participants.find((p) => p.personId === id)!.email;
    for (const r of rows.slice(1)) {
      r[ie] = 'OUI';
      if (r[h.indexOf('Adresse_e_mail')] === emailOf(p0.personId)) r[ip] = 'True';
    }
    rows.push([...rows[1]].map((v, i) => (i === h.indexOf('Adresse_e_mail') ? 'inconnu@ailleurs.fr' : i === h.indexOf('Nom_du_professionnel') ? 'Inconnu' : v)));
    const out = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(out, XLSX.utils.aoa_to_sheet(rows), 'Suivi');
    const file = Buffer.from(XLSX.write(out, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');
    const preview = await api(ctx, 'sessions.ac.import', { fileName: 'suivi-anct.xlsx', contentBase64: file, date: '2025-04-20' });
    expect(preview.applied).toBe(false);
    // Only p0 moves (attendance reported); the others are already past « éligibilité validée », or cancelled.
    expect(preview.changes).toEqual([expect.objectContaining({ personId: p0.personId, from: 'forme', to: 'presence_transmise' })]);
    expect(preview.unmatched).toEqual([expect.objectContaining({ label: expect.stringMatching(/inconnu@ailleurs\.fr/) })]);
    expect((await api(ctx, 'sessions.ac.list', { status: 'presence_transmise' })).rows).toHaveLength(0);
    const applied = await api(ctx, 'sessions.ac.import', { fileName: 'suivi-anct.xlsx', contentBase64: file, date: '2025-04-20', apply: true });
    expect(applied.applied).toBe(true);
    const after = await api(ctx, 'sessions.ac.list', {});
    expect(after.rows.find((r) => r.personId === p0.personId)).toMatchObject({ status: 'presence_transmise', dates: expect.objectContaining({ presence_transmise: '2025-04-20' }) });
    expect(after.rows.find((r) => r.personId === ids[3])).toMatchObject({ status: 'annule', stopReason: 'A quitté la structure' });
  });

  it('reads ANCT’s FNE table as received (fixture): validated eligibility and attendance move people forward', async () => {
    const a = openTestApp({ now: '2025-03-20T09:00:00Z' });
    apps.push(a);
    const bytes = fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
    const fne = readSheet(bytes).rows;
    const ip = (fne[0] as string[]).indexOf('A_participe_a_la_session');
    const participated = fne.slice(1).filter((r) => String(r[ip] ?? '').toUpperCase() === 'OUI').length;
    expect(participated).toBeGreaterThan(0);
    // Imported as a list, the table already brings ANCT's decisions into the follow-up (issue 16)…
    await api(a.ctx, 'recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64') });
    expect((await api(a.ctx, 'sessions.ac.list', {})).counts.presence_transmise).toBe(participated);
    // …so reading it again with `ac import` finds everyone and nothing left to move.
    const plan = await api(a.ctx, 'sessions.ac.import', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64'), apply: true });
    expect(plan.unmatched).toEqual([]);
    expect(plan.changes).toEqual([]);
    expect((await api(a.ctx, 'sessions.ac.list', {})).counts.presence_transmise).toBe(participated);
  });

});

describe('names on paper', () => {
  it('prints Łukasz Wójcik-Łukaszewicz, Ayşe Yılmaz and Nguyễn Thị Minh Khai exactly, with the font embedded', async () => {
    const a = openTestApp({ now: '2025-03-20T09:00:00Z' });
    apps.push(a);
    const { ctx } = a;
    const { conventionId, orderId } = await conventionWithAcOrder(ctx);
    const st = await structure(ctx, 'Communauté de communes Creuse Grand Sud — France Services itinérant de la Haute-Vallée');
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'AC', orderId, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
    const names = [
      { nom: 'Wójcik-Łukaszewicz', prenom: 'Łukasz' },
      { nom: 'Yılmaz', prenom: 'Ayşe' },
      { nom: 'Nguyễn Thị', prenom: 'Minh Khai' },
      { nom: 'Ó Súilleabháin-Vasconcelos', prenom: 'Ségolène-Marie-Françoise' },
    ];
    const ids = [];
    for (const [i, n] of names.entries()) ids.push(await person(ctx, st, { ...n, email: `personne${i}@creuse.fr` }));
    await api(ctx, 'sessions.register', { sessionId: s.id, personIds: ids });
    const dir = tempDir();
    for (const document of ['emargement', 'convocations'] as const) {
      const pdf = await api(ctx, 'sessions.pdf', { sessionId: s.id, document });
      const file = path.join(dir, `${document}.pdf`);
      fs.writeFileSync(file, Buffer.from(pdf.contentBase64, 'base64'));
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      const words = text.split(/\s+/);
      for (const n of names) {
        const nom = document === 'emargement' ? n.nom.toUpperCase() : n.nom;
        // Each word of the name, as typed (no « ? », no lost accent, never cut with « … »).
        for (const part of `${nom} ${n.prenom}`.split(' ')) expect(words).toContain(part);
      }
      if (document === 'convocations') for (const n of names) expect(text).toContain(`${n.prenom} ${n.nom}`);
      if (process.env.FNE_KEEP_PDF) fs.copyFileSync(file, `${process.env.FNE_KEEP_PDF}-${document}.pdf`);
      expect(text).not.toContain('?');
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '');
      expect(fonts.length).toBeGreaterThan(0);
      for (const l of fonts) expect(l).toMatch(/\+LiberationSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    }
  });
});
