import type { Migration } from '../migrate';

export const m0002: Migration = {
  version: 2,
  name: 'recensement: structures, professionnels, imports, éligibilité',
  up: /* sql */ ``,
};
