// People and structures: lists (filtered and sorted here, served by blocks of rows that the
// renderer's virtualised table asks for as the officer scrolls through 20 000 of them),
// detail, manual entry and edit, the officer's eligibility override, merges.
import type {
  Person,
  PersonRow,
  PersonValuesInput,
  Structure,
  StructureValuesInput,
} from '../../../shared/ipc/channels/recensement';
import { recordAudit } from '../audit';
import { compactDigits, isValidSiren, isValidSiret, normaliseDepartement } from '../common/identifiers';
import { type ServiceContext, writeTransaction } from '../context';
import { AppError, notFound, throwIfFieldErrors } from '../errors';
import { ineligibilityRules, isPublicAgent, warningRules, type IneligibilityCode, type WarningCode } from './eligibility';
import { registerPublicAgentFunction } from './priority';
import { clean, departementFromPostcode, nameKey, normaliseEmail, normalisePostcode } from './normalise';
import { backupBefore } from '../sauvegarde/backup';
import { refreshEligibility } from './refresh';
import { peopleSearchCondition } from './people-search';
import type { Cols } from '../../db/rows';

const label = (code: string) => ({
  code,
  label: (ineligibilityRules as Record<string, string>)[code] ?? (warningRules as Record<string, string>)[code] ?? code,
});

interface PersonDbRow {
  id: number;
  structure_type?: string | null;
  nom: string;
  prenom: string;
  email: string | null;
  phone: string | null;
  profession: string | null;
  structure_id: number | null;
  structure_name: string | null;
  conseiller_numerique: number | null;
  statut: string | null;
  uniformation: number | null;
  deja_sensibilise: number | null;
  training_wish: 'AN' | 'AC' | 'AN_AC' | null;
  training_date: string | null;
  training_org: string | null;
  request_date: string | null;
  comment: string | null;
  eligible: number;
  ineligible_json: string;
  warnings_json: string;
  override_eligible: number | null;
  override_reason: string | null;
  override_at: string | null;
  override_by: string | null;
  created_at: string;
  updated_at: string;
}

function toRow(r: PersonDbRow): PersonRow {
  const inel = JSON.parse(r.ineligible_json) as IneligibilityCode[];
  const ruleEligible = inel.length === 0;
  const shown = r.override_eligible === 0 && ruleEligible ? ['decision_agent'] : inel;
  return {
    id: r.id,
    nom: r.nom,
    prenom: r.prenom,
    email: r.email,
    profession: r.profession,
    structureId: r.structure_id,
    structureName: r.structure_name,
    trainingWish: r.training_wish,
    eligible: r.eligible === 1,
    overridden: r.override_eligible !== null && (r.override_eligible === 1) !== ruleEligible,
    ineligible: shown.map(label),
    warnings: (JSON.parse(r.warnings_json) as WarningCode[]).map(label),
    publicAgent: isPublicAgent(r.structure_type ?? null),
  };
}

