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

const YES_NO = new Set(['france_services', 'conseiller_numerique', 'uniformation', 'deja_sensibilise', 'aidant_actif', 'referent']);
const DATES = new Set(['training_date', 'request_date']);

/** A changed value as the officer reads it (« Oui », « 12/09/2024 », « Aidants Connect »), for the preview's changes. */
export function displayValue(field: string, v: string | null): string | null {
  if (v === null) return null;
  if (YES_NO.has(field)) return v === '1' ? 'Oui' : v === '0' ? 'Non' : v;
  if (DATES.has(field) && /^\d{4}-\d{2}-\d{2}$/.test(v)) return frDate(v);
  if (field === 'training_wish' && v in trainingLabels) return trainingLabels[v as keyof typeof trainingLabels];
  if (field === 'departement') return departementLabel(v);
  return v;
}
