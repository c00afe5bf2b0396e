// How a line of the history is told to the officer: the action and the record in French, and
// what changed as « champ : avant → après » instead of raw JSON — served by the services with
// each journal entry (historique.liste), so the screen only displays. Codes met in the values
// (the owner of a pièce, its role, the action undone) are told with their labels from
// shared/codes.ts; backups by their date and reason. The journal itself is untouched.
import { auditActionLabel, auditEntityLabel, pieceRoleLabel } from '../../../shared/codes';
import { formatEuros } from '../common/money';
import { frDate } from '../common/dates';
import { trainingKindLabels } from '../marche/rules';
import { kindLabels as importKindLabels } from '../recensement/fields';
import { acStatusLabels } from '../sessions/rules';
import { parseBackupName, reasonLabels } from './backup';

/** Labels of the fields met in the journal (database columns and screen inputs, in camelCase). */
const FIELDS: Record<string, string> = {
  year: 'Année',
  anonymisedAt: 'Anonymisé(e) le',
  retentionUntil: 'Données conservées jusqu’au',
  reportJson: 'Rapport d’anonymisation',
  part: 'Partie de la formation (AN ou AC)',
  connectionMethod: 'Moyen de connexion Aidants Connect',
  fundingValidated: 'Financement validé par l’ANCT',
  fundingValidatedOn: 'Financement validé le',
  // Convention
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
  plannedCents: 'Montant prévu',
  departureTarget: 'Objectif de départs',
  amountCents: 'Montant',
  endDate: 'Fin',
  position: 'Ordre',
  // Pièces
  ownerType: 'Rattachée à',
  ownerId: 'N° de l’enregistrement',
  role: 'Rôle',
  sha256: 'Empreinte',
  originalName: 'Fichier',
  fileName: 'Fichier',
  mimeType: 'Type de fichier',
  size: 'Taille',
  addedAt: 'Ajoutée le',
  storedAt: 'Enregistrée le',
  note: 'Note',
  // Recensement
  nom: 'Nom',
  prenom: 'Prénom',
  firstName: 'Prénom',
  lastName: 'Nom',
  email: 'Adresse électronique',
  phone: 'Téléphone',
  profession: 'Profession',
  conseillerNumerique: 'Conseiller numérique',
  statut: 'Statut',
  statutEmployeur: 'Statut de l’employeur',
  uniformation: 'Uniformation',
  dejaSensibilise: 'Déjà sensibilisé',
  trainingWish: 'Formation souhaitée',
  trainingDate: 'Date de formation',
  trainingOrg: 'Organisme de formation',
  requestDate: 'Date de la demande',
  aidantActif: 'Aidant actif',
  referent: 'Référent',
  comment: 'Commentaire',
  structureId: 'Structure',
  siret: 'SIRET',
  siren: 'SIREN',
  name: 'Nom',
  nameKey: 'Nom (clé de rapprochement)',
  address: 'Adresse',
  postcode: 'Code postal',
  city: 'Commune',
  type: 'Type',
  franceServices: 'France Services',
  habilitationAc: 'Habilitation Aidants Connect',
  datapassId: 'N° DataPass',
  opco: 'OPCO',
  opcoSirets: 'SIRET de la table OPCO',
  eligible: 'Éligible',
  ineligibleJson: 'Motifs de non-éligibilité',
  warningsJson: 'Avertissements',
  warnings: 'Avertissements',
  overrideEligible: 'Éligibilité décidée',
  overrideReason: 'Motif de la décision',
  overrideAt: 'Décision le',
  overrideBy: 'Décision par',
  importId: 'Import',
  format: 'Format',
  sheet: 'Feuille',
  headerRow: 'Ligne d’en-tête',
  mappingJson: 'Correspondance des colonnes',
  importedAt: 'Importé le',
  rows: 'Lignes',
  row: 'Ligne',
  people: 'Personnes',
  peopleCreated: 'Personnes créées',
  peopleUpdated: 'Personnes mises à jour',
  peopleUnchanged: 'Personnes inchangées',
  structures: 'Structures',
  structuresCreated: 'Structures créées',
  structuresUpdated: 'Structures mises à jour',
  structuresUnchanged: 'Structures inchangées',
  ineligible: 'Non éligibles',
  rejected: 'Lignes rejetées',
  skipped: 'Lignes ignorées',
  version: 'Version',
  peopleChanged: 'Personnes dont l’éligibilité change',
  kept: 'Fiche gardée',
  merged: 'Fiche fusionnée',
  changes: 'Changements',
  // Marché
  marcheId: 'Marché',
  organismeId: 'Organisme',
  trainingId: 'Formation',
  quoteId: 'Devis',
  orderId: 'Bon de commande',
  invoiceId: 'Facture',
  engineeringActionId: 'Action d’ingénierie',
  engineeringActionLabel: 'Action d’ingénierie',
  denomination: 'Dénomination',
  nda: 'NDA',
  qualiopiActionsFormation: 'Qualiopi (actions de formation)',
  qualiopiIssuer: 'Certificateur Qualiopi',
  qualiopiNumber: 'N° du certificat Qualiopi',
  qualiopiValidFrom: 'Qualiopi valide du',
  qualiopiValidUntil: 'Qualiopi valide jusqu’au',
  anctReferencedDate: 'Référencé par l’ANCT le',
  anctReferenceNote: 'Note sur le référencement ANCT',
  isInternal: 'Formateurs internes',
  contactName: 'Contact',
  contactEmail: 'Adresse électronique du contact',
  contactPhone: 'Téléphone du contact',
  notes: 'Notes',
  hours: 'Durée (heures)',
  priceCents: 'Prix',
  priceUnit: 'Prix par',
  seats: 'Places',
  needStart: 'Début souhaité',
  needEnd: 'Fin souhaitée',
  reference: 'Référence',
  quoteDate: 'Date du devis',
  amountHtCents: 'Montant HT',
  vatCents: 'TVA',
  vatExemption: 'Exonération de TVA',
  amountTtcCents: 'Montant TTC',
  choiceDate: 'Date du choix',
  choiceReason: 'Raison du choix',
  choiceComparison: 'Comparaison des offres',
  chosenQuoteId: 'Devis retenu',
  number: 'Numéro',
  orderDate: 'Date de commande',
  contractStart: 'Début d’exécution',
  contractEnd: 'Fin d’exécution',
  thresholdCents: 'Seuil',
  yearTotalHtCents: 'Achats de l’année (HT)',
  findingsJson: 'Contrôles',
  otherProcedureRef: 'Référence de l’autre procédure',
  otherProcedureDate: 'Date de l’autre procédure',
  invoiceDate: 'Date de facture',
  paymentDate: 'Date du paiement',
  mandateRef: 'Référence du mandat',
  expenseDate: 'Date de la dépense',
  acceptWarnings: 'Alertes acceptées',
  organismeIds: 'Organismes consultés',
  deadline: 'Date limite',
  consultationId: 'Demande de devis',
  contextText: 'Contexte',
  publicText: 'Public visé',
  placesText: 'Lieux',
  contentText: 'Contenu',
  criteriaText: 'Critères de choix',
  otherText: 'Autres précisions',
  groups: 'Groupes',
  contact: 'Contact',
  // Sessions et présence
  conventionId: 'Convention',
  sessionId: 'Session',
  cohortId: 'Cohorte',
  personId: 'Professionnel',
  registrationId: 'Inscription',
  halfDayId: 'Demi-journée',
  pieceId: 'Pièce',
  capacity: 'Places',
  modality: 'Modalité',
  place: 'Lieu',
  startDate: 'Début',
  startTime: 'Heure de début',
  endTime: 'Heure de fin',
  period: 'Demi-journée',
  internal: 'Formation interne',
  trainersJson: 'Formateurs',
  registeredAt: 'Inscrit le',
  registeredOn: 'Inscrit le',
  cancelledAt: 'Annulé le',
  cancelledOn: 'Annulé le',
  cancelReason: 'Motif de l’annulation',
  stopReason: 'Motif de l’arrêt',
  movedFromId: 'Venant de l’inscription',
  movedToId: 'Partie vers l’inscription',
  partialAcceptedAt: 'Présence partielle acceptée le',
  partialAcceptedBy: 'Présence partielle acceptée par',
  partialReason: 'Motif de la présence partielle',
  attendedOn: 'Présent le',
  recordedAt: 'Enregistré le',
  recordedBy: 'Enregistré par',
  pixDate: 'Date Pix',
  pixOn: 'Date Pix',
  requestedOn: 'Demandé le',
  eligibilityValidatedOn: 'Éligibilité validée le',
  habilitatedOn: 'Habilité le',
  sandboxOn: 'Bac à sable le',
  refusedOn: 'Refusé le',
  reportedOn: 'Signalé le',
  attached: 'Pièces jointes',
  pages: 'Pages',
  page: 'Page',
  // Commun
  label: 'Libellé',
  title: 'Intitulé',
  status: 'Statut',
  reason: 'Motif',
  date: 'Date',
  kind: 'Type',
  level: 'Niveau',
  code: 'Code',
  message: 'Message',
  // Le journal et les réglages
  entityId: 'N° de l’enregistrement',
  beforeJson: 'Avant',
  afterJson: 'Après',
  key: 'Réglage',
  valueJson: 'Valeur',
  // L’annulation d’une opération (historique.annuler)
  action: 'Opération',
  entity: 'Enregistrement',
  batchId: 'Lot',
  at: 'Le',
  actor: 'Par',
  restoredBackup: 'Sauvegarde restaurée',
  previousKeptAs: 'État d’avant gardé comme',
};

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const lookup = (labels: Record<string, string>) => (code: string) => (own(labels, code) ? labels[code] : code);