function toPerson(r: PersonDbRow): Person {
  const b = (v: number | null) => (v === null ? null : v === 1);
  return {
    ...toRow(r),
    phone: r.phone,
    conseillerNumerique: b(r.conseiller_numerique),
    statut: r.statut,
    uniformation: b(r.uniformation),
    dejaSensibilise: b(r.deja_sensibilise),
    trainingDate: r.training_date,
    trainingOrg: r.training_org,
    requestDate: r.request_date,
    comment: r.comment,
    ruleEligible: (JSON.parse(r.ineligible_json) as string[]).length === 0,
    override: r.override_eligible === null ? null : { eligible: r.override_eligible === 1, reason: r.override_reason ?? '', at: r.override_at, by: r.override_by },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const PERSON_SELECT = `SELECT p.*, s.name AS structure_name, s.type AS structure_type FROM people p LEFT JOIN structures s ON s.id = p.structure_id`;

export interface PeopleQuery {
  search?: string;
  eligibility: 'all' | 'eligible' | 'ineligible';
  reason?: string;
  warning?: string;
  structureId?: number;
  training?: 'AN' | 'AC' | 'AN_AC' | 'none';
  /** agents_publics: agents of local authorities and of the State, the guide's priority (eligibility.ts: isPublicAgent). */
  priority?: 'agents_publics';
  sort: 'nom' | 'prenom' | 'email' | 'structure' | 'training' | 'eligible';
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

function likePattern(s: string): string {
  return '%' + nameKey(s).replace(/\|/g, '').replace(/[%_\\]/g, (c) => '\\' + c) + '%';
}

export async function listPeople(ctx: ServiceContext, q: PeopleQuery): Promise<{ total: number; rows: PersonRow[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const search = peopleSearchCondition(q.search, 'p', 's');
  if (search) {
    where.push(search.sql);
    params.push(...search.params);
  }
  if (q.eligibility !== 'all') where.push(`p.eligible = ${q.eligibility === 'eligible' ? 1 : 0}`);
  if (q.reason) {
    if (q.reason === 'decision_agent') where.push(`(p.override_eligible = 0 AND p.ineligible_json = '[]')`);
    else {
      where.push(`p.eligible = 0 AND EXISTS (SELECT 1 FROM json_each(p.ineligible_json) WHERE value = ?)`);
      params.push(q.reason);
    }
  }
  if (q.warning) {
    where.push(`EXISTS (SELECT 1 FROM json_each(p.warnings_json) WHERE value = ?)`);
    params.push(q.warning);
  }
  if (q.priority === 'agents_publics') {
    registerPublicAgentFunction(ctx);
    where.push('fne_public_agent(s.type) = 1');
  }
  if (q.structureId !== undefined) {
    where.push('p.structure_id = ?');
    params.push(q.structureId);
  }
  if (q.training) {
    if (q.training === 'none') where.push('p.training_wish IS NULL');
    else {
      where.push('p.training_wish = ?');
      params.push(q.training);
    }
  }
  const w = where.length ? ' WHERE ' + where.join(' AND ') : '';
  const order = {
    nom: 'p.name_key',
    prenom: "substr(p.name_key, instr(p.name_key, '|') + 1)",
    email: 'p.email',
    structure: 's.name_key',
    training: 'p.training_wish',
    eligible: 'p.eligible',
  }[q.sort];
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  const sqlite = ctx.store.sqlite;
  const { n } = sqlite.prepare(`SELECT count(*) AS n FROM people p LEFT JOIN structures s ON s.id = p.structure_id${w}`).get(...params) as { n: number };
  const rows = sqlite
    .prepare(`${PERSON_SELECT}${w} ORDER BY ${order} ${dir} NULLS LAST, p.id ${dir} LIMIT ? OFFSET ?`)
    .all(...params, q.limit, q.offset) as PersonDbRow[];
  return { total: n, rows: rows.map(toRow) };
}

export async function getPerson(ctx: ServiceContext, id: number): Promise<Person> {
  const r = ctx.store.sqlite.prepare(`${PERSON_SELECT} WHERE p.id = ?`).get(id) as PersonDbRow | undefined;
  if (!r) throw notFound(`Le professionnel n° ${id}`);
  return toPerson(r);
}

export async function savePerson(ctx: ServiceContext, id: number | undefined, v: PersonValuesInput): Promise<Person> {
  const before = id === undefined ? null : await getPerson(ctx, id);
  const fields: Record<string, string> = {};
  const nom = clean(v.nom);
  const prenom = clean(v.prenom);
  if (!nom) fields.nom = 'Le nom est obligatoire.';
  if (!prenom) fields.prenom = 'Le prénom est obligatoire.';
  const em = normaliseEmail(v.email ?? null);
  if (!em.valid) fields.email = `Adresse e-mail invalide : « ${v.email} ».`;
  const sqlite = ctx.store.sqlite;
  if (em.email) {
    const other = sqlite.prepare('SELECT id, prenom, nom FROM people WHERE email = ? AND id IS NOT ?').get(em.email, id ?? null) as
      | { id: number; prenom: string; nom: string }
      | undefined;
    if (other) fields.email = `Cette adresse est déjà celle de ${other.prenom} ${other.nom} (fiche n° ${other.id}) : fusionnez les deux fiches si c’est la même personne.`;
  }
  if (v.structureId != null && !sqlite.prepare('SELECT 1 FROM structures WHERE id = ?').get(v.structureId)) fields.structureId = 'Structure introuvable.';
  throwIfFieldErrors(fields, 'La fiche ne peut pas être enregistrée.');
  const now = ctx.now().toISOString();
  const b = (x: boolean | null | undefined) => (x === null || x === undefined ? null : x ? 1 : 0);
  const values = {
    nom: nom!,
    prenom: prenom!,
    name_key: nameKey(nom, prenom),
    email: em.email,
    phone: clean(v.phone),
    profession: clean(v.profession),
    structure_id: v.structureId ?? null,
    conseiller_numerique: b(v.conseillerNumerique),
    statut: clean(v.statut),
    uniformation: b(v.uniformation),
    deja_sensibilise: b(v.dejaSensibilise),
    training_wish: v.trainingWish ?? null,
    training_date: v.trainingDate ?? null,
    training_org: clean(v.trainingOrg),
    comment: clean(v.comment),
  };
  const newId = await writeTransaction(ctx, async (trx) => {
    let pid: number;
    if (id === undefined) {
      const r = await trx
        .insertInto('people')
        .values({ ...values, eligible: 1, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      pid = r.id;
    } else {
      await trx.updateTable('people').set({ ...values, updated_at: now }).where('id', '=', id).execute();
      pid = id;
    }
    refreshEligibility(sqlite, { personIds: [pid] }, now);
    await recordAudit(trx, ctx, { action: id === undefined ? 'create' : 'update', entity: 'person', entityId: pid, before: before ?? undefined, after: values });
    return pid;
  });
  return getPerson(ctx, newId);
}

export async function overrideEligibility(ctx: ServiceContext, id: number, eligible: boolean | null, reason: string): Promise<Person> {
  const before = await getPerson(ctx, id);
  const why = reason.trim();
  if (eligible !== null && why.length < 5) {
    throw new AppError('validation', 'Écrivez le motif de votre décision (il est conservé et montré avec la fiche).', { fields: { reason: 'Motif obligatoire.' } });
  }
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx
      .updateTable('people')
      .set({
        override_eligible: eligible === null ? null : eligible ? 1 : 0,
        override_reason: eligible === null ? null : why,
        override_at: eligible === null ? null : now,
        override_by: eligible === null ? null : ctx.actor,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    refreshEligibility(ctx.store.sqlite, { personIds: [id] }, now);
    await recordAudit(trx, ctx, { action: 'override_eligibility', entity: 'person', entityId: id, before: before.override, after: { eligible, reason: why } });
  });
  return getPerson(ctx, id);
}

/** Folds `mergeId` into `keepId`: empty fields of the kept record are filled, the other is removed. */
export async function mergePeople(ctx: ServiceContext, keepId: number, mergeId: number): Promise<Person> {
  if (keepId === mergeId) throw new AppError('validation', 'Choisissez deux fiches différentes à fusionner.');
  const keep = ctx.store.sqlite.prepare('SELECT * FROM people WHERE id = ?').get(keepId) as Record<string, unknown> | undefined;
  const other = ctx.store.sqlite.prepare('SELECT * FROM people WHERE id = ?').get(mergeId) as Record<string, unknown> | undefined;
  if (!keep || !other) throw notFound('Une des deux fiches');
  const fill = ['email', 'phone', 'profession', 'structure_id', 'conseiller_numerique', 'statut', 'uniformation', 'deja_sensibilise', 'training_wish', 'training_date', 'training_org', 'request_date', 'aidant_actif', 'referent', 'comment', 'override_eligible', 'override_reason', 'override_at', 'override_by'];
  const patch: Record<string, unknown> = {};
  for (const k of fill) if ((keep[k] === null || keep[k] === undefined) && other[k] !== null && other[k] !== undefined) patch[k] = other[k];
  // A merge removes a record: backup first, so that the history can undo it.
  await backupBefore(ctx, 'fusion');
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx.deleteFrom('people').where('id', '=', mergeId).execute();
    if (Object.keys(patch).length) await trx.updateTable('people').set({ ...patch, updated_at: now }).where('id', '=', keepId).execute();
    // Later steps' records pointing to the merged person follow it (tables may not exist yet).
    await trx.updateTable('pieces').set({ owner_id: keepId }).where('owner_type', '=', 'person').where('owner_id', '=', mergeId).execute();
    refreshEligibility(ctx.store.sqlite, { personIds: [keepId] }, now);
    await recordAudit(trx, ctx, { action: 'merge', entity: 'person', entityId: keepId, before: { kept: keep, merged: other }, after: patch });
  });
  return getPerson(ctx, keepId);
}

// ---------------------------------------------------------------------------------------------
// Structures

interface StructureDbRow {
  id: number;
  name: string;
  siret: string | null;
  siren: string | null;
  type: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  departement: string | null;
  email: string | null;
  note: string | null;
  opco: string | null;
  people: number;
  eligible: number;
  created_at: string;
  updated_at: string;
}
const STRUCTURE_SELECT = `SELECT s.id, s.name, s.siret, s.siren, s.type, s.address, s.postcode, s.city, s.departement, s.email, s.note, o.opco,
  (SELECT count(*) FROM people p WHERE p.structure_id = s.id) AS people,
  (SELECT count(*) FROM people p WHERE p.structure_id = s.id AND p.eligible = 1) AS eligible, s.created_at, s.updated_at
  FROM structures s LEFT JOIN opco_sirets o ON o.siret = s.siret`;

function toStructure(r: StructureDbRow): Structure {
  const { created_at, updated_at, ...rest } = r;
  return { ...rest, createdAt: created_at, updatedAt: updated_at };
}

export async function listStructures(
  ctx: ServiceContext,
  q: { search?: string; sort: 'name' | 'siret' | 'type' | 'city' | 'departement' | 'people'; dir: 'asc' | 'desc'; offset: number; limit: number },
): Promise<{ total: number; rows: Structure[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.search && q.search.trim()) {
    where.push(`(s.name_key LIKE ? ESCAPE '\\' OR s.siret LIKE ? OR s.city LIKE ?)`);
    params.push(likePattern(q.search), q.search.replace(/\s/g, '') + '%', '%' + q.search.trim() + '%');
  }
  const w = where.length ? ' WHERE ' + where.join(' AND ') : '';
  const order = { name: 's.name_key', siret: 's.siret', type: 's.type', city: 's.city', departement: 's.departement', people: 'people' }[q.sort];
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  const { n } = ctx.store.sqlite.prepare(`SELECT count(*) AS n FROM structures s${w}`).get(...params) as { n: number };
  const rows = ctx.store.sqlite.prepare(`${STRUCTURE_SELECT}${w} ORDER BY ${order} ${dir} NULLS LAST, s.id LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as StructureDbRow[];
  return { total: n, rows: rows.map(toStructure) };
}

export async function getStructure(ctx: ServiceContext, id: number): Promise<Structure> {
  const r = ctx.store.sqlite.prepare(`${STRUCTURE_SELECT} WHERE s.id = ?`).get(id) as StructureDbRow | undefined;
  if (!r) throw notFound(`La structure n° ${id}`);
  return toStructure(r);
}

export async function saveStructure(ctx: ServiceContext, id: number | undefined, v: StructureValuesInput): Promise<Structure> {
  const before = id === undefined ? null : await getStructure(ctx, id);
  const fields: Record<string, string> = {};
  const name = clean(v.name);
  if (!name) fields.name = 'Le nom de la structure est obligatoire.';
  let siret: string | null = null;
  let siren: string | null = null;
  const rawSiret = clean(v.siret);
  if (rawSiret) {
    const d = compactDigits(rawSiret);
    if (/^\d{14}$/.test(d) && isValidSiret(d)) {
      siret = d;
      siren = d.slice(0, 9);
    } else if (/^\d{9}$/.test(d) && isValidSiren(d)) siren = d;
    else fields.siret = `SIRET invalide « ${rawSiret} » : 14 chiffres dont la clé de contrôle est juste (ou un SIREN de 9 chiffres).`;
  }
  if (siret) {
    const other = ctx.store.sqlite.prepare('SELECT id, name FROM structures WHERE siret = ? AND id IS NOT ?').get(siret, id ?? null) as Cols<'structures', 'id' | 'name'> | undefined;
    if (other) fields.siret = `Ce SIRET est déjà celui de « ${other.name} » (n° ${other.id}) : fusionnez les deux structures si c’est la même.`;
  }
  const pc = normalisePostcode(clean(v.postcode));
  if (!pc.valid) fields.postcode = 'Code postal à 5 chiffres attendu.';
  let departement: string | null = null;
  if (clean(v.departement)) {
    departement = normaliseDepartement(clean(v.departement));
    if (!departement) fields.departement = `Département inconnu « ${v.departement} » (01 à 95, 2A, 2B, 971 à 976…).`;
  } else if (pc.postcode) {
    const d = departementFromPostcode(pc.postcode);
    if (d.corsica) fields.departement = 'Code postal de Corse : précisez le département (2A ou 2B).';
    departement = d.departement;
  }
  const em = normaliseEmail(clean(v.email));
  if (!em.valid) fields.email = 'Adresse e-mail invalide.';
  throwIfFieldErrors(fields, 'La structure ne peut pas être enregistrée.');
  const now = ctx.now().toISOString();
  const values = {
    name: name!,
    name_key: nameKey(name),
    siret,
    siren,
    type: clean(v.type),
    address: clean(v.address),
    postcode: pc.postcode,
    city: clean(v.city),
    departement,
    email: em.email,
    note: clean(v.note),
  };
  const sid = await writeTransaction(ctx, async (trx) => {
    let sid: number;
    if (id === undefined) sid = (await trx.insertInto('structures').values({ ...values, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    else {
      await trx.updateTable('structures').set({ ...values, updated_at: now }).where('id', '=', id).execute();
      sid = id;
    }
    refreshEligibility(ctx.store.sqlite, { structureIds: [sid] }, now);
    await recordAudit(trx, ctx, { action: id === undefined ? 'create' : 'update', entity: 'structure', entityId: sid, before: before ?? undefined, after: values });
    return sid;
  });
  return getStructure(ctx, sid);
}

export async function mergeStructures(ctx: ServiceContext, keepId: number, mergeId: number): Promise<Structure> {
  if (keepId === mergeId) throw new AppError('validation', 'Choisissez deux structures différentes à fusionner.');
  const sqlite = ctx.store.sqlite;
  const keep = sqlite.prepare('SELECT * FROM structures WHERE id = ?').get(keepId) as Record<string, unknown> | undefined;
  const other = sqlite.prepare('SELECT * FROM structures WHERE id = ?').get(mergeId) as Record<string, unknown> | undefined;
  if (!keep || !other) throw notFound('Une des deux structures');
  if (keep.siret && other.siret && keep.siret !== other.siret) {
    throw new AppError('validation', `Les deux structures ont des SIRET différents (${String(keep.siret)} et ${String(other.siret)}) : ce ne sont pas les mêmes établissements.`);
  }
  const patch: Record<string, unknown> = {};
  for (const k of ['siret', 'siren', 'type', 'address', 'postcode', 'city', 'departement', 'email', 'datapass_id', 'habilitation_ac', 'france_services', 'statut_employeur', 'note']) {
    if (keep[k] === null && other[k] !== null) patch[k] = other[k];
  }
  await backupBefore(ctx, 'fusion');
  const now = ctx.now().toISOString();
  await writeTransaction(ctx, async (trx) => {
    await trx.updateTable('people').set({ structure_id: keepId }).where('structure_id', '=', mergeId).execute();
    await trx.updateTable('pieces').set({ owner_id: keepId }).where('owner_type', '=', 'structure').where('owner_id', '=', mergeId).execute();
    await trx.deleteFrom('structures').where('id', '=', mergeId).execute();
    if (Object.keys(patch).length) await trx.updateTable('structures').set({ ...patch, updated_at: now }).where('id', '=', keepId).execute();
    refreshEligibility(sqlite, { structureIds: [keepId] }, now);
    await recordAudit(trx, ctx, { action: 'merge', entity: 'structure', entityId: keepId, before: { kept: keep, merged: other }, after: patch });
  });
  return getStructure(ctx, keepId);
}
