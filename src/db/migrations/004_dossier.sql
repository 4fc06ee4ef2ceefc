-- 004_dossier: dossiers (hồ sơ), their event history, step ledger, files.

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,                    -- mã hồ sơ, NULL until received
    procedure_id INTEGER NOT NULL REFERENCES procedures(id),
    procedure_code TEXT NOT NULL,
    recv_unit_id INTEGER NOT NULL REFERENCES units(id),
    recv_unit_path TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),   -- handling unit
    unit_path TEXT NOT NULL,
    applicant_id INTEGER REFERENCES accounts(id),
    applicant_name TEXT NOT NULL,
    applicant_id_number TEXT,
    applicant_phone TEXT,
    applicant_email TEXT,
    applicant_address TEXT,
    summary TEXT,
    channel INTEGER NOT NULL CHECK (channel IN (1, 2, 3)),
    state TEXT NOT NULL,
    status INTEGER NOT NULL,             -- Cổng DVCQG TrangThaiHoSo 1..10
    submitted_at INTEGER NOT NULL,
    received_at INTEGER,
    due_at INTEGER,
    due_original INTEGER,
    due_provenance TEXT,                 -- JSON: how due_at was computed
    finished_at INTEGER,
    returned_at INTEGER,
    refused_at INTEGER,
    stopped_at INTEGER,
    paused_at INTEGER,                   -- open supplement pause start
    paused_total INTEGER NOT NULL DEFAULT 0,
    reschedules INTEGER NOT NULL DEFAULT 0,
    supplements INTEGER NOT NULL DEFAULT 0,
    step_seq INTEGER NOT NULL DEFAULT 0,
    assignee_id INTEGER REFERENCES accounts(id),
    consult_unit_id INTEGER REFERENCES units(id),
    consult_unit_path TEXT,
    consult_due INTEGER,
    result_text TEXT,
    search_key TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX dossiers_unit_due ON dossiers(unit_path, due_at);
CREATE INDEX dossiers_recv_unit ON dossiers(recv_unit_path, submitted_at);
CREATE INDEX dossiers_applicant ON dossiers(applicant_id, submitted_at);
CREATE INDEX dossiers_assignee ON dossiers(assignee_id, due_at);
CREATE INDEX dossiers_state_due ON dossiers(state, due_at);

CREATE TABLE dossier_events (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor_id INTEGER REFERENCES accounts(id),
    actor_role TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    at INTEGER NOT NULL,
    reason TEXT,
    data TEXT NOT NULL DEFAULT '{}',     -- JSON: components, dates, files
    UNIQUE (dossier_id, seq)
) STRICT;

-- Clock-ownership ledger: who held each step, its deadline, and the
-- outcome frozen at hand-over (Phiếu kiểm soát, Mẫu 05).
CREATE TABLE dossier_steps (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    seq INTEGER NOT NULL,
    step_seq INTEGER NOT NULL,           -- procedure step number
    name TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    holder_id INTEGER REFERENCES accounts(id),
    arrived_at INTEGER NOT NULL,
    due_at INTEGER,
    left_at INTEGER,
    finished_by INTEGER REFERENCES accounts(id),
    outcome TEXT CHECK (outcome IN ('early','on_time','late')),
    UNIQUE (dossier_id, seq)
) STRICT;
CREATE INDEX dossier_steps_open ON dossier_steps(left_at, due_at);

CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE dossier_files (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    component_id INTEGER REFERENCES procedure_components(id),
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES accounts(id),
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX dossier_files_dossier ON dossier_files(dossier_id);
