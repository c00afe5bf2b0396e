import type { Migration } from '../migrate';

// Personal data kept only as long as needed: each convention has a retention date (NULL: its end
// date + 5 years, the time contract documents are kept, R2184-12/13), and the date its people
// were anonymised with the report of what was done. A person carries the date they were
// anonymised (names, e-mails, phones replaced; counts, amounts and pièces of spending kept).
export const m0011: Migration = {
  version: 11,
  name: 'conservation des données personnelles',
  up: /* sql */ `
    CREATE TABLE convention_retention (
      convention_id INTEGER PRIMARY KEY REFERENCES conventions(id),
      retention_until TEXT,
      anonymised_at TEXT,
      report_json TEXT
    );
    ALTER TABLE people ADD COLUMN anonymised_at TEXT;
  `,
};
