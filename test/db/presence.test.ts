// Attendance for step 5 on a real database, through dispatch: the whole-column action, the
// import of the OF's attendance file (xlsx and CSV, matched by e-mail or by name, half-day
// columns found from their headers, preview then one transaction with a backup and the audit),
// the Pix date, and the certificates split from one multi-page PDF.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { parseAttendanceCell } from '../../electron/services/presence/import';
import { blobPath } from '../../electron/services/pieces/store';
import { dbSnapshot, openTestApp, tempDir, type TestApp } from '../helpers/app';
import { api, conventionWithAcOrder, person, refused, structure, twoHalfDays } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function setup() {
  const a = openTestApp({ now: '2025-06-01T09:00:00Z' });
  apps.push(a);
  const { ctx } = a;
  const { conventionId, orderId } = await conventionWithAcOrder(ctx);
  const st = await structure(ctx);
  const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'Aidants Connect — Guéret', orderId, modality: 'presentiel', place: 'Salle du conseil, Guéret', halfDays: twoHalfDays });
  const people = [
    await person(ctx, st, { nom: 'Dupont', prenom: 'Élise', email: 'elise.dupont@gueret.fr' }),
    await person(ctx, st, { nom: 'Martin', prenom: 'Jean-Luc', email: 'jl.martin@gueret.fr' }),
    await person(ctx, st, { nom: 'Lefèvre', prenom: 'Anaïs', email: 'anais.lefevre@gueret.fr' }),
  ];
  const outsider = await person(ctx, st, { nom: 'Bernard', prenom: 'Paul', email: 'paul.bernard@gueret.fr' });
  const reg = await api(ctx, 'sessions.register', { sessionId: s.id, personIds: people });
  const regOf = (personId: number) => reg.registered.find((r) => r.personId === personId)!.registrationId;
  return { ctx, dir: a.dir, session: s, people, outsider, dupont: regOf(people[0]), martin: regOf(people[1]), lefevre: regOf(people[2]) };
}

function xlsxBase64(rows: unknown[][]): string {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Émargement');
  return Buffer.from(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');
}

async function pdfOfPages(names: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const n of names) doc.addPage([595, 842]).drawText(`Attestation de fin de formation — ${n}`, { x: 50, y: 780, size: 12, font });
  return doc.save();
}

describe('attendance cells', () => {
  it('reads present / absent / excusé as OF sheets write them; empty changes nothing; anything else is reported', () => {
    for (const v of ['P', 'x', 'X', 1, '1', 'oui', 'Présent', 'présente', true, '✓']) expect(parseAttendanceCell(v)).toBe('present');
    for (const v of ['A', 'abs', 0, '0', 'non', 'Absent', 'ABSENTE', false]) expect(parseAttendanceCell(v)).toBe('absent');
    for (const v of ['E', 'excusé', 'Excusée', 'Absent excusé', 'absence justifiée', 'AE']) expect(parseAttendanceCell(v)).toBe('excuse');
    for (const v of [null, '', '  ']) expect(parseAttendanceCell(v)).toBeNull();
    for (const v of ['peut-être', 2, 0.5, 'retard']) expect(parseAttendanceCell(v)).toBe('invalid');
  });
});

