-- 001_core: organisation units, accounts, sessions, idempotency, audit.
-- Portable DDL: SQLite 3.40 (STRICT) and PostgreSQL 15 (the PostgreSQL
-- backend maps INTEGER -> BIGINT, BLOB -> BYTEA, drops STRICT and turns
-- "INTEGER PRIMARY KEY" into an identity column).
-- Instants are INTEGER seconds since the Unix epoch (UTC).

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES units(id),
    code TEXT NOT NULL UNIQUE,          -- agency identifier (QĐ 20/2020), used in dossier codes
    gso_code TEXT,                      -- GSO administrative code for communes/districts
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('province','district','commune','department','desk','center','other')),
    path TEXT NOT NULL,                 -- materialised path '/1/5/27/' for subtree scoping
    depth INTEGER NOT NULL,
    valid_from INTEGER,
    valid_to INTEGER,
    search_key TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_path ON units(path);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('citizen','desk','specialist','leader','inspector','admin','partner')),
    unit_id INTEGER REFERENCES units(id),
    full_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    id_number TEXT,                     -- CCCD / tax code for citizens and businesses
    address TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX accounts_unit ON accounts(unit_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,    -- SHA-256 hex of the bearer token
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    user_agent TEXT
) STRICT;
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE idempotency (
    key TEXT NOT NULL,
    account_id INTEGER NOT NULL,        -- 0 for anonymous
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, key)
) STRICT;

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER,                   -- account, NULL for the system
    action TEXT NOT NULL,
    object TEXT NOT NULL,               -- e.g. 'dossier:42'
    payload TEXT NOT NULL,              -- canonical JSON of the change
    payload_hash TEXT NOT NULL,         -- SHA-256 hex of payload
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL                  -- SHA-256 hex over the record
) STRICT;

-- Daily dossier-code sequences per receiving unit.
CREATE TABLE code_seq (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    day INTEGER NOT NULL,               -- local day number
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day)
) STRICT;
