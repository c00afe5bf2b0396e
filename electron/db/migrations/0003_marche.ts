import type { Migration } from '../migrate';

export const m0003: Migration = {
  version: 3,
  name: 'marché: organismes, devis, commandes, factures, paiements, dépenses',
  up: /* sql */ ``,
};
