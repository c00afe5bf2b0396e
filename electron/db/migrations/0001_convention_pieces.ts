import type { Migration } from '../migrate';

export const m0001: Migration = {
  version: 1,
  name: 'conventions, pièces jointes, journal',
  up: /* sql */ `
    CREATE TABLE conventions (
      id INTEGER PRIMARY KEY,
      label TEXT NOT NULL,
      departement TEXT NOT NULL,
      beneficiaire_nom TEXT NOT NULL,
      beneficiaire_siret TEXT,
      designation_date TEXT,
      signature_date TEXT,
      anct_reference TEXT,
      amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
      funds_received_date TEXT,
      funds_received_cents INTEGER CHECK (funds_received_cents IS NULL OR funds_received_cents >= 0),
      end_date TEXT NOT NULL,
      departure_target INTEGER NOT NULL CHECK (departure_target > 0),
      frais_gestion_planned_cents INTEGER NOT NULL DEFAULT 0 CHECK (frais_gestion_planned_cents >= 0),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );

    -- Engineering actions listed in the convention (fundable from the reliquat after the target).
    CREATE TABLE convention_engineering_actions (
      id INTEGER PRIMARY KEY,
      convention_id INTEGER NOT NULL REFERENCES conventions(id) ON DELETE CASCADE,
      label TEXT NOT NULL,
      planned_cents INTEGER NOT NULL CHECK (planned_cents >= 0),
      position INTEGER NOT NULL
    );
    CREATE INDEX idx_engineering_convention ON convention_engineering_actions(convention_id);

    -- Content-addressed store: one row per distinct file content, kept under pieces/<sha[0:2]>/<sha>.
    CREATE TABLE blobs (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      size INTEGER NOT NULL,
      stored_at TEXT NOT NULL
    );

    -- A pièce: a stored file attached to a record, with what it proves (role).
    CREATE TABLE pieces (
      id INTEGER PRIMARY KEY,
      sha256 TEXT NOT NULL REFERENCES blobs(sha256),
      original_name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      size INTEGER NOT NULL,
      added_at TEXT NOT NULL,
      owner_type TEXT NOT NULL,
      owner_id INTEGER NOT NULL,
      role TEXT NOT NULL,
      note TEXT
    );
    CREATE INDEX idx_pieces_owner ON pieces(owner_type, owner_id);
    CREATE UNIQUE INDEX idx_pieces_unique ON pieces(owner_type, owner_id, role, sha256);

    -- Who changed what, with before/after (JSON); written in the same transaction as the change.
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      entity TEXT NOT NULL,
      entity_id INTEGER,
      before_json TEXT,
      after_json TEXT,
      batch_id TEXT
    );
    CREATE INDEX idx_audit_entity ON audit_log(entity, entity_id);

    -- Small key/value settings (remembered mappings, backup folder…).
    CREATE TABLE app_settings (
      key TEXT PRIMARY KEY,
      value_json TEXT NOT NULL
    );
  `,
};
