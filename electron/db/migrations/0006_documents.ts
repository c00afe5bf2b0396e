import type { Migration } from '../migrate';

// Documents the officer sends out. The consultation of training organisations for one need of the
// Marché: the free texts of the demande de devis / cahier des charges as the officer edited them,
// and the organisations consulted. Quotes received stay in `quotes` (same marché).
export const m0006: Migration = {
  version: 6,
  name: 'documents: consultation des organismes de formation',
  up: /* sql */ `
    CREATE TABLE consultations (
      id INTEGER PRIMARY KEY,
      marche_id INTEGER NOT NULL UNIQUE REFERENCES marches(id),
      reference TEXT,
      deadline TEXT NOT NULL CHECK (deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      groups INTEGER NOT NULL CHECK (groups > 0),
      modality TEXT NOT NULL CHECK (modality IN ('presentiel', 'distanciel', 'mixte')),
      contact TEXT,
      context_text TEXT NOT NULL,
      public_text TEXT NOT NULL,
      places_text TEXT NOT NULL,
      content_text TEXT NOT NULL,
      criteria_text TEXT NOT NULL,
      other_text TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE consultation_organismes (
      consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
      organisme_id INTEGER NOT NULL REFERENCES organismes(id),
      PRIMARY KEY (consultation_id, organisme_id)
    );
  `,
};
