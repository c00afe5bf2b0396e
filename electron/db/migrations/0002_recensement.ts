import type { Migration } from '../migrate';

export const m0002: Migration = {
  version: 2,
  name: 'recensement: structures, professionnels, imports, éligibilité',
  up: /* sql */ `
    -- Employers of the professionals. A structure is one SIRET; known only by a SIREN or a name
    -- until the SIRET is supplied. Codes are text.
    CREATE TABLE structures (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(trim(name)) > 0),
      name_key TEXT NOT NULL,
      siret TEXT CHECK (siret IS NULL OR (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*')),
      siren TEXT CHECK (siren IS NULL OR (length(siren) = 9 AND siren NOT GLOB '*[^0-9]*')),
      type TEXT,
      address TEXT,
      postcode TEXT,
      city TEXT,
      departement TEXT,
      email TEXT,
      datapass_id TEXT,
      habilitation_ac TEXT,
      france_services INTEGER CHECK (france_services IN (0, 1)),
      statut_employeur TEXT,
      note TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX idx_structures_siret ON structures(siret) WHERE siret IS NOT NULL;
    CREATE INDEX idx_structures_siren ON structures(siren);
    CREATE INDEX idx_structures_name ON structures(name_key);

    -- Professionals who want (or followed) a training. One e-mail = one person.
    CREATE TABLE people (
      id INTEGER PRIMARY KEY,
      nom TEXT NOT NULL CHECK (length(trim(nom)) > 0),
      prenom TEXT NOT NULL CHECK (length(trim(prenom)) > 0),
      name_key TEXT NOT NULL,
      email TEXT CHECK (email IS NULL OR email = lower(trim(email))),
      phone TEXT,
      profession TEXT,
      structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
      conseiller_numerique INTEGER CHECK (conseiller_numerique IN (0, 1)),
      statut TEXT,
      uniformation INTEGER CHECK (uniformation IN (0, 1)),
      training_wish TEXT CHECK (training_wish IN ('AN', 'AC', 'AN_AC')),
      training_date TEXT,
      training_org TEXT,
      request_date TEXT,
      aidant_actif INTEGER CHECK (aidant_actif IN (0, 1)),
      referent INTEGER CHECK (referent IN (0, 1)),
      comment TEXT,
      -- Eligibility as decided by the rules (services/recensement/eligibility.ts), kept for
      -- filters and figures; recomputed on every change of the person or their structure.
      eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
      ineligible_json TEXT NOT NULL DEFAULT '[]',
      warnings_json TEXT NOT NULL DEFAULT '[]',
      -- The officer's decision against the rules, with its written reason.
      override_eligible INTEGER CHECK (override_eligible IN (0, 1)),
      override_reason TEXT,
      override_at TEXT,
      override_by TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (override_eligible IS NULL OR length(trim(coalesce(override_reason, ''))) > 0)
    );
    CREATE UNIQUE INDEX idx_people_email ON people(email) WHERE email IS NOT NULL;
    CREATE INDEX idx_people_name ON people(name_key);
    CREATE INDEX idx_people_structure ON people(structure_id);

    -- Each import of a list: the file (kept in the pièces store), what was found and done.
    CREATE TABLE imports (
      id INTEGER PRIMARY KEY,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      kind TEXT NOT NULL,
      format TEXT NOT NULL,
      sheet TEXT NOT NULL,
      header_row INTEGER NOT NULL,
      mapping_json TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      actor TEXT NOT NULL,
      rows INTEGER NOT NULL,
      people_created INTEGER NOT NULL,
      people_updated INTEGER NOT NULL,
      people_unchanged INTEGER NOT NULL,
      structures_created INTEGER NOT NULL,
      structures_updated INTEGER NOT NULL,
      structures_unchanged INTEGER NOT NULL,
      rejected INTEGER NOT NULL,
      warnings INTEGER NOT NULL
    );
    CREATE INDEX idx_imports_sha ON imports(sha256);

    -- Rows rejected or warned during an import, with the file's row number and the reason.
    CREATE TABLE import_issues (
      id INTEGER PRIMARY KEY,
      import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
      row INTEGER NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('rejet', 'alerte')),
      code TEXT NOT NULL,
      message TEXT NOT NULL
    );
    CREATE INDEX idx_import_issues_import ON import_issues(import_id);

    -- France compétences' SIRET → OPCO table (SIRO), imported to flag Uniformation employers.
    CREATE TABLE opco_sirets (
      siret TEXT PRIMARY KEY CHECK (length(siret) = 14),
      opco TEXT NOT NULL,
      imported_at TEXT NOT NULL
    );
  `,
};
