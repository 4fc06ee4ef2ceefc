-- 003_catalog: the procedure catalog (thủ tục hành chính), versioned by
-- effective date: a dossier keeps the version in force when received.
--
-- One row of procedures is one version of a procedure; its components and
-- steps belong to that version only. The versions of a code tile time:
-- [effective_from, effective_to), the latest has effective_to NULL.

CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,                 -- national code, e.g. 1.001612
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,           -- mc_fold(name)
    field TEXT NOT NULL,                -- lĩnh vực
    level TEXT NOT NULL,                -- cấp thực hiện: 'Cấp xã', 'Cấp tỉnh'...
    limit_value INTEGER,                -- statutory time limit (NULL: incomplete)
    limit_unit TEXT CHECK (limit_unit IN ('workdays','halfdays','workhours','sameday')),
    unit_assumed INTEGER NOT NULL DEFAULT 0,  -- source gave no working-day unit; loaded as working days
    incomplete INTEGER NOT NULL DEFAULT 0,    -- source has no limit; an administrator must enter it
    cutoff_15h INTEGER NOT NULL DEFAULT 0,    -- same-day procedures: after 15:00 -> next working day
    pause_policy TEXT NOT NULL DEFAULT 'restart' CHECK (pause_policy IN ('restart','subtract')),
    fee_text TEXT,
    fee_amount INTEGER,                 -- VND, NULL when not a fixed amount
    online_level TEXT NOT NULL DEFAULT 'none' CHECK (online_level IN ('full','partial','none')),
    channels TEXT NOT NULL DEFAULT '',  -- '|'-separated, source order: online|post|counter
    decision_no TEXT,
    competent_agency TEXT,
    implementing_agency TEXT,
    source TEXT,
    portal_url TEXT,
    limit_by_channel TEXT,              -- source text, per submission channel
    fee_by_channel TEXT,                -- source text, per submission channel
    src_limit_value TEXT,               -- the source's time limit, verbatim
    src_limit_unit TEXT,
    notes TEXT,
    effective_from INTEGER NOT NULL,
    effective_to INTEGER,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (code, version),
    CHECK ((incomplete = 1 AND limit_value IS NULL AND limit_unit IS NULL)
        OR (incomplete = 0 AND limit_value > 0 AND limit_unit IS NOT NULL)),
    CHECK (effective_to IS NULL OR effective_to >= effective_from)
) STRICT;
CREATE INDEX procedures_code ON procedures(code, effective_from);
CREATE UNIQUE INDEX procedures_latest ON procedures(code)
    WHERE effective_to IS NULL;

CREATE TABLE procedure_components (
    id INTEGER PRIMARY KEY,
    procedure_id INTEGER NOT NULL REFERENCES procedures(id),
    seq INTEGER NOT NULL,               -- display order (grouped by section)
    source_seq INTEGER,                 -- order in the source, when imported
    name TEXT NOT NULL,
    section TEXT,                       -- case heading, NULL for none
    kind TEXT NOT NULL CHECK (kind IN ('original','certified','copy','both','any')),
    qty_original INTEGER NOT NULL DEFAULT 0,
    qty_copy INTEGER NOT NULL DEFAULT 0,
    quantity_text TEXT,
    mandatory INTEGER NOT NULL DEFAULT 1,
    form_file TEXT,
    UNIQUE (procedure_id, seq)
) STRICT;

CREATE TABLE procedure_steps (
    id INTEGER PRIMARY KEY,
    procedure_id INTEGER NOT NULL REFERENCES procedures(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('desk','specialist','leader')),
    budget_minutes INTEGER NOT NULL CHECK (budget_minutes > 0),
    UNIQUE (procedure_id, seq)
) STRICT;
