import type { Migration } from '../migrate';

// Aidants Connect: the connection method each professional chooses at the end of the training,
// just before the Pix test (guide for training organisations: an OTP app on the phone, or a
// physical card ANCT sends to the structure). NULL: not recorded yet.
export const m0010: Migration = {
  version: 10,
  name: 'aidants connect: moyen de connexion choisi',
  up: /* sql */ `
    ALTER TABLE ac_followups ADD COLUMN connection_method TEXT CHECK (connection_method IN ('application', 'carte'));
  `,
};