describe('attendance import', () => {
  it('preview matches by e-mail, else by name in any order, finds the half-day columns, lists unmatched rows with their row numbers, invalid cells and changes — and writes nothing', async () => {
    const { ctx, session, dupont, martin, lefevre } = await setup();
    const [am, pm] = session.halfDays;
    const content = xlsxBase64([
      ['Feuille d’émargement — Aidants Connect, Guéret'],
      [],
      ['Stagiaire', 'Courriel', '08/04/2025 matin', '08/04/2025 après-midi'],
      ['DUPONT Élise', 'Elise.Dupont@gueret.fr', 'X', 'X'],
      ['Jean-Luc MARTIN', '', 'P', 'A'],
      ['Bernard Paul', 'paul.bernard@gueret.fr', 'X', ''],
      ['Inconnu Toto', '', 'X', 'X'],
      ['Lefevre Anais', '', 'E', 'peut-être'],
    ]);
    const before = dbSnapshot(ctx);
    const plan = await api(ctx, 'presence.import.preview', { sessionId: session.id, fileName: 'emargement-OF.xlsx', contentBase64: content });
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    expect(plan.headerRow).toBe(3);
    expect(plan.mapping).toEqual(['nom_prenom', 'email', `demi_journee:${am.id}`, `demi_journee:${pm.id}`]);
    expect(plan.halfDays.map((h) => h.column)).toEqual([2, 3]);
    expect(plan.matched).toEqual([
      { row: 4, registrationId: dupont, nom: 'Dupont', prenom: 'Élise', by: 'email' },
      { row: 5, registrationId: martin, nom: 'Martin', prenom: 'Jean-Luc', by: 'nom' },
      { row: 8, registrationId: lefevre, nom: 'Lefèvre', prenom: 'Anaïs', by: 'nom' },
    ]);
    expect(plan.unmatched.map((u) => u.row)).toEqual([6, 7]);
    expect(plan.unmatched[0].reason).toMatch(/Paul Bernard n’est pas inscrit\(e\) à cette session/);
    expect(plan.invalid).toEqual([{ row: 8, column: '08/04/2025 après-midi', value: 'peut-être', message: expect.stringMatching(/Valeur non reconnue/) }]);
    expect(plan.changes.map((c) => [c.row, c.registrationId, c.halfDayId, c.from, c.to])).toEqual([
      [4, dupont, am.id, null, 'present'],
      [4, dupont, pm.id, null, 'present'],
      [5, martin, am.id, null, 'present'],
      [5, martin, pm.id, null, 'absent'],
      [8, lefevre, am.id, null, 'excuse'],
    ]);
    expect(plan.missing).toEqual([]);
    expect(plan.applied).toBe(false);
  });

  it('commit writes every change in one transaction after a backup, audited as one operation; the same file again changes nothing and is refused', async () => {
    const { ctx, dir, session, dupont, martin } = await setup();
    const [am, pm] = session.halfDays;
    const csv = '\ufeffNom;Prénom;E-mail;Jour 1 matin;Jour 1 après-midi\r\nDupont;Élise;elise.dupont@gueret.fr;1;1\r\nMartin;Jean-Luc;;1;0\r\n';
    const input = { sessionId: session.id, fileName: 'presences.csv', contentBase64: Buffer.from(csv, 'utf8').toString('base64') };
    const backups = () => (fs.existsSync(path.join(dir, 'sauvegardes')) ? fs.readdirSync(path.join(dir, 'sauvegardes')).filter((f) => f.includes('_import')).length : 0);
    const n0 = backups();
    const done = await api(ctx, 'presence.import.commit', input);
    expect(done.applied).toBe(true);
    expect(done.changes).toHaveLength(4);
    expect(backups()).toBe(n0 + 1);
    const p = await api(ctx, 'presence.get', { sessionId: session.id });
    const of = (id: number) => p.session.participants.find((x) => x.registrationId === id)!;
    expect(of(dupont).attendance.sort((a, b) => a.halfDayId - b.halfDayId)).toEqual([{ halfDayId: am.id, status: 'present' }, { halfDayId: pm.id, status: 'present' }]);
    expect(of(martin).attendance.find((a) => a.halfDayId === pm.id)!.status).toBe('absent');
    expect(p.participants.find((x) => x.registrationId === dupont)!.state).toBe('complete');
    expect(p.participants.find((x) => x.registrationId === martin)!.state).toBe('partial');
    // Attended an Aidants Connect training: the follow-up moved to « formé ».
    const ac = await api(ctx, 'sessions.ac.list', {});
    expect(ac.rows.find((r) => r.registrationId === dupont)!.status).toBe('forme');
    // One operation in the history: every audit row of the import shares its batch.
    const rows = ctx.store.sqlite.prepare("SELECT action, batch_id FROM audit_log WHERE batch_id LIKE 'presence-import:%'").all() as { action: string; batch_id: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.batch_id)).size).toBe(1);
    expect(rows.map((r) => r.action)).toContain('import');
    const last = ctx.store.sqlite.prepare('SELECT batch_id FROM audit_log ORDER BY id DESC LIMIT 1').get() as { batch_id: string };
    expect(last.batch_id).toBe(rows[0].batch_id);
    // Again: nothing to change → refused, nothing written.
    const before = dbSnapshot(ctx);
    const again = await refused(ctx, 'presence.import.commit', input);
    expect(again.message).toMatch(/ne change aucune présence/);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
  });

  it('a file without recognisable columns is refused with the headers it has; the officer’s mapping then imports it', async () => {
    const { ctx, session, dupont } = await setup();
    const [am] = session.halfDays;
    const content = xlsxBase64([
      ['Qui', 'Mardi', 'Mardi aprem'],
      ['elise.dupont@gueret.fr', 'oui', 'non'],
    ]);
    const before = dbSnapshot(ctx);
    const e = await refused(ctx, 'presence.import.commit', { sessionId: session.id, fileName: 'x.xlsx', contentBase64: content });
    expect(e.message).toMatch(/aucune colonne ne donne l’adresse électronique/);
    expect(e.message).toMatch(/« Qui », « Mardi », « Mardi aprem »/);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    const dup = await refused(ctx, 'presence.import.preview', { sessionId: session.id, fileName: 'x.xlsx', contentBase64: content, mapping: ['email', `demi_journee:${am.id}`, `demi_journee:${am.id}`] });
    expect(dup.message).toMatch(/choisi pour deux colonnes/);
    const r = await api(ctx, 'presence.import.commit', { sessionId: session.id, fileName: 'x.xlsx', contentBase64: content, mapping: ['email', `demi_journee:${am.id}`, null] });
    expect(r.mappingSource).toBe('agent');
    expect(r.changes).toEqual([expect.objectContaining({ registrationId: dupont, halfDayId: am.id, to: 'present' })]);
    expect(r.missing.map((m) => m.nom).sort()).toEqual(['Lefèvre', 'Martin']);
  });

  it('whole-column action: one half-day for every participant, or only where nothing is recorded', async () => {
    const { ctx, session, dupont, martin, lefevre } = await setup();
    const [am, pm] = session.halfDays;
    await api(ctx, 'sessions.attendance.set', { registrationId: martin, halfDayId: am.id, status: 'absent' });
    let p = await api(ctx, 'presence.halfDay.setAll', { sessionId: session.id, halfDayId: am.id, status: 'present', onlyEmpty: true });
    const status = (id: number, h: number) => p.session.participants.find((x) => x.registrationId === id)!.attendance.find((a) => a.halfDayId === h)?.status ?? null;
    expect([status(dupont, am.id), status(martin, am.id), status(lefevre, am.id)]).toEqual(['present', 'absent', 'present']);
    p = await api(ctx, 'presence.halfDay.setAll', { sessionId: session.id, halfDayId: pm.id, status: 'present' });
    expect([status(dupont, pm.id), status(martin, pm.id), status(lefevre, pm.id)]).toEqual(['present', 'present', 'present']);
    expect(p.participants.map((x) => x.state)).toEqual(p.participants.map((x) => (x.registrationId === martin ? 'partial' : 'complete')));
    p = await api(ctx, 'presence.halfDay.setAll', { sessionId: session.id, halfDayId: pm.id, status: null });
    expect(p.session.participants.every((x) => x.attendance.every((a) => a.halfDayId !== pm.id))).toBe(true);
    const other = await api(ctx, 'sessions.create', { conventionId: session.conventionId, kind: 'AN', title: 'AN', internal: true, modality: 'presentiel', place: 'CD', halfDays: [{ date: '2025-05-12', period: 'matin' }] });
    const before = dbSnapshot(ctx);
    const e = await refused(ctx, 'presence.halfDay.setAll', { sessionId: session.id, halfDayId: other.halfDays[0].id, status: 'present' });
    expect(e.message).toMatch(/n’appartient pas à la session/);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
  });

  it('Pix date of an Aidants Connect participant: stored on the follow-up, shown by presence.get, not before the training, cleared with null', async () => {
    const { ctx, session, dupont } = await setup();
    const e = await refused(ctx, 'presence.pix.set', { registrationId: dupont, date: '2025-04-01' });
    expect(e.message).toMatch(/après la formation/);
    const p = await api(ctx, 'presence.pix.set', { registrationId: dupont, date: '2025-04-20' });
    expect(p).toMatchObject({ registrationId: dupont, pix: true, pixDate: '2025-04-20' });
    const ac = await api(ctx, 'sessions.ac.list', {});
    expect(ac.rows.find((r) => r.registrationId === dupont)!.dates.pix).toBe('2025-04-20');
    expect((await api(ctx, 'presence.get', { sessionId: session.id })).participants.find((x) => x.registrationId === dupont)!.pixDate).toBe('2025-04-20');
    expect((await api(ctx, 'presence.pix.set', { registrationId: dupont, date: null })).pixDate).toBeNull();
  });
});

