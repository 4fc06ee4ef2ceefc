-- 005_discipline: violations of the one-stop rules (NĐ 61 Điều 5, 19),
-- the sweeper's watch list, in-app notifications and their outbound
-- deliveries.

CREATE TABLE violations (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    occurrence INTEGER NOT NULL DEFAULT 0, -- tells repeats of a rule apart
    official_id INTEGER REFERENCES accounts(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '{}',   -- JSON
    at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'confirmed', 'dismissed')),
    decided_by INTEGER REFERENCES accounts(id),
    decided_at INTEGER,
    decision_reason TEXT,
    UNIQUE (dossier_id, rule, occurrence)
) STRICT;
CREATE INDEX violations_unit ON violations(unit_path, at);
CREATE INDEX violations_official ON violations(official_id, at);

-- One row per open, running dossier: when the sweeper must look at it
-- next (the start of its near-due window, then its due instant). The
-- sweeper reads only rows with next_check_at <= now, so its cost follows
-- the dossiers that change level, not all open dossiers.
CREATE TABLE dossier_watch (
    dossier_id INTEGER PRIMARY KEY REFERENCES dossiers(id),
    next_check_at INTEGER,               -- NULL: nothing left to check
    level INTEGER NOT NULL DEFAULT 0,    -- 0 on time, 1 near due, 2 overdue
    marked_at INTEGER
) STRICT;
CREATE INDEX dossier_watch_next ON dossier_watch(next_check_at);
INSERT INTO dossier_watch (dossier_id, next_check_at)
    SELECT id, due_at - 86400 FROM dossiers
    WHERE due_at IS NOT NULL AND paused_at IS NULL
      AND state IN ('received', 'processing', 'financial', 'consulting',
                    'pending_approval');

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES accounts(id), -- NULL: outbound only
    dossier_id INTEGER REFERENCES dossiers(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    address TEXT,                        -- outbound e-mail / phone
    dedup_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    read_at INTEGER
) STRICT;
CREATE INDEX notifications_account ON notifications(account_id, id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notifications(id),
    channel TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    sent_at INTEGER,
    UNIQUE (notification_id, channel)
) STRICT;
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
