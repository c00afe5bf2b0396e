// The first rows of an import as they will be stored, written as the officer reads them:
// dd/mm/yyyy dates, the training's label, « 2B — Haute-Corse », the eligibility in words.
import { departementLabel } from '../departements';
import { trainingLabels } from '../eligibility';
import { ineligibleShortLabels } from '../labels';
import type { Plan } from './plan-types';

export interface PreviewRow {
  row: number;
  nom: string;
  prenom: string;
  email: string;
  structure: string;
  siret: string;
  departement: string;
  formation: string;
  dateDemande: string;
  statut: string;
  eligibilite: string;
}

const frDate = (iso: string | null) => (iso ? iso.split('-').reverse().join('/') : '—');

/** The first `count` people of file `fi` of the plan, as they will be stored. */
export function previewRows(plan: Plan, fi: number, count = 8): PreviewRow[] {
  const out: PreviewRow[] = [];
  const byKey = new Map(plan.structures.map((s) => [s.key, s]));
  for (const p of plan.people) {
    if (p.file !== fi) continue;
    const s = p.structureKey ? byKey.get(p.structureKey) : undefined;
    const v = p.values;
    const d = p.decision;
    out.push({
      row: p.row,
      nom: v.nom,
      prenom: v.prenom,
      email: v.email ?? '—',
      structure: s?.values.name ?? '—',
      siret: s?.values.siret ?? (s?.values.siren ? `SIREN ${s.values.siren}` : '—'),
      departement: s?.values.departement ? departementLabel(s.values.departement) : '—',
      formation: v.training_wish ? trainingLabels[v.training_wish] : '—',
      dateDemande: frDate(v.request_date),
      statut: v.statut ?? '—',
      eligibilite: d.eligible ? 'Éligible' : `Non éligible : ${d.ineligible.map((c) => ineligibleShortLabels[c] ?? c).join(', ')}`,
    });
    if (out.length >= count) break;
  }
  return out;
}
