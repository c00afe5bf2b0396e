import type { Migration } from '../migrate';

export const m0005: Migration = {
  version: 5,
  name: 'justification: présences, attestations, dossiers',
  up: /* sql */ ``,
};
