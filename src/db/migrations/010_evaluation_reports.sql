-- 010_evaluation_reports: what the Decision 766 index, the TT 01/2018
-- scoring and the rankings need beyond 009: two more rollup counters,
-- criterion 2 of TT 01/2018 frozen in each dossier's facts, and the
-- indicators an administrator enters per unit and period (data kept
-- outside motcua: publication, portal sync, payments, data reuse ...).

-- Online dossiers finished on time (TT 01 criterion 9: no overdue online
-- dossier) and dossiers finished with attachments AND an e-result (766
-- indicator 4.2).
ALTER TABLE eval_rollup ADD COLUMN finished_online_on_time INTEGER NOT NULL DEFAULT 0;
ALTER TABLE eval_rollup ADD COLUMN digitised_e_result INTEGER NOT NULL DEFAULT 0;

-- TT 01 criterion 2 (each participating unit's time) frozen at finish
-- from the step ledger: 0 when a step was late, 2 when every step was
-- early, else 1; -1 when no step of the ledger was closed.
ALTER TABLE dossier_facts ADD COLUMN c2 INTEGER NOT NULL DEFAULT -1;

UPDATE dossier_facts SET c2 = (
    SELECT CASE WHEN COUNT(s.outcome) = 0 THEN -1
        WHEN SUM(CASE WHEN s.outcome = 'late' THEN 1 ELSE 0 END) > 0 THEN 0
        WHEN SUM(CASE WHEN s.outcome = 'early' THEN 1 ELSE 0 END)
             = COUNT(s.outcome) THEN 2
        ELSE 1 END
    FROM dossier_steps s
    WHERE s.dossier_id = dossier_facts.dossier_id
      AND s.left_at <= dossier_facts.finished_at);

UPDATE eval_rollup SET
    finished_online_on_time = (SELECT COUNT(*) FROM dossier_facts f
        WHERE f.unit_id = eval_rollup.unit_id
          AND f.procedure_code = eval_rollup.procedure_code
          AND f.finish_day = eval_rollup.day
          AND f.channel = 2 AND f.on_time = 1),
    digitised_e_result = (SELECT COUNT(*) FROM dossier_facts f
        WHERE f.unit_id = eval_rollup.unit_id
          AND f.procedure_code = eval_rollup.procedure_code
          AND f.finish_day = eval_rollup.day
          AND f.files > 0 AND f.e_result = 1);

-- External indicators entered by an administrator, one row per unit,
-- period (canonical label of util/period.h) and indicator; a new entry
-- replaces the previous one (the audit chain keeps the history).
CREATE TABLE eval_manual (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    period TEXT NOT NULL,
    day_from INTEGER NOT NULL,
    day_to INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    num INTEGER NOT NULL,
    den INTEGER NOT NULL,
    note TEXT,
    entered_by INTEGER NOT NULL REFERENCES accounts(id),
    at INTEGER NOT NULL,
    UNIQUE (unit_id, period, indicator),
    CHECK (num >= 0 AND num <= den)
) STRICT;
CREATE INDEX eval_manual_path ON eval_manual(unit_path, period);

-- PAKN about a dossier (766 indicator 5.4 drill-down), and PAKN of a
-- unit by receipt (766 group 5, TT 01 criterion 8).
CREATE INDEX feedback_dossier ON feedback(dossier_id);
CREATE INDEX feedback_unit_received ON feedback(unit_path, first_received_at);
