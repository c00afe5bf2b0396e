// Attestations de fin de formation received as ONE multi-page PDF for a session (the OF scans
// the signed certificates in one go): split with pdf-lib into one PDF per page, each page linked
// to its participant as the pièce « attestation_fin_formation » of the registration. By default
// page i goes to the i-th registered participant of the session's list (the order of the
// émargement sheet, by name); the officer may give the page → participant mapping instead.
// One PDF per person is simply pieces.attach on the registration.
import type { Piece } from '../../../shared/ipc/channels/pieces';
import { recordAudit } from '../audit';
import { type ServiceContext, writeTransaction } from '../context';
import { pdfPages, splitPdfPages } from '../common/untrusted/run';
import { AppError } from '../errors';
import { getPiece, safeOriginalName } from '../pieces/service';
import { writeBlob } from '../pieces/store';
import { getSession } from '../sessions/service';
import { batchAuditSince, getPresence, lastAuditId } from './service';
import type { Cols } from '../../db/rows';

const ROLE = 'attestation_fin_formation';

/** Page count of the PDF, read by pdf-lib in the parsing worker after the pre-checks (caps). */
async function readPdf(bytes: Uint8Array, fileName: string) {
  if (bytes.byteLength === 0) throw new AppError('file_unreadable', `Le fichier « ${fileName} » est vide.`);
  if (!(bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)) {
    throw new AppError('file_unreadable', `Le fichier « ${fileName} » n’est pas un PDF : numérisez les attestations en PDF (une page par personne).`);
  }
  return pdfPages(bytes, fileName);
}

async function registeredOf(ctx: ServiceContext, sessionId: number) {
  const s = await getSession(ctx, sessionId);
  const list = s.participants.filter((p) => p.status === 'inscrit');
  const has = new Set(
    list.length
      ? (
          ctx.store.sqlite
            .prepare(`SELECT DISTINCT owner_id FROM pieces WHERE owner_type = 'registration' AND role = ? AND owner_id IN (${list.map(() => '?').join(',')})`)
            .all(ROLE, ...list.map((p) => p.registrationId)) as Cols<'pieces', 'owner_id'>[]
        ).map((r) => r.owner_id)
      : [],
  );
  return { session: s, list: list.map((p) => ({ registrationId: p.registrationId, nom: p.nom, prenom: p.prenom, hasCertificate: has.has(p.registrationId) })) };
}

export async function inspectCertificates(ctx: ServiceContext, input: { sessionId: number; fileName: string; contentBase64: string }) {
  const { list } = await registeredOf(ctx, input.sessionId);
  const { pages } = await readPdf(Buffer.from(input.contentBase64, 'base64'), input.fileName);
  const warnings: string[] = [];
  if (list.length === 0) warnings.push('Personne n’est inscrit à cette session : aucune page ne peut être attribuée.');
  else if (pages !== list.length) {
    warnings.push(
      `Le PDF a ${pages} page${pages > 1 ? 's' : ''} pour ${list.length} participant${list.length > 1 ? 's' : ''} inscrit${list.length > 1 ? 's' : ''} : indiquez à qui correspond chaque page.`,
    );
  }
  return {
    sessionId: input.sessionId,
    fileName: input.fileName,
    pages,
    participants: list,
    proposal: Array.from({ length: pages }, (_, i) => ({ page: i + 1, registrationId: list[i]?.registrationId ?? null })),
    warnings,
  };
}

