-- 007_tasks: directives (văn bản chỉ đạo) and the tasks they assign,
-- with progress reports, deadline adjustments and their history.
-- Dates (issued_on, deadlines) are civil day numbers (util/mctime.h).

CREATE TABLE directives (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,                -- e.g. 495/TB-VP
    issued_on INTEGER NOT NULL,          -- civil day
    issuer_unit_id INTEGER NOT NULL REFERENCES units(id),
    issuer_path TEXT NOT NULL,
    summary TEXT NOT NULL,
    file_id INTEGER,                     -- optional attachment id
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    UNIQUE (issuer_unit_id, number)
) STRICT;

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives(id),
    title TEXT NOT NULL,
    lead_unit_id INTEGER NOT NULL REFERENCES units(id),
    lead_path TEXT NOT NULL,
    issuer_unit_id INTEGER NOT NULL REFERENCES units(id),
    issuer_path TEXT NOT NULL,
    start_day INTEGER NOT NULL,          -- the directive's date
    deadline_original INTEGER NOT NULL,  -- civil day, kept for scoring
    deadline INTEGER NOT NULL,           -- current (after adjustments)
    expected_output TEXT NOT NULL,
    target_text TEXT,
    target_value REAL,
    current_value REAL,
    target_unit TEXT,
    priority TEXT NOT NULL DEFAULT 'normal'
        CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    risk_time_pct INTEGER NOT NULL DEFAULT 20,
    risk_progress_pct INTEGER NOT NULL DEFAULT 80,
    progress INTEGER NOT NULL DEFAULT 0, -- percent 0..100
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'submitted', 'accepted')),
    done_at INTEGER,
    evidence TEXT,
    accepted_at INTEGER,
    accepted_by INTEGER REFERENCES accounts(id),
    final_status TEXT,                   -- frozen at acceptance
    cause TEXT,                          -- written cause of lateness
    cause_at INTEGER,
    reminded_at INTEGER,                 -- near-due reminder sent
    escalated_at INTEGER,                -- overdue escalation sent
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX tasks_lead ON tasks(lead_path, deadline_original);
CREATE INDEX tasks_issuer ON tasks(issuer_path);
CREATE INDEX tasks_directive ON tasks(directive_id);
CREATE INDEX tasks_open ON tasks(state, deadline);

CREATE TABLE task_units (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    PRIMARY KEY (task_id, unit_id)
) STRICT;
CREATE INDEX task_units_path ON task_units(unit_path);

CREATE TABLE task_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    account_id INTEGER REFERENCES accounts(id), -- NULL: imported
    percent INTEGER,
    value REAL,
    note TEXT NOT NULL,
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX task_reports_task ON task_reports(task_id, id);

CREATE TABLE task_adjustments (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    requested_by INTEGER REFERENCES accounts(id), -- NULL: imported
    requested_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    old_deadline INTEGER NOT NULL,
    proposed INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'approved', 'refused')),
    decided_by INTEGER REFERENCES accounts(id),
    decided_at INTEGER,
    decision_note TEXT
) STRICT;
CREATE INDEX task_adjustments_task ON task_adjustments(task_id, id);

CREATE TABLE task_events (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    action TEXT NOT NULL,
    actor_id INTEGER REFERENCES accounts(id),
    at INTEGER NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'      -- JSON
) STRICT;
CREATE INDEX task_events_task ON task_events(task_id, id);
