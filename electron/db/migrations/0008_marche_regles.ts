import type { Migration } from '../migrate';

// Marché — the rules ANCT checks (issue 13):
// - the date the consultation was engaged (demande de devis sent) is kept on the need: the
//   threshold in force is the one of that date (décret n° 2025-1386, art. 4), not the order's;
// - the département's other training purchases of a year (outside this app), one figure HT per
//   civil year, counted in the annual sum compared with the threshold (art. R2121-6/7);
// - the pay of the CD's internal trainers (décret n° 2010-235) is an expense of its own kind:
//   the expenses table is rebuilt to widen its CHECK (SQLite cannot alter a CHECK in place).
export const m0008: Migration = {
  version: 8,
  name: 'marché: date de consultation, autres achats de formation de l’année, rémunération des formateurs internes',
  up: /* sql */ `
    ALTER TABLE marches ADD COLUMN consultation_date TEXT
      CHECK (consultation_date IS NULL OR consultation_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

    CREATE TABLE other_training_purchases (
      year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
      amount_ht_cents INTEGER NOT NULL CHECK (amount_ht_cents >= 0),
      note TEXT,
      updated_at TEXT NOT NULL
    );

    CREATE TABLE expenses_0008 (
      id INTEGER PRIMARY KEY,
      convention_id INTEGER NOT NULL REFERENCES conventions(id),
      kind TEXT NOT NULL CHECK (kind IN ('frais_gestion', 'ingenierie', 'formateurs_internes')),
      engineering_action_id INTEGER,
      engineering_action_label TEXT,
      label TEXT NOT NULL,
      expense_date TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      created_at TEXT NOT NULL
    );
    INSERT INTO expenses_0008 (id, convention_id, kind, engineering_action_id, engineering_action_label, label, expense_date, amount_cents, created_at)
      SELECT id, convention_id, kind, engineering_action_id, engineering_action_label, label, expense_date, amount_cents, created_at FROM expenses;
    DROP TABLE expenses;
    ALTER TABLE expenses_0008 RENAME TO expenses;
    CREATE INDEX idx_expenses_convention ON expenses(convention_id);
  `,
};
