// How a line of the history is shown: the record in French, and what changed as
// « champ : avant → après » instead of raw JSON. Display only: the journal itself is untouched.
import { formatCents, formatDate } from '../../format';

export const ACTIONS: Record<string, string> = {
  create: 'Création',
  update: 'Modification',
  delete: 'Suppression',
  attach: 'Pièce jointe',
  detach: 'Pièce retirée',
  import: 'Import',
  merge: 'Fusion',
  undo: 'Annulation',
  override_eligibility: 'Décision d’éligibilité',
  ac_import: 'Import du suivi Aidants Connect',
  ac_status: 'Statut Aidants Connect',
  accept_partial: 'Présence partielle acceptée',
  attendance: 'Présence',
  attendance_all: 'Présence de tous',
  cancel: 'Annulation',
  choose: 'Choix du devis',
  move: 'Changement de session',
  pix_date: 'Date Pix',
  promote: 'Sortie de liste d’attente',
  register: 'Inscription',
  split_certificates: 'Attestations découpées',
};

export const ENTITIES: Record<string, string> = {
  convention: 'Convention',
  piece: 'Pièce',
  person: 'Personne',
  personne: 'Personne',
  structure: 'Structure',
  import: 'Import',
  opco_table: 'Table OPCO',
  marche: 'Marché',
  quote: 'Devis',
  order: 'Bon de commande',
  invoice: 'Facture',
  payment: 'Paiement',
  expense: 'Dépense',
  other_training_purchases: 'Autres achats de formation de l’année',
  organisme: 'Organisme de formation',
  organisme_training: 'Formation d’un organisme',
  consultations: 'Consultation',
  session: 'Session',
  cohort: 'Cohorte',
  registration: 'Inscription',
  attendance: 'Présence',
  ac_followup: 'Suivi Aidants Connect',
};

/** Labels of the fields met in the journal; others are spelt out from their name. */
const FIELDS: Record<string, string> = {
  departement: 'Département',
  beneficiaireNom: 'Bénéficiaire',
  beneficiaireSiret: 'SIRET du bénéficiaire',
  designationDate: 'Date de désignation',
  signatureDate: 'Date de signature',
  anctReference: 'Référence ANCT',
  fundsReceivedDate: 'Date de réception des fonds',
  fundsReceivedCents: 'Fonds reçus',
  fraisGestionPlannedCents: 'Frais de gestion prévus',
  consultationDate: 'Date d’envoi de la demande de devis',
  engineeringActions: 'Actions d’ingénierie',
  ownerType: 'Rattachée à',
  ownerId: 'N° de l’enregistrement',
  role: 'Rôle',
  sha256: 'Empreinte',
  originalName: 'Fichier',
  fileName: 'Fichier',
  note: 'Note',
  label: 'Libellé',
  title: 'Intitulé',
  status: 'Statut',
  reason: 'Motif',
  date: 'Date',
  firstName: 'Prénom',
  lastName: 'Nom',
  email: 'Adresse électronique',
  phone: 'Téléphone',
  siret: 'SIRET',
  name: 'Nom',
  kind: 'Type',
  rows: 'Lignes',
  people: 'Personnes',
  structures: 'Structures',
  ineligible: 'Non éligibles',
  rejected: 'Lignes rejetées',
  sheet: 'Feuille',
  headerRow: 'Ligne d’en-tête',
  eligible: 'Éligible',
  seats: 'Places',
  sessionId: 'Session',
  registrationId: 'Inscription',
  halfDayId: 'Demi-journée',
  pixDate: 'Date Pix',
  choiceDate: 'Date du choix',
  chosenQuoteId: 'Devis retenu',
  conventionId: 'Convention',
  pieceId: 'Pièce',
  kept: 'Fiche gardée',
  merged: 'Fiche fusionnée',
  changes: 'Changements',
  attached: 'Pièces jointes',
  pages: 'Pages',
  page: 'Page',
  startDate: 'Début',
  endDate: 'Fin',
  modality: 'Modalité',
  departureTarget: 'Objectif de départs',
  amountCents: 'Montant',
};

