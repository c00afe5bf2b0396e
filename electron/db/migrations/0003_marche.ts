import type { Migration } from '../migrate';

// Step 3 — Marché de formation. Money in integer cents, dates as ISO text, codes as text.
export const m0003: Migration = {
  version: 3,
  name: 'marché: organismes, devis, commandes, factures, paiements, dépenses',
  up: /* sql */ `
    -- Training organisations (OF). is_internal = 1: the CD's own agent-trainers (AN only, no purchase).
    CREATE TABLE organismes (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      is_internal INTEGER NOT NULL DEFAULT 0 CHECK (is_internal IN (0, 1)),
      siret TEXT CHECK (siret IS NULL OR (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*')),
      nda TEXT,
      address TEXT,
      postcode TEXT,
      city TEXT,
      contact_name TEXT,
      contact_email TEXT,
      contact_phone TEXT,
      qualiopi_actions_formation INTEGER NOT NULL DEFAULT 0 CHECK (qualiopi_actions_formation IN (0, 1)),
      qualiopi_issuer TEXT,
      qualiopi_number TEXT,
      qualiopi_valid_from TEXT,
      qualiopi_valid_until TEXT,
      anct_referenced_date TEXT,
      anct_reference_note TEXT,
      notes TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX idx_organismes_siret ON organismes(siret) WHERE siret IS NOT NULL;
    CREATE UNIQUE INDEX idx_organismes_internal ON organismes(is_internal) WHERE is_internal = 1;
    INSERT INTO organismes (name, is_internal, notes, created_at, updated_at)
      VALUES ('Formateurs internes du Conseil départemental', 1,
              'Sessions Aidant Numérique animées par des agents-formateurs du CD : pas d''achat, pas de commande.',
              strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

    -- Trainings an OF offers: kind AN (Aidant Numérique), AN_AC (AN avec brique Aidants Connect), AC.
    CREATE TABLE organisme_trainings (
      id INTEGER PRIMARY KEY,
      organisme_id INTEGER NOT NULL REFERENCES organismes(id) ON DELETE CASCADE,
      kind TEXT NOT NULL CHECK (kind IN ('AN', 'AN_AC', 'AC')),
      title TEXT NOT NULL,
      hours REAL CHECK (hours IS NULL OR hours > 0),
      price_cents INTEGER CHECK (price_cents IS NULL OR price_cents >= 0),
      price_unit TEXT CHECK (price_unit IS NULL OR price_unit IN ('place', 'session')),
      created_at TEXT NOT NULL
    );
    CREATE INDEX idx_trainings_organisme ON organisme_trainings(organisme_id);

    -- The public list of training organisations (data.gouv.fr), replaced as a whole at each import.
    CREATE TABLE public_of_list (
      id INTEGER PRIMARY KEY,
      nda TEXT,
      denomination TEXT NOT NULL,
      siren TEXT,
      siret TEXT,
      postcode TEXT,
      city TEXT,
      qualiopi_actions_formation INTEGER NOT NULL CHECK (qualiopi_actions_formation IN (0, 1))
    );
    CREATE INDEX idx_public_of_nda ON public_of_list(nda);
    CREATE INDEX idx_public_of_siren ON public_of_list(siren);
    CREATE INDEX idx_public_of_siret ON public_of_list(siret);
    CREATE TABLE public_of_imports (
      id INTEGER PRIMARY KEY,
      file_name TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      rows INTEGER NOT NULL,
      skipped INTEGER NOT NULL
    );

    -- A procurement record: one need of a convention, its quotes, the choice and its order.
    CREATE TABLE marches (
      id INTEGER PRIMARY KEY,
      convention_id INTEGER NOT NULL REFERENCES conventions(id),
      label TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('AN', 'AN_AC', 'AC')),
      seats INTEGER NOT NULL CHECK (seats > 0),
      need_start TEXT,
      need_end TEXT,
      chosen_quote_id INTEGER REFERENCES quotes(id),
      choice_reason TEXT,
      choice_comparison TEXT,
      choice_date TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX idx_marches_convention ON marches(convention_id);

    CREATE TABLE quotes (
      id INTEGER PRIMARY KEY,
      marche_id INTEGER NOT NULL REFERENCES marches(id),
      organisme_id INTEGER NOT NULL REFERENCES organismes(id),
      training_id INTEGER REFERENCES organisme_trainings(id),
      reference TEXT,
      quote_date TEXT NOT NULL,
      amount_ht_cents INTEGER NOT NULL CHECK (amount_ht_cents > 0),
      vat_cents INTEGER NOT NULL CHECK (vat_cents >= 0),
      vat_exemption TEXT,
      notes TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX idx_quotes_marche ON quotes(marche_id);

    -- The bon de commande. One per marché; amounts come from the chosen quote.
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      marche_id INTEGER NOT NULL UNIQUE REFERENCES marches(id),
      quote_id INTEGER NOT NULL REFERENCES quotes(id),
      organisme_id INTEGER NOT NULL REFERENCES organismes(id),
      number TEXT NOT NULL,
      order_date TEXT NOT NULL,
      amount_ht_cents INTEGER NOT NULL CHECK (amount_ht_cents > 0),
      amount_ttc_cents INTEGER NOT NULL CHECK (amount_ttc_cents >= amount_ht_cents),
      contract_start TEXT,
      contract_end TEXT,
      other_procedure_ref TEXT,
      other_procedure_date TEXT,
      threshold_cents INTEGER NOT NULL,
      year_total_ht_cents INTEGER NOT NULL,
      findings_json TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX idx_orders_number ON orders(number);
    CREATE INDEX idx_orders_date ON orders(order_date);

    CREATE TABLE invoices (
      id INTEGER PRIMARY KEY,
      order_id INTEGER NOT NULL REFERENCES orders(id),
      number TEXT NOT NULL,
      invoice_date TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      created_at TEXT NOT NULL,
      UNIQUE (order_id, number)
    );

    CREATE TABLE payments (
      id INTEGER PRIMARY KEY,
      invoice_id INTEGER NOT NULL REFERENCES invoices(id),
      payment_date TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      mandate_ref TEXT NOT NULL,
      created_at TEXT NOT NULL
    );

    -- Other spending of a convention: management costs, engineering from the reliquat.
    CREATE TABLE expenses (
      id INTEGER PRIMARY KEY,
      convention_id INTEGER NOT NULL REFERENCES conventions(id),
      kind TEXT NOT NULL CHECK (kind IN ('frais_gestion', 'ingenierie')),
      -- No foreign key: the convention service rewrites its action rows on update; the label is kept as written.
      engineering_action_id INTEGER,
      engineering_action_label TEXT,
      label TEXT NOT NULL,
      expense_date TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      created_at TEXT NOT NULL
    );
    CREATE INDEX idx_expenses_convention ON expenses(convention_id);
  `,
};