/** Kinds (of import, training, expense) and statuses (registration, session, attendance, Aidants Connect). */
const KIND_VALUES: Record<string, string> = { ...importKindLabels, ...trainingKindLabels, frais_gestion: 'Frais de gestion', ingenierie: 'Ingénierie (reliquat)' };
const STATUS_VALUES: Record<string, string> = {
  ...acStatusLabels,
  inscrit: 'Inscrit',
  attente: 'En liste d’attente',
  annule: 'Annulé',
  deplace: 'Déplacé',
  prevue: 'Prévue',
  annulee: 'Annulée',
  present: 'Présent',
  absent: 'Absent',
  excuse: 'Excusé',
};

/** Values that are codes, told with their French label. */
const CODE_VALUES: Record<string, (code: string) => string> = {
  ownerType: auditEntityLabel,
  entity: auditEntityLabel,
  action: auditActionLabel,
  role: pieceRoleLabel,
  kind: lookup(KIND_VALUES),
  trainingWish: lookup(KIND_VALUES),
  status: lookup(STATUS_VALUES),
  period: lookup({ matin: 'Matin', apres_midi: 'Après-midi' }),
  modality: lookup({ presentiel: 'Présentiel', distance: 'À distance' }),
  priceUnit: lookup({ place: 'place', session: 'session' }),
};