/** Bookkeeping fields that say nothing to the officer. */
const HIDDEN = new Set(['id', 'createdAt', 'updatedAt']);
const MAX_TEXT = 80;

export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function fieldLabel(key: string): string {
  const k = camel(key);
  if (FIELDS[k]) return FIELDS[k];
  const words = k
    .replace(/Cents$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? s.slice(0, MAX_TEXT - 1) + '…' : s;
}

/** One value, readable: amounts in euros, dates as JJ/MM/AAAA, oui/non, short fingerprints. */
export function formatValue(key: string, v: unknown): string {
  const k = camel(key);
  if (v === null || v === undefined || v === '') return '(vide)';
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  if (typeof v === 'number') {
    if (/Cents$/.test(k)) return formatCents(v);
    return String(v);
  }
  if (typeof v === 'string') {
    if (k === 'sha256' || /^[0-9a-f]{64}$/.test(v)) return v.slice(0, 12) + '…';
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) {
      const d = new Date(v);
      if (!Number.isNaN(d.getTime())) return d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
    }
    return clip(v);
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '(aucun)';
    if (v.every((x) => x === null || typeof x !== 'object')) return clip(v.map((x) => formatValue(key, x)).join(', '));
    return `${v.length} élément${v.length > 1 ? 's' : ''}`;
  }
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([kk, vv]) => !HIDDEN.has(camel(kk)) && vv !== null && vv !== undefined && vv !== '' && typeof vv !== 'object')
      .slice(0, 4)
      .map(([kk, vv]) => `${fieldLabel(kk).toLowerCase()} ${formatValue(kk, vv)}`);
    return clip(parts.join(', ') || '…');
  }
  return clip(String(v));
}

export interface ChangeLine {
  label: string;
  /** Present when the field had a value before (update, delete). */
  before?: string;
  /** Present when the field has a value after (create, update). */
  after?: string;
}

function asRecord(v: unknown): Record<string, unknown> | null {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[camel(k)] = x;
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const blank = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * What a journal line changed. Both sides known: only the fields that differ. One side: its
 * filled fields. At most `max` lines; `more` says how many were left out.
 */
export function describeChange(before: unknown, after: unknown, max = 8): { lines: ChangeLine[]; more: number } {
  const b = asRecord(before);
  const a = asRecord(after);
  let lines: ChangeLine[] = [];
  if (b || a) {
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter((k) => !HIDDEN.has(k));
    for (const k of keys) {
      const vb = b?.[k];
      const va = a?.[k];
      if (b && a) {
        if (same(vb, va)) continue;
        // A field present on one side only was not touched (partial before/after) unless it was emptied or set.
        if (!(k in b)) lines.push({ label: fieldLabel(k), after: formatValue(k, va) });
        else if (!(k in a)) continue;
        else lines.push({ label: fieldLabel(k), before: formatValue(k, vb), after: formatValue(k, va) });
      } else if (a) {
        if (!blank(va)) lines.push({ label: fieldLabel(k), after: formatValue(k, va) });
      } else if (!blank(vb)) lines.push({ label: fieldLabel(k), before: formatValue(k, vb) });
    }
  } else if (!blank(before) || !blank(after)) {
    lines = [{ label: 'Valeur', ...(blank(before) ? {} : { before: formatValue('', before) }), ...(blank(after) ? {} : { after: formatValue('', after) }) }];
  }
  return { lines: lines.slice(0, max), more: Math.max(0, lines.length - max) };
}

/** « Convention n° 3 », « Import n° 2 (import:…) ». */
export function recordLabel(entity: string, entityId: number | null): string {
  const name = ENTITIES[entity] ?? fieldLabel(entity);
  return entityId !== null ? `${name} n° ${entityId}` : name;
}
