-- 009_evaluation: citizens' evaluations of finished dossiers (TT 01/2018
-- Điều 12-14), each finished dossier's frozen facts (the 766 on-time rule
-- applied once, at the transition) and the per unit x procedure x day
-- counters maintained incrementally in the transition's transaction.
-- Days are civil day numbers of Vietnam local time (util/mctime.h).

CREATE TABLE dossier_evaluations (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    channel TEXT NOT NULL CHECK (channel IN ('online', 'kiosk', 'desk')),
    c1 INTEGER CHECK (c1 IN (0, 1, 2)),  -- NULL: not judged
    c3 INTEGER CHECK (c3 IN (0, 1, 2)),
    c4 INTEGER CHECK (c4 IN (0, 1, 2)),
    c7 INTEGER CHECK (c7 IN (0, 1, 2)),
    satisfaction TEXT NOT NULL CHECK (satisfaction IN
        ('very_satisfied', 'satisfied', 'dissatisfied')),
    comment TEXT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    official_id INTEGER REFERENCES accounts(id), -- the assignee judged
    entered_by INTEGER REFERENCES accounts(id),  -- NULL: kiosk
    at INTEGER NOT NULL,
    UNIQUE (dossier_id, channel)
) STRICT;
CREATE INDEX dossier_evaluations_unit ON dossier_evaluations(unit_path, at);
CREATE INDEX dossier_evaluations_official
    ON dossier_evaluations(official_id, at);

-- Frozen at approve/reject; never updated afterwards.
CREATE TABLE dossier_facts (
    dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    official_id INTEGER REFERENCES accounts(id),
    channel INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('done', 'rejected')),
    received_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    finish_day INTEGER NOT NULL,
    due_at INTEGER,
    due_original INTEGER,
    paused_seconds INTEGER NOT NULL,
    processing_seconds INTEGER NOT NULL, -- end - start - supplement waits
    supplements INTEGER NOT NULL,
    reschedules INTEGER NOT NULL,
    on_time INTEGER NOT NULL CHECK (on_time IN (0, 1)),
    early INTEGER NOT NULL CHECK (early IN (0, 1)),
    files INTEGER NOT NULL,              -- attachments at finish
    e_result INTEGER NOT NULL CHECK (e_result IN (0, 1))
) STRICT;
CREATE INDEX dossier_facts_unit ON dossier_facts(unit_path, finish_day);
CREATE INDEX dossier_facts_official ON dossier_facts(official_id, finish_day);

CREATE TABLE eval_rollup (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    procedure_code TEXT NOT NULL,
    day INTEGER NOT NULL,
    unit_path TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    received_online INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    finished_early INTEGER NOT NULL DEFAULT 0,
    finished_online INTEGER NOT NULL DEFAULT 0,
    finished_digitised INTEGER NOT NULL DEFAULT 0,
    with_e_result INTEGER NOT NULL DEFAULT 0,
    supplement_rounds INTEGER NOT NULL DEFAULT 0,
    processing_seconds INTEGER NOT NULL DEFAULT 0,
    returned INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    eval_very_satisfied INTEGER NOT NULL DEFAULT 0,
    eval_satisfied INTEGER NOT NULL DEFAULT 0,
    eval_dissatisfied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, procedure_code, day)
) STRICT;
CREATE INDEX eval_rollup_path ON eval_rollup(unit_path, day);