describe('certificates', () => {
  it('one multi-page PDF is split into one PDF per page, each attached to its participant in the order of the list', async () => {
    const { ctx, dir, session } = await setup();
    const list = (await api(ctx, 'presence.get', { sessionId: session.id })).participants;
    const pdf = await pdfOfPages(list.map((p) => `${p.prenom} ${p.nom}`));
    const b64 = Buffer.from(pdf).toString('base64');
    const pages = await api(ctx, 'presence.certificates.inspect', { sessionId: session.id, fileName: 'attestations.pdf', contentBase64: b64 });
    expect(pages.pages).toBe(3);
    expect(pages.warnings).toEqual([]);
    expect(pages.proposal).toEqual(list.map((p, i) => ({ page: i + 1, registrationId: p.registrationId })));
    const r = await api(ctx, 'presence.certificates.split', { sessionId: session.id, fileName: 'attestations.pdf', contentBase64: b64 });
    expect(r.attached.map((a) => [a.page, a.registrationId])).toEqual(list.map((p, i) => [i + 1, p.registrationId]));
    for (const a of r.attached) {
      expect(a.piece).toMatchObject({ ownerType: 'registration', ownerId: a.registrationId, role: 'attestation_fin_formation', mimeType: 'application/pdf' });
      const one = await PDFDocument.load(fs.readFileSync(blobPath(dir, a.piece.sha256)));
      expect(one.getPageCount()).toBe(1);
    }
    expect(r.session.participants.every((p) => p.certificates.length === 1)).toBe(true);
    // Each page is its person's: the text of page 2 names the second participant.
    const second = fs.readFileSync(blobPath(dir, r.attached[1].piece.sha256)).toString('latin1');
    expect(second).not.toEqual(fs.readFileSync(blobPath(dir, r.attached[0].piece.sha256)).toString('latin1'));
  });

  it('pages ≠ participants: refused without a mapping (nothing attached); explicit page → participant mapping works; bad mappings are refused', async () => {
    const { ctx, session, dupont, lefevre } = await setup();
    const b64 = Buffer.from(await pdfOfPages(['A', 'B'])).toString('base64');
    const inspect = await api(ctx, 'presence.certificates.inspect', { sessionId: session.id, fileName: 'a.pdf', contentBase64: b64 });
    expect(inspect.warnings[0]).toMatch(/2 pages pour 3 participants/);
    const before = dbSnapshot(ctx);
    expect((await refused(ctx, 'presence.certificates.split', { sessionId: session.id, fileName: 'a.pdf', contentBase64: b64 })).message).toMatch(/Rien n’a été joint/);
    expect((await refused(ctx, 'presence.certificates.split', { sessionId: session.id, fileName: 'a.pdf', contentBase64: b64, assignments: [{ page: 3, registrationId: dupont }] })).message).toMatch(/page 3 n’existe pas/);
    expect((await refused(ctx, 'presence.certificates.split', { sessionId: session.id, fileName: 'a.pdf', contentBase64: b64, assignments: [{ page: 1, registrationId: dupont }, { page: 2, registrationId: dupont }] })).message).toMatch(/reçoit deux pages/);
    expect((await refused(ctx, 'presence.certificates.split', { sessionId: session.id, fileName: 'a.pdf', contentBase64: Buffer.from('pas un pdf').toString('base64') })).message).toMatch(/n’est pas un PDF/);
    expect(dbSnapshot(ctx).equals(before)).toBe(true);
    const r = await api(ctx, 'presence.certificates.split', { sessionId: session.id, fileName: 'a.pdf', contentBase64: b64, assignments: [{ page: 2, registrationId: dupont }, { page: 1, registrationId: lefevre }] });
    expect(r.attached.map((a) => [a.page, a.registrationId])).toEqual([[1, lefevre], [2, dupont]]);
  });
});

