import type { Migration } from '../migrate';

// A combined training (AN with the Aidants Connect brick, kind AN_AC) is two trainings in one
// session: each completed part is a departure (guide for fund recipients: « Un professionnel peut
// suivre les deux types de formation. Cela est donc compté comme deux départs »). Each half-day of
// such a session says which part it belongs to: 'AN', 'AC', or NULL = both (not split, and every
// half-day of an AN or AC session). Existing half-days stay NULL.
export const m0009: Migration = {
  version: 9,
  name: 'sessions: partie (AN ou AC) des demi-journées d’une formation combinée',
  up: /* sql */ `
    ALTER TABLE session_half_days ADD COLUMN part TEXT CHECK (part IN ('AN', 'AC'));
  `,
};
