import type { Migration } from '../migrate';

export const m0004: Migration = {
  version: 4,
  name: 'sessions: cohortes, demi-journées, inscriptions, suivi Aidants Connect',
  up: /* sql */ ``,
};
