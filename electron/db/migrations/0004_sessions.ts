import type { Migration } from '../migrate';

// Step 4 — Cohortes et sessions. Dates are ISO text, times 'HH:MM', kinds AN | AN_AC | AC.
export const m0004: Migration = {
  version: 4,
  name: 'sessions: cohortes, demi-journées, inscriptions, suivi Aidants Connect',
  up: /* sql */ `
    -- A group of sessions the OF runs for the same people (optional).
    CREATE TABLE cohorts (
      id INTEGER PRIMARY KEY,
      convention_id INTEGER NOT NULL REFERENCES conventions(id),
      label TEXT NOT NULL CHECK (length(trim(label)) > 0),
      note TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX idx_cohorts_convention ON cohorts(convention_id);

    -- A training session. Bought through an order (organisme_id = the order's OF), or run by the
    -- CD's internal trainers (organisme_id = the internal organisme, AN only, no order).
    CREATE TABLE sessions (
      id INTEGER PRIMARY KEY,
      convention_id INTEGER NOT NULL REFERENCES conventions(id),
      cohort_id INTEGER REFERENCES cohorts(id) ON DELETE SET NULL,
      order_id INTEGER REFERENCES orders(id),
      organisme_id INTEGER REFERENCES organismes(id),
      internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
      kind TEXT NOT NULL CHECK (kind IN ('AN', 'AN_AC', 'AC')),
      title TEXT NOT NULL CHECK (length(trim(title)) > 0),
      modality TEXT NOT NULL CHECK (modality IN ('presentiel', 'distance')),
      place TEXT,
      capacity INTEGER NOT NULL CHECK (capacity > 0),
      trainers_json TEXT NOT NULL DEFAULT '[]',
      status TEXT NOT NULL DEFAULT 'prevue' CHECK (status IN ('prevue', 'annulee')),
      cancel_reason TEXT,
      note TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (internal = 0 OR (kind = 'AN' AND order_id IS NULL)),
      CHECK (status = 'prevue' OR length(trim(coalesce(cancel_reason, ''))) > 0)
    );
    CREATE INDEX idx_sessions_convention ON sessions(convention_id);
    CREATE INDEX idx_sessions_order ON sessions(order_id);
    CREATE INDEX idx_sessions_cohort ON sessions(cohort_id);

    -- The half-days of a session (date + matin / après-midi, with hours).
    CREATE TABLE session_half_days (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      period TEXT NOT NULL CHECK (period IN ('matin', 'apres_midi')),
      start_time TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
      end_time TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'),
      CHECK (end_time > start_time),
      UNIQUE (session_id, date, period)
    );

    -- A person in a session. status: inscrit (a departure planned), attente (waiting list),
    -- annule (cancelled, with its reason), deplace (moved to another session: moved_to_id).
    -- The rows stay: moving or cancelling keeps the history.
    CREATE TABLE registrations (
      id INTEGER PRIMARY KEY,
      session_id INTEGER NOT NULL REFERENCES sessions(id),
      person_id INTEGER NOT NULL REFERENCES people(id),
      status TEXT NOT NULL CHECK (status IN ('inscrit', 'attente', 'annule', 'deplace')),
      -- Registered although not eligible: the officer's written reason.
      override_reason TEXT,
      warnings_json TEXT NOT NULL DEFAULT '[]',
      moved_from_id INTEGER REFERENCES registrations(id),
      moved_to_id INTEGER REFERENCES registrations(id),
      cancel_reason TEXT,
      cancelled_at TEXT,
      -- Partial attendance accepted as a departure, with the written reason.
      partial_reason TEXT,
      partial_accepted_at TEXT,
      partial_accepted_by TEXT,
      registered_at TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (status != 'annule' OR length(trim(coalesce(cancel_reason, ''))) > 0),
      CHECK (status != 'deplace' OR moved_to_id IS NOT NULL),
      CHECK (partial_reason IS NULL OR length(trim(partial_reason)) > 0)
    );
    CREATE UNIQUE INDEX idx_registrations_active ON registrations(session_id, person_id) WHERE status IN ('inscrit', 'attente');
    CREATE INDEX idx_registrations_person ON registrations(person_id);
    CREATE INDEX idx_registrations_session ON registrations(session_id, status);

    -- Attendance of a registration on one half-day of its session.
    CREATE TABLE attendance (
      registration_id INTEGER NOT NULL REFERENCES registrations(id),
      half_day_id INTEGER NOT NULL REFERENCES session_half_days(id),
      status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excuse')),
      recorded_at TEXT NOT NULL,
      recorded_by TEXT NOT NULL,
      PRIMARY KEY (registration_id, half_day_id)
    ) WITHOUT ROWID;
    CREATE INDEX idx_attendance_half_day ON attendance(half_day_id);
    -- The half-day must belong to the registration's session.
    CREATE TRIGGER attendance_same_session_insert BEFORE INSERT ON attendance
    WHEN (SELECT session_id FROM session_half_days WHERE id = NEW.half_day_id)
         IS NOT (SELECT session_id FROM registrations WHERE id = NEW.registration_id)
    BEGIN SELECT RAISE(ABORT, 'attendance: half-day of another session'); END;
    CREATE TRIGGER attendance_same_session_update BEFORE UPDATE ON attendance
    WHEN (SELECT session_id FROM session_half_days WHERE id = NEW.half_day_id)
         IS NOT (SELECT session_id FROM registrations WHERE id = NEW.registration_id)
    BEGIN SELECT RAISE(ABORT, 'attendance: half-day of another session'); END;

    -- Aidants Connect follow-up of a professional: requested → eligibility validated by ANCT →
    -- registered → sandbox opened → attended → Pix test done → attendance reported to ANCT →
    -- habilitated; refused / cancelled at any point. One per person; each step keeps its date.
    CREATE TABLE ac_followups (
      id INTEGER PRIMARY KEY,
      person_id INTEGER NOT NULL UNIQUE REFERENCES people(id),
      registration_id INTEGER REFERENCES registrations(id),
      status TEXT NOT NULL CHECK (status IN ('demande', 'eligibilite_validee', 'inscrit', 'bac_a_sable', 'forme', 'pix',
                                             'presence_transmise', 'habilite', 'refuse', 'annule')),
      requested_on TEXT,
      eligibility_validated_on TEXT,
      registered_on TEXT,
      sandbox_on TEXT,
      attended_on TEXT,
      pix_on TEXT,
      reported_on TEXT,
      habilitated_on TEXT,
      refused_on TEXT,
      cancelled_on TEXT,
      stop_reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      CHECK (status NOT IN ('refuse', 'annule') OR length(trim(coalesce(stop_reason, ''))) > 0)
    );
    CREATE INDEX idx_ac_followups_registration ON ac_followups(registration_id);
  `,
};
