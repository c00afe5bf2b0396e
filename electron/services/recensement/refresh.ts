// Keeps the stored eligibility of people in step with the rules (eligibility.ts) after any
// change of a person, of their structure, or of the SIRO table. Runs inside the caller's
// transaction (same connection).
import type Database from 'better-sqlite3';
import { evaluateEligibility } from './eligibility';

interface Row {
  id: number;
  email: string | null;
  profession: string | null;
  conseiller_numerique: number | null;
  statut: string | null;
  uniformation: number | null;
  override_eligible: number | null;
  override_reason: string | null;
  eligible: number;
  ineligible_json: string;
  warnings_json: string;
  structure_id: number | null;
  siret: string | null;
  siren: string | null;
  opco: string | null;
  structure_type: string | null;
}

const SELECT = `SELECT p.id, p.email, p.profession, p.conseiller_numerique, p.statut, p.uniformation, p.override_eligible, p.override_reason,
  p.eligible, p.ineligible_json, p.warnings_json, p.structure_id, s.siret, s.siren, o.opco, s.type AS structure_type
  FROM people p LEFT JOIN structures s ON s.id = p.structure_id LEFT JOIN opco_sirets o ON o.siret = s.siret`;

/** Recomputes and stores eligibility; returns how many people's decision changed. */
export function refreshEligibility(sqlite: Database.Database, filter: { personIds?: number[]; structureIds?: number[]; all?: boolean }, now: string): number {
  let rows: Row[];
  if (filter.all) rows = sqlite.prepare(SELECT).all() as Row[];
  else {
    const byPerson = filter.personIds?.length ? (sqlite.prepare(`${SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(filter.personIds)) as Row[]) : [];
    const byStructure = filter.structureIds?.length
      ? (sqlite.prepare(`${SELECT} WHERE p.structure_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(filter.structureIds)) as Row[])
      : [];
    const seen = new Set<number>();
    rows = [...byPerson, ...byStructure].filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  }
  const update = sqlite.prepare('UPDATE people SET eligible = ?, ineligible_json = ?, warnings_json = ?, updated_at = ? WHERE id = ?');
  let changed = 0;
  for (const r of rows) {
    const d = evaluateEligibility(
      {
        email: r.email,
        profession: r.profession,
        conseillerNumerique: r.conseiller_numerique === null ? null : r.conseiller_numerique === 1,
        statut: r.statut,
        uniformation: r.uniformation === null ? null : r.uniformation === 1,
        structureOpco: r.opco,
        structureSiret: r.siret,
        structureSiren: r.siren,
        hasStructure: r.structure_id !== null,
        structureType: r.structure_type,
      },
      r.override_eligible === null ? null : { eligible: r.override_eligible === 1, reason: r.override_reason ?? '' },
    );
    const inel = JSON.stringify(d.ineligible);
    const warn = JSON.stringify(d.warnings);
    const elig = d.eligible ? 1 : 0;
    if (elig !== r.eligible || inel !== r.ineligible_json || warn !== r.warnings_json) {
      update.run(elig, inel, warn, now, r.id);
      changed++;
    }
  }
  return changed;
}
