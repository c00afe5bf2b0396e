// What a pièce can prove, per kind of record. The dossier and the readiness checklist read
// `required` to say what is missing.
import { pieceRoleLabels, type PieceRole } from '../../../shared/codes';
import type { ownerTypes } from '../../../shared/ipc/channels/pieces';

type OwnerType = (typeof ownerTypes)[number];
export interface PieceRoleSpec {
  role: PieceRole;
  label: string;
  required: boolean;
}

/** A role with its French label (shared/codes.ts, the one place labels are defined). */
const r = (role: PieceRole, required: boolean): PieceRoleSpec => ({ role, label: pieceRoleLabels[role], required });

export const pieceRoles: Record<OwnerType, PieceRoleSpec[]> = {
  convention: [
    r('convention_signee', true),
    r('avis_sirene', true),
    r('rib', true),
    r('arrete_designation', false),
    r('avis_versement', false),
    r('autre', false),
  ],
  import: [r('fichier_source', true)],
  structure: [r('autre', false)],
  person: [r('autre', false)],
  organisme: [
    r('certificat_qualiopi', true),
    r('referencement_anct', false),
    r('autre', false),
  ],
  quote: [r('devis', true)],
  order: [
    r('bon_de_commande', true),
    r('note_de_choix', false),
    r('autre', false),
  ],
  invoice: [r('facture', true)],
  payment: [r('preuve_paiement', true)],
  expense: [r('justificatif', true)],
  session: [
    r('feuille_presence', true),
    r('autre', false),
  ],
  registration: [r('attestation_fin_formation', true)],
};

export function roleLabel(ownerType: OwnerType, role: string): string | null {
  return pieceRoles[ownerType].find((r) => r.role === role)?.label ?? null;
}
