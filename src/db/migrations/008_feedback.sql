-- 008_feedback: citizen feedback and petitions (phản ánh, kiến nghị;
-- NĐ 20/2008 as amended), their effective-dated working-day deadlines,
-- Open311 API keys, and violations that name a feedback instead of a
-- dossier.

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,            -- PAKN-<unit code>-<id>
    channel TEXT NOT NULL
        CHECK (channel IN ('web', 'phone', 'paper', 'api', 'open311')),
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    citizen_id INTEGER REFERENCES accounts(id),
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    address TEXT,
    lat REAL,
    lon REAL,
    dossier_id INTEGER REFERENCES dossiers(id),
    official_id INTEGER REFERENCES accounts(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'received'
        CHECK (state IN ('received', 'info_requested', 'rejected',
                         'drafted', 'answered', 'published')),
    received_at INTEGER NOT NULL,        -- receipt, or the last forwarding
    first_received_at INTEGER NOT NULL,
    due_reject INTEGER NOT NULL,
    due_info INTEGER NOT NULL,
    due_answer INTEGER NOT NULL,
    due_publish INTEGER,                 -- set when the answer is sent
    forward_until INTEGER NOT NULL,      -- forwarding allowed until
    forwards INTEGER NOT NULL DEFAULT 0,
    state_note TEXT,                     -- reject / info request reason
    answer_text TEXT,
    answer_fold TEXT,                    -- mc_fold of answer_text
    decision TEXT,
    legal_basis TEXT,
    drafted_by INTEGER REFERENCES accounts(id),
    drafted_at INTEGER,
    approved_by INTEGER REFERENCES accounts(id),
    answered_at INTEGER,
    published_at INTEGER,
    rating TEXT CHECK (rating IN ('satisfied', 'not_satisfied')),
    rated_at INTEGER,
    overdue_level INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES accounts(id),
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_unit ON feedback(unit_path, id);
CREATE INDEX feedback_citizen ON feedback(citizen_id, id);
CREATE INDEX feedback_due ON feedback(state, due_answer);

-- Working-day limits per category and step, effective-dated: the row
-- with the latest effective_from <= the receipt applies.
CREATE TABLE feedback_deadlines (
    category TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('reject', 'request_info', 'answer',
                                       'publish', 'forward')),
    effective_from INTEGER NOT NULL,
    working_days INTEGER NOT NULL CHECK (working_days >= 0),
    PRIMARY KEY (category, step, effective_from)
) STRICT;
INSERT INTO feedback_deadlines (category, step, effective_from, working_days)
VALUES
    ('regulation_or_procedure', 'reject', 0, 2),
    ('regulation_or_procedure', 'request_info', 0, 5),
    ('regulation_or_procedure', 'answer', 0, 15),
    ('regulation_or_procedure', 'publish', 0, 2),
    ('regulation_or_procedure', 'forward', 0, 5),
    ('official_conduct_or_delay', 'reject', 0, 2),
    ('official_conduct_or_delay', 'request_info', 0, 5),
    ('official_conduct_or_delay', 'answer', 0, 15),
    ('official_conduct_or_delay', 'publish', 0, 2),
    ('official_conduct_or_delay', 'forward', 0, 5),
    ('other', 'reject', 0, 2),
    ('other', 'request_info', 0, 5),
    ('other', 'answer', 0, 15),
    ('other', 'publish', 0, 2),
    ('other', 'forward', 0, 5);

-- Open311 GeoReport v2 API keys: only SHA-256(key) is stored.
CREATE TABLE open311_keys (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

-- Violations may now name a feedback (rules feedback_overdue,
-- feedback_official_conduct) instead of a dossier.
CREATE TABLE violations_v8 (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    dossier_id INTEGER REFERENCES dossiers(id),
    occurrence INTEGER NOT NULL DEFAULT 0,
    official_id INTEGER REFERENCES accounts(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',
    at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'confirmed', 'dismissed')),
    decided_by INTEGER REFERENCES accounts(id),
    decided_at INTEGER,
    decision_reason TEXT,
    feedback_id INTEGER REFERENCES feedback(id),
    UNIQUE (dossier_id, rule, occurrence)
) STRICT;
INSERT INTO violations_v8 (id, rule, dossier_id, occurrence, official_id,
    unit_id, unit_path, evidence, at, state, decided_by, decided_at,
    decision_reason)
    SELECT id, rule, dossier_id, occurrence, official_id, unit_id,
           unit_path, evidence, at, state, decided_by, decided_at,
           decision_reason FROM violations;
DROP TABLE violations;
ALTER TABLE violations_v8 RENAME TO violations;
CREATE INDEX violations_unit ON violations(unit_path, at);
CREATE INDEX violations_official ON violations(official_id, at);
CREATE UNIQUE INDEX violations_feedback ON violations(feedback_id, rule,
                                                      occurrence);
