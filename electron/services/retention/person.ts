// The rights of one person over what the app holds about them (RGPD art. 15 and 17):
// - access: everything held about them, in one readable file (JSON with French keys): their
//   record, employer, registrations with attendance, Aidants Connect follow-up, pièces (what they
//   are, not their content) and the history of changes about them;
// - erasure: the person and what hangs on them only, refused while a pièce kept as proof of
//   spending names them (a certificate of theirs, a session's signed attendance sheet).
import type { AuditAction, AuditEntity } from '../../../shared/codes';
import { writeSync, type ServiceContext } from '../context';
import { AppError, notFound } from '../errors';
import { logger } from '../logging';
import { blobPath } from '../pieces/store';
import fs from 'node:fs';
import { personalDataScrubber } from './anonymise';

type Row = Record<string, unknown>;

function person(ctx: ServiceContext, personId: number): Row {
  const p = ctx.store.sqlite.prepare('SELECT * FROM people WHERE id = ?').get(personId) as Row | undefined;
  if (!p) throw notFound('Ce professionnel');
  return p;
}

/** Keys in French for the person's record (what a person reading their file understands). */
const PERSON_KEYS: Record<string, string> = {
  id: 'numero',
  nom: 'nom',
  prenom: 'prenom',
  email: 'adresse_electronique',
  phone: 'telephone',
  profession: 'profession',
  statut: 'statut',
  conseiller_numerique: 'conseiller_numerique',
  uniformation: 'employeur_adherent_uniformation',
  training_wish: 'formation_souhaitee',
  training_date: 'date_de_formation_anterieure',
  training_org: 'organisme_de_formation_anterieur',
  request_date: 'date_de_demande',
  aidant_actif: 'aidant_actif',
  referent: 'referent',
  comment: 'commentaire',
  deja_sensibilise: 'deja_sensibilise',
  eligible: 'eligible',
  ineligible_json: 'motifs_de_non_eligibilite',
  warnings_json: 'alertes',
  override_eligible: 'decision_de_l_agent',
  override_reason: 'motif_de_la_decision',
  override_at: 'date_de_la_decision',
  created_at: 'enregistre_le',
  updated_at: 'modifie_le',
  anonymised_at: 'anonymise_le',
};