/** A backup file (« fne-formations_2026-…_import.sqlite ») → « sauvegarde du 03/12/2026 à 19:10 (Avant un import) ». */
export function backupLabel(name: string): string {
  const b = parseBackupName(name);
  if (!b) return name;
  const reason = reasonLabels[b.reason] ?? `Avant : ${b.reason.replace(/-/g, ' ')}`;
  return `sauvegarde du ${dateTime(b.at)} (${reason})`;
}

function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
}

/** Bookkeeping fields that say nothing to the officer. */
const HIDDEN = new Set(['id', 'createdAt', 'updatedAt']);
const MAX_TEXT = 80;

export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The French label of a field; a field of an older version, unknown here, is spelt out from its name. */
export function fieldLabel(key: string): string {
  const k = camel(key);
  if (own(FIELDS, k)) return FIELDS[k];
  const words = k
    .replace(/Cents$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every field with a French label (for the test that walks the database columns). */
export function hasFieldLabel(key: string): boolean {
  return own(FIELDS, camel(key));
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
    if (/Cents$/.test(k)) return formatEuros(v);
    return String(v);
  }
  if (typeof v === 'string') {
    if (own(CODE_VALUES, k)) return CODE_VALUES[k](v);
    if (k === 'sha256' || /^[0-9a-f]{64}$/.test(v)) return v.slice(0, 12) + '…';
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return frDate(v);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return dateTime(v);
    if (parseBackupName(v)) return backupLabel(v);
    const batch = /^import:(\d+)$/.exec(v);
    if (batch) return `import n° ${batch[1]}`;
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

/** « Convention n° 3 », « Import n° 2 ». */
export function recordLabel(entity: string, entityId: number | null): string {
  const name = auditEntityLabel(entity);
  return entityId !== null ? `${name} n° ${entityId}` : name;
}
