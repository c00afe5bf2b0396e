// The history is told in French by the services: after an attachment (an attestation on a
// registration), an import and its undo, no line shows a code or an English word (it showed
// « Rattachée à : registration », « Rôle : attestation_fin_formation », « Restored backup »).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturesDir, openTestApp, type TestApp } from '../helpers/app';
import { notFrench } from '../helpers/french';
import { api, conventionWithAcOrder, person, structure, twoHalfDays } from './sessions-setup';

const apps: TestApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('the history speaks French', () => {
  it('attachment, import, undo: every label, value and message the screen shows is French', async () => {
    const app = openTestApp({ now: '2025-11-20T10:00:00Z' });
    apps.push(app);
    const ctx = app.ctx;
    const { conventionId, orderId } = await conventionWithAcOrder(ctx);
    const pid = await person(ctx, await structure(ctx));
    const s = await api(ctx, 'sessions.create', { conventionId, kind: 'AC', title: 'Aidants Connect — Guéret', orderId, modality: 'presentiel', place: 'Salle du conseil, Guéret', halfDays: twoHalfDays });
    const reg = await api(ctx, 'sessions.register', { sessionId: s.id, personIds: [pid] });
    await api(ctx, 'pieces.attach', {
      ownerType: 'registration',
      ownerId: reg.registered[0].registrationId,
      role: 'attestation_fin_formation',
      fileName: 'attestation-fin-formation.pdf',
      contentBase64: Buffer.from('%PDF-1.4 attestation').toString('base64'),
    });
    const bytes = fs.readFileSync(path.join(fixturesDir, 'aidants-fne-grist.xlsx'));
    await api(ctx, 'recensement.importCommit', { fileName: 'aidants-fne-grist.xlsx', contentBase64: bytes.toString('base64') });

    const before = await api(ctx, 'historique.liste', { limit: 500 });
    expect(before.lastOperation).toMatchObject({ action: 'import', actionLabel: 'Import', recordLabel: 'Import', undoable: true });
    const undo = await api(ctx, 'historique.annuler', { lastId: before.lastOperation!.lastId });
    expect(undo.message).toMatch(/^Opération annulée : import \(\d+ lignes du journal\)\. L’état d’avant l’annulation est gardé : sauvegarde du \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} \(Base remplacée par une restauration\)\.$/);

    const h = await api(ctx, 'historique.liste', { limit: 500 });
    const attach = h.entries.find((e) => e.action === 'attach')!;
    expect(attach.changes.lines).toContainEqual({ label: 'Rattachée à', after: 'Inscription' });
    expect(attach.changes.lines).toContainEqual({ label: 'Rôle', after: 'Attestation de fin de formation' });
    const undone = h.entries.find((e) => e.action === 'undo')!;
    expect(undone.actionLabel).toBe('Annulation de la dernière opération');
    expect(undone.changes.lines.map((l) => l.label)).toEqual(['Sauvegarde restaurée', 'État d’avant gardé comme']);
    expect(undone.changes.lines[0].after).toMatch(/^sauvegarde du .* \(Avant un import\)$/);

    // Everything the screen shows, line by line (the whole history, not only these three).
    const shown = [
      undo.message,
      `${h.lastOperation?.actionLabel} — ${h.lastOperation?.recordLabel}`,
      ...h.entries.flatMap((e) => [e.actionLabel, e.recordLabel, ...e.changes.lines.map((l) => `${l.label} : ${l.before ?? ''} → ${l.after ?? ''}`)]),
    ];
    expect(notFrench(shown.join('\n'))).toEqual([]);
  });
});
