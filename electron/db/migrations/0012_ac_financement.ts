import type { Migration } from '../migrate';

// Aidants Connect follow-up: ANCT's validation of the funding (Validation_du_financement of its
// FNE follow-up table), read at import — 1 validated, 0 not, NULL not said — and its date.
export const m0012: Migration = {
  version: 12,
  name: 'aidants connect: validation du financement par l’ANCT',
  up: /* sql */ `
    ALTER TABLE ac_followups ADD COLUMN funding_validated INTEGER CHECK (funding_validated IN (0, 1));
    ALTER TABLE ac_followups ADD COLUMN funding_validated_on TEXT;
  `,
};
