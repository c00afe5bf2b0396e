// What a pièce can prove, per kind of record. The dossier and the readiness checklist read
// `required` to say what is missing.
import type { ownerTypes } from '../../../shared/ipc/channels/pieces';

type OwnerType = (typeof ownerTypes)[number];
export interface PieceRole {
  role: string;
  label: string;
  required: boolean;
}

export const pieceRoles: Record<OwnerType, PieceRole[]> = {
  convention: [
    { role: 'convention_signee', label: 'Convention signée', required: true },
    { role: 'avis_sirene', label: 'Avis de situation SIRENE', required: true },
    { role: 'rib', label: "Relevé d'identité bancaire (RIB)", required: true },
    { role: 'arrete_designation', label: 'Désignation par la préfecture', required: false },
    { role: 'avis_versement', label: 'Avis de versement des fonds', required: false },
    { role: 'autre', label: 'Autre document', required: false },
  ],
  import: [{ role: 'fichier_source', label: "Fichier source de l'import", required: true }],
  structure: [{ role: 'autre', label: 'Autre document', required: false }],
  person: [{ role: 'autre', label: 'Autre document', required: false }],
  organisme: [
    { role: 'certificat_qualiopi', label: 'Certificat Qualiopi', required: true },
    { role: 'referencement_anct', label: 'Preuve de référencement ANCT', required: false },
    { role: 'autre', label: 'Autre document', required: false },
  ],
  quote: [{ role: 'devis', label: 'Devis', required: true }],
  order: [
    { role: 'bon_de_commande', label: 'Bon de commande signé', required: true },
    { role: 'note_de_choix', label: 'Note de choix signée', required: false },
    { role: 'autre', label: 'Autre document', required: false },
  ],
  invoice: [{ role: 'facture', label: 'Facture', required: true }],
  payment: [{ role: 'preuve_paiement', label: 'Preuve de paiement (mandat)', required: true }],
  expense: [{ role: 'justificatif', label: 'Justificatif de dépense', required: true }],
  session: [
    { role: 'feuille_presence', label: "Feuille d'émargement signée", required: true },
    { role: 'autre', label: 'Autre document', required: false },
  ],
  registration: [{ role: 'attestation_fin_formation', label: 'Attestation de fin de formation', required: true }],
};

export function roleLabel(ownerType: OwnerType, role: string): string | null {
  return pieceRoles[ownerType].find((r) => r.role === role)?.label ?? null;
}
