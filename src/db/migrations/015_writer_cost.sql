-- 015_writer_cost: less work per dossier transition for the writer.
--
-- 1. dossier_steps is rebuilt with its outcome CHECK written as equalities.
--    SQLite evaluates "outcome IN ('early','on_time','late')" (three or
--    more values) by filling an ephemeral index with the list on every
--    INSERT and on every UPDATE that sets outcome, i.e. on each ledger
--    step opened and closed. The OR of equalities accepts and refuses
--    exactly the same values (NULL passes both: a step still open).
-- 2. eval_rollup_day (013) is dropped: since 014 the dashboard's trend
--    reads eval_rollup_month (eval_rollup_month_trend), and every query
--    of eval_rollup names a unit_path range (eval_rollup_path) or scans
--    it whole (the rollup check). It was a covering copy of six counters
--    rewritten by every rollup upsert.
CREATE TABLE dossier_steps_v15 (
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
    outcome TEXT CHECK (outcome = 'early' OR outcome = 'on_time'
                        OR outcome = 'late'),
    UNIQUE (dossier_id, seq)
) STRICT;
INSERT INTO dossier_steps_v15 (id, dossier_id, seq, step_seq, name,
    unit_id, holder_id, arrived_at, due_at, left_at, finished_by, outcome)
    SELECT id, dossier_id, seq, step_seq, name, unit_id, holder_id,
           arrived_at, due_at, left_at, finished_by, outcome
    FROM dossier_steps;
DROP TABLE dossier_steps;
ALTER TABLE dossier_steps_v15 RENAME TO dossier_steps;
-- Both read-side indexes now hold closed steps only: every query that uses
-- them names a left_at range (the dashboard's worst steps) or "left_at IS
-- NOT NULL" (the apology forecast's samples), which imply the WHERE of the
-- index; open steps are read by dossier (the UNIQUE index). Opening a
-- step no longer adds two entries that its close deletes again.
CREATE INDEX dossier_steps_open ON dossier_steps(left_at, due_at)
    WHERE left_at IS NOT NULL;
CREATE INDEX dossier_steps_finished ON dossier_steps(step_seq, left_at)
    WHERE left_at IS NOT NULL;

DROP INDEX eval_rollup_day;