/** Splits the PDF and attaches each assigned page to its participant; all or nothing. */
export async function splitCertificates(
  ctx: ServiceContext,
  input: { sessionId: number; fileName: string; contentBase64: string; assignments?: { page: number; registrationId: number }[] },
) {
  const { session, list } = await registeredOf(ctx, input.sessionId);
  if (session.status === 'annulee') throw new AppError('validation', 'Cette session est annulée : aucune attestation ne peut y être jointe.');
  const srcBytes = Buffer.from(input.contentBase64, 'base64');
  const { pages } = await readPdf(srcBytes, input.fileName);
  let assignments = input.assignments;
  if (!assignments) {
    if (pages !== list.length) {
      throw new AppError(
        'validation',
        `Le PDF a ${pages} page${pages > 1 ? 's' : ''} pour ${list.length} participant${list.length > 1 ? 's' : ''} inscrit${list.length > 1 ? 's' : ''} : indiquez à qui correspond chaque page. Rien n’a été joint.`,
      );
    }
    assignments = list.map((p, i) => ({ page: i + 1, registrationId: p.registrationId }));
  }
  const byId = new Map(list.map((p) => [p.registrationId, p]));
  const fields: Record<string, string> = {};
  const pagesSeen = new Set<number>();
  const regsSeen = new Set<number>();
  assignments.forEach((a, i) => {
    if (a.page > pages) fields[`assignments.${i}.page`] = `La page ${a.page} n’existe pas (le PDF a ${pages} page${pages > 1 ? 's' : ''}).`;
    else if (pagesSeen.has(a.page)) fields[`assignments.${i}.page`] = `La page ${a.page} est attribuée deux fois.`;
    if (!byId.has(a.registrationId)) fields[`assignments.${i}.registrationId`] = 'Cette personne n’est pas inscrite à la session.';
    else if (regsSeen.has(a.registrationId)) {
      const p = byId.get(a.registrationId)!;
      fields[`assignments.${i}.registrationId`] = `${p.prenom} ${p.nom} reçoit deux pages : une attestation par personne.`;
    }
    pagesSeen.add(a.page);
    regsSeen.add(a.registrationId);
  });
  if (assignments.length === 0) fields.assignments = 'Attribuez au moins une page.';
  if (Object.keys(fields).length) throw new AppError('validation', `${Object.values(fields)[0]} Rien n’a été joint.`, { fields });

  // One PDF per page (no dates nor ids added: the same page gives the same bytes), stored first.
  const made: { page: number; registrationId: number; fileName: string; sha256: string; size: number }[] = [];
  const ordered = [...assignments].sort((x, y) => x.page - y.page);
  const split = await splitPdfPages(srcBytes, input.fileName, ordered.map((a) => a.page));
  for (const [k, a] of ordered.entries()) {
    const bytes = split[k];
    const p = byId.get(a.registrationId)!;
    const blob = writeBlob(ctx.dataDir, bytes);
    made.push({ page: a.page, registrationId: a.registrationId, fileName: safeOriginalName(`attestation-${p.nom}-${p.prenom}-page-${a.page}.pdf`), sha256: blob.sha256, size: blob.size });
  }
  const now = ctx.now().toISOString();
  const ids = await writeTransaction(ctx, async (trx) => {
    const marker = lastAuditId(ctx); // inside the write: no other writer's audit rows after it
    const out: number[] = [];
    for (const m of made) {
      await trx.insertInto('blobs').values({ sha256: m.sha256, size: m.size, stored_at: now }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
      const existing = await trx
        .selectFrom('pieces')
        .select('id')
        .where('owner_type', '=', 'registration')
        .where('owner_id', '=', m.registrationId)
        .where('role', '=', ROLE)
        .where('sha256', '=', m.sha256)
        .executeTakeFirst();
      if (existing) {
        out.push(existing.id);
        continue;
      }
      const { id } = await trx
        .insertInto('pieces')
        .values({
          sha256: m.sha256,
          original_name: m.fileName,
          mime_type: 'application/pdf',
          size: m.size,
          added_at: now,
          owner_type: 'registration',
          owner_id: m.registrationId,
          role: ROLE,
          note: `Page ${m.page} de « ${safeOriginalName(input.fileName)} »`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, { action: 'attach', entity: 'piece', entityId: id, after: { ownerType: 'registration', ownerId: m.registrationId, role: ROLE, sha256: m.sha256, originalName: m.fileName, page: m.page } });
      out.push(id);
    }
    await recordAudit(trx, ctx, { action: 'split_certificates', entity: 'session', entityId: input.sessionId, after: { fileName: input.fileName, pages, attached: made.map((m) => ({ page: m.page, registrationId: m.registrationId })) } });
    batchAuditSince(ctx, marker, `attestations:${input.sessionId}:${now}`);
    return out;
  });
  const attached: { page: number; registrationId: number; piece: Piece }[] = [];
  for (let i = 0; i < made.length; i++) attached.push({ page: made[i].page, registrationId: made[i].registrationId, piece: await getPiece(ctx, ids[i]) });
  return { attached, session: await getPresence(ctx, input.sessionId) };
}