const json = (v: unknown) => (typeof v === 'string' && /^[[{]/.test(v) ? (JSON.parse(v) as unknown) : v);

/** Everything held about one person, as a JSON file for an access request. */
export function exportPerson(ctx: ServiceContext, personId: number): { fileName: string; contentBase64: string } {
  const db = ctx.store.sqlite;
  const p = person(ctx, personId);
  const record: Row = {};
  for (const [k, v] of Object.entries(p)) if (k !== 'name_key' && k !== 'structure_id') record[PERSON_KEYS[k] ?? k] = json(v);
  const structure = p.structure_id === null ? null : (db.prepare('SELECT name AS nom, siret, type, address AS adresse, postcode AS code_postal, city AS ville FROM structures WHERE id = ?').get(p.structure_id) as Row | undefined) ?? null;
  const registrations = db
    .prepare(
      `SELECT r.id AS numero, s.title AS session, s.kind AS formation, r.status AS statut, r.registered_at AS inscrit_le,
              r.override_reason AS motif_de_la_decision, r.cancel_reason AS motif_d_annulation, r.partial_reason AS motif_de_presence_partielle,
              (SELECT min(h.date) FROM session_half_days h WHERE h.session_id = s.id) AS premier_jour,
              (SELECT max(h.date) FROM session_half_days h WHERE h.session_id = s.id) AS dernier_jour
         FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.person_id = ? ORDER BY r.id`,
    )
    .all(personId) as Row[];
  for (const r of registrations) {
    r.presences = db
      .prepare('SELECT h.date, h.period AS demi_journee, a.status AS presence FROM attendance a JOIN session_half_days h ON h.id = a.half_day_id WHERE a.registration_id = ? ORDER BY h.date, h.period')
      .all(r.numero);
  }
  const regIds = registrations.map((r) => r.numero as number);
  const follow = db.prepare('SELECT * FROM ac_followups WHERE person_id = ?').get(personId) as Row | undefined;
  const pieces = db
    .prepare(
      `SELECT original_name AS fichier, role AS nature, owner_type AS rattachee_a, added_at AS ajoutee_le, size AS taille FROM pieces
        WHERE (owner_type = 'person' AND owner_id = ?) OR (owner_type = 'registration' AND owner_id IN (${regIds.length ? regIds.join(',') : 'NULL'}))`,
    )
    .all(personId);
  const history = db
    .prepare(
      `SELECT at AS date, actor AS auteur, action, entity AS objet, before_json AS avant, after_json AS apres FROM audit_log
        WHERE (entity = 'person' AND entity_id = ?) OR (entity = 'registration' AND entity_id IN (${regIds.length ? regIds.join(',') : 'NULL'}))
           OR (entity = 'ac_followup' AND entity_id = ?) ORDER BY id`,
    )
    .all(personId, follow?.id ?? -1) as Row[];
  const file = {
    objet: 'Données personnelles détenues par l’application FNE Formations du Conseil départemental (droit d’accès, RGPD art. 15)',
    produit_le: ctx.now().toISOString(),
    personne: record,
    employeur: structure,
    inscriptions: registrations,
    suivi_aidants_connect: follow ? Object.fromEntries(Object.entries(follow).filter(([k]) => k !== 'person_id')) : null,
    pieces_justificatives: pieces,
    historique: history.map((h) => ({ ...h, avant: json(h.avant), apres: json(h.apres) })),
  };
  logger.info(`Export des données d’une personne (n° ${personId}) pour une demande d’accès.`);
  return { fileName: `donnees-personne-${personId}.json`, contentBase64: Buffer.from(JSON.stringify(file, null, 2), 'utf8').toString('base64') };
}

/** Erases one person when no kept pièce names them; their history is cleared. */
export async function erasePerson(ctx: ServiceContext, personId: number, reason: string): Promise<{ personId: number; erased: true }> {
  const db = ctx.store.sqlite;
  const p = person(ctx, personId);
  const regs = db.prepare('SELECT id, session_id, status FROM registrations WHERE person_id = ?').all(personId) as { id: number; session_id: number; status: string }[];
  const regIds = regs.map((r) => r.id).join(',') || 'NULL';
  const certificate = db.prepare(`SELECT count(*) AS n FROM pieces WHERE owner_type = 'registration' AND owner_id IN (${regIds})`).get() as { n: number };
  const sheet = db
    .prepare(`SELECT count(*) AS n FROM pieces pc JOIN registrations r ON pc.owner_type = 'session' AND pc.owner_id = r.session_id WHERE r.id IN (${regIds}) AND r.status = 'inscrit'`)
    .get() as { n: number };
  const present = db.prepare(`SELECT count(*) AS n FROM attendance WHERE registration_id IN (${regIds}) AND status = 'present'`).get() as { n: number };
  if (certificate.n > 0 || sheet.n > 0 || present.n > 0) {
    throw new AppError(
      'conflict',
      `${String(p.prenom)} ${String(p.nom)} figure dans des pièces justificatives conservées (attestation, feuille d’émargement ou présence à une formation financée) : ces données sont gardées jusqu’à la fin de la durée de conservation de la convention, puis anonymisées. Rien n’a été effacé.`,
    );
  }
  const scrub = personalDataScrubber([{ nom: String(p.nom), prenom: String(p.prenom), email: (p.email as string | null) ?? null, phone: (p.phone as string | null) ?? null }]);
  const own = db.prepare("SELECT id, sha256 FROM pieces WHERE owner_type = 'person' AND owner_id = ?").all(personId) as { id: number; sha256: string }[];
  const at = ctx.now().toISOString();
  await writeSync(ctx, (db) => {
    const follow = db.prepare('SELECT id FROM ac_followups WHERE person_id = ?').get(personId) as { id: number } | undefined;
    db.prepare(`UPDATE registrations SET moved_from_id = NULL WHERE moved_from_id IN (${regIds})`).run();
    db.prepare(`UPDATE registrations SET moved_to_id = NULL WHERE moved_to_id IN (${regIds})`).run();
    db.prepare(`DELETE FROM attendance WHERE registration_id IN (${regIds})`).run();
    db.prepare('DELETE FROM ac_followups WHERE person_id = ?').run(personId);
    db.prepare(`DELETE FROM registrations WHERE id IN (${regIds})`).run();
    for (const o of own) db.prepare('DELETE FROM pieces WHERE id = ?').run(o.id);
    db.prepare('DELETE FROM people WHERE id = ?').run(personId);
    db.prepare(
      `DELETE FROM audit_log WHERE (entity = 'person' AND entity_id = ?) OR (entity = 'registration' AND entity_id IN (${regIds})) OR (entity = 'ac_followup' AND entity_id = ?)`,
    ).run(personId, follow?.id ?? -1);
    for (const r of db.prepare('SELECT id, before_json, after_json FROM audit_log').all() as { id: number; before_json: string | null; after_json: string | null }[]) {
      const b = r.before_json === null ? null : scrub(r.before_json);
      const a = r.after_json === null ? null : scrub(r.after_json);
      if (b !== r.before_json || a !== r.after_json) db.prepare('UPDATE audit_log SET before_json = ?, after_json = ? WHERE id = ?').run(b, a, r.id);
    }
    db.prepare(`DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM pieces)`).run();
    db.prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, NULL, ?)').run(
      at,
      ctx.actor,
      'effacement_personne' satisfies AuditAction,
      'person' satisfies AuditEntity,
      personId,
      JSON.stringify({ motif: reason.trim() }),
    );
  });
  const used = new Set((db.prepare('SELECT sha256 FROM blobs').all() as { sha256: string }[]).map((b) => b.sha256));
  for (const o of own) if (!used.has(o.sha256)) fs.rmSync(blobPath(ctx.dataDir, o.sha256), { force: true });
  logger.info(`Effacement d’une personne (n° ${personId}) à sa demande.`);
  return { personId, erased: true };
}
