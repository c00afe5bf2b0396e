import type { Migration } from '../migrate';

// Recensement: the application form asks whether the professional is already aware of digital
// inclusion (« Déjà sensibilisé(e) à l’inclusion numérique », useful to direct them to Aidants
// Connect); the answer is now kept on the person (1 yes, 0 no, NULL not said).
export const m0007: Migration = {
  version: 7,
  name: 'recensement: déjà sensibilisé à l’inclusion numérique',
  up: /* sql */ `
    ALTER TABLE people ADD COLUMN deja_sensibilise INTEGER CHECK (deja_sensibilise IN (0, 1));
  `,
};