describe('presence from the CLI', () => {
  it('presence import (preview, then --appliquer), presence tous, attestations decouper --apercu', async () => {
    const dir = tempDir();
    const a = openTestApp({ now: '2025-06-01T09:00:00Z', dir });
    const { ctx } = a;
    const { conventionId, orderId } = await conventionWithAcOrder(ctx);
    const st = await structure(ctx);
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'Aidants Connect — Guéret', orderId, modality: 'presentiel', place: 'Guéret', halfDays: twoHalfDays });
    const p1 = await person(ctx, st, { nom: 'Dupont', prenom: 'Élise', email: 'elise.dupont@gueret.fr' });
    const p2 = await person(ctx, st, { nom: 'Martin', prenom: 'Jean', email: 'jean.martin@gueret.fr' });
    await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [p1, p2] });
    await ctx.store.close();
    const db = a.dbFile;
    const root = path.resolve(__dirname, '../..');
    const run = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args, '--db', db], { cwd: root, encoding: 'utf8' });
    const csv = path.join(dir, 'releve.csv');
    fs.writeFileSync(csv, '\ufeffNom;Prénom;08/04/2025 matin;08/04/2025 après-midi\r\nDupont;Élise;P;P\r\nMartin;Jean;P;A\r\nDurand;Zoé;P;P\r\n');
    const preview = run('presence', 'import', '--session', String(s.id), '--fichier', csv);
    expect(preview).toContain('4 changement(s) (rien n’est enregistré : ajoutez --appliquer)');
    expect(preview).toContain('ligne 4 : Zoé Durand — Aucune personne inscrite');
    const done = JSON.parse(run('presence', 'import', '--session', String(s.id), '--fichier', csv, '--appliquer', '--json'));
    expect(done.applied).toBe(true);
    expect(done.changes).toHaveLength(4);
    const all = JSON.parse(run('presence', 'tous', '--session', String(s.id), '--demi-journee', String(s.halfDays[1].id), '--statut', 'present', '--json'));
    expect(all.participants.map((p: { state: string }) => p.state)).toEqual(['complete', 'complete']);
    const pdf = path.join(dir, 'attestations.pdf');
    fs.writeFileSync(pdf, await pdfOfPages(['Élise Dupont', 'Jean Martin']));
    const inspect = JSON.parse(run('attestations', 'decouper', '--session', String(s.id), '--fichier', pdf, '--apercu', '--json'));
    expect(inspect.pages).toBe(2);
    const split = JSON.parse(run('attestations', 'decouper', '--session', String(s.id), '--fichier', pdf, '--json'));
    expect(split.attached).toHaveLength(2);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
