// Matching the rows' people with each other and with the database: by e-mail, else by name and
// structure; a person twice in the files is kept once. A matched person's values are compared
// with the database's, and every person's eligibility is decided with the rules.
import type Database from 'better-sqlite3';
import { breathe } from '../../jobs';
import { evaluateEligibility, warningRules } from '../eligibility';
import { nameKey } from '../normalise';
import { throwIfCancelled } from './cancel';
import type { KnownStructures, StructureMatch } from './match-structures';
import type { RowIssues } from './row-issues';
import { PLAN_BATCH, personColumnLabels, personColumns, show, type DbPerson, type PersonPlan, type PlanTools, type RowData, type StructurePlan } from './plan-types';

type Where = (file: number, row: number, from: number) => string;

/** The known people's keys only (id, e-mail, name, structure); a full record is read when matched. */
class KnownPeople {
  readonly byEmail = new Map<string, number>();
  readonly byNameStructure = new Map<string, { id: number; email: string | null }>();
  private full: Database.Statement;
  private opcoStmt: Database.Statement;
  private opcoCache = new Map<string, string | null>();

  constructor(sqlite: Database.Database) {
    const index = sqlite.prepare('SELECT id, email, name_key, structure_id FROM people').raw(true).all() as [number, string | null, string, number | null][];
    for (const [id, email, nk, sid] of index) {
      if (email) this.byEmail.set(email, id);
      this.byNameStructure.set(nk + '#' + (sid ?? ''), { id, email });
    }
    this.full = sqlite.prepare(`SELECT id, nom, prenom, name_key, email, phone, profession, structure_id, conseiller_numerique, statut, uniformation, deja_sensibilise, training_wish, training_date,
              training_org, request_date, aidant_actif, referent, comment, override_eligible, override_reason, eligible, ineligible_json, warnings_json FROM people WHERE id = ?`);
    this.opcoStmt = sqlite.prepare('SELECT opco FROM opco_sirets WHERE siret = ?');
  }

  get(id: number): DbPerson {
    return this.full.get(id) as DbPerson;
  }

  opcoOf(siret: string | null): string | null {
    if (!siret) return null;
    if (!this.opcoCache.has(siret)) this.opcoCache.set(siret, (this.opcoStmt.get(siret) as { opco: string } | undefined)?.opco ?? null);
    return this.opcoCache.get(siret)!;
  }
}

/** The changes a known person's row brings (empty cells keep the database's value). */
function compare(plan: PersonPlan, db: DbPerson, sPlan: StructurePlan | null, structures: KnownStructures): void {
  const values = plan.values as unknown as Record<string, unknown>;
  for (const k of personColumns) {
    const a = plan.values[k];
    const b = db[k];
    if (a === null || ((k === 'nom' || k === 'prenom') && nameKey(String(a)) === nameKey(String(b)))) {
      values[k] = b;
      continue;
    }
    if (a !== b) plan.changes.push({ field: k, label: personColumnLabels[k], before: show(b), after: show(a) });
  }
  if (sPlan && (sPlan.dbId === null || sPlan.dbId !== db.structure_id)) {
    const beforeName = db.structure_id !== null ? (structures.byId.get(db.structure_id)?.name ?? null) : null;
    plan.changes.push({ field: 'structure_id', label: personColumnLabels.structure_id, before: beforeName, after: sPlan.values.name });
  }
  plan.status = plan.changes.length ? 'updated' : 'unchanged';
  plan.nameKey = nameKey(plan.values.nom, plan.values.prenom);
}

function decide(plan: PersonPlan, db: DbPerson | null, sPlan: StructurePlan | null, known: KnownPeople) {
  const sv = sPlan?.values ?? null;
  const v = plan.values;
  return evaluateEligibility(
    {
      email: v.email,
      profession: v.profession,
      conseillerNumerique: v.conseiller_numerique === null ? null : v.conseiller_numerique === 1,
      statut: v.statut,
      uniformation: v.uniformation === null ? null : v.uniformation === 1,
      structureOpco: known.opcoOf(sv?.siret ?? null),
      structureSiret: sv?.siret ?? null,
      structureSiren: sv?.siren ?? null,
      hasStructure: sv !== null || (db?.structure_id ?? null) !== null,
      structureType: sv?.type ?? null,
    },
    db && db.override_eligible !== null ? { eligible: db.override_eligible === 1, reason: db.override_reason ?? '' } : null,
  );
}

/** Pass 3: one plan per person of the files (duplicates set aside with an alert). */
export async function matchPeople(
  sqlite: Database.Database, data: RowData[], sm: StructureMatch, structures: KnownStructures, issues: RowIssues, where: Where, tools: PlanTools,
): Promise<PersonPlan[]> {
  const known = new KnownPeople(sqlite);
  const people: PersonPlan[] = [];
  const seenKeys = new Map<string, { file: number; row: number }>();
  const matchedDb = new Map<number, { file: number; row: number }>();
  for (let di = 0; di < data.length; di++) {
    const d = data[di];
    if (di > 0 && di % PLAN_BATCH === 0) {
      await breathe();
      throwIfCancelled(tools.signal);
    }
    const v = d.person;
    const sKey = sm.rowKey.get(d) ?? null;
    const sPlan = sKey ? sm.plans.get(sKey)! : null;
    const fileKey = v.email ? 'e:' + v.email : 'n:' + d.personNameKey + '#' + (sKey ?? '');
    const first = seenKeys.get(fileKey);
    if (first !== undefined) {
      const w = where(first.file, first.row, d.file);
      issues.warn(d.file, d.row, 'doublon_fichier', v.email ? `Même adresse e-mail que ${w} : ligne ignorée (une personne n’est enregistrée qu’une fois).` : `Même nom, prénom et structure que ${w} : ligne ignorée.`);
      continue;
    }
    seenKeys.set(fileKey, { file: d.file, row: d.row });
    let dbId: number | null = v.email ? (known.byEmail.get(v.email) ?? null) : null;
    if (dbId === null && sPlan?.dbId !== undefined) {
      const cand = known.byNameStructure.get(d.personNameKey + '#' + (sPlan?.dbId ?? ''));
      if (cand && (cand.email === null || v.email === null)) dbId = cand.id;
    }
    if (dbId !== null && matchedDb.has(dbId)) {
      const m = matchedDb.get(dbId)!;
      issues.warn(d.file, d.row, 'doublon_fichier', `Même personne que ${where(m.file, m.row, d.file)} : ligne ignorée.`);
      continue;
    }
    const db = dbId === null ? null : known.get(dbId);
    if (db) matchedDb.set(db.id, { file: d.file, row: d.row });
    const plan: PersonPlan = {
      file: d.file, row: d.row, dbId: db?.id ?? null, structureKey: sKey, values: v, nameKey: d.personNameKey, status: db ? 'unchanged' : 'created', changes: [],
      before: db ? { structure_id: db.structure_id, eligible: db.eligible, ineligible_json: db.ineligible_json, warnings_json: db.warnings_json } : null,
      decision: undefined as unknown as PersonPlan['decision'],
      anct: d.anct,
    };
    if (db) compare(plan, db, sPlan, structures);
    plan.decision = decide(plan, db, sPlan, known);
    for (const w of plan.decision.warnings) if (w === 'generic_email' || w === 'email_manquant') issues.warn(d.file, d.row, w, warningRules[w]);
    people.push(plan);
  }
  return people;
}
