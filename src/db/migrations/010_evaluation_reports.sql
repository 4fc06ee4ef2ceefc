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

-- The same counters per calendar month (month = year * 12 + month - 1 of
-- the civil day), kept in the same transaction as eval_rollup: a report
-- over whole months reads one row per unit x procedure x month instead of
-- one per day (a province's month: thousands of rows, not 100,000s).
CREATE TABLE eval_rollup_month (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    procedure_code TEXT NOT NULL,
    month INTEGER NOT NULL,
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
    finished_online_on_time INTEGER NOT NULL DEFAULT 0,
    digitised_e_result INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, procedure_code, month)
) STRICT;
CREATE INDEX eval_rollup_month_path ON eval_rollup_month(unit_path, month);

-- eval_rollup summed by month (days -> civil months with integer
-- arithmetic only: H. Hinnant's civil_from_days), for the backfill and
-- for mc_evaluation_rollup_check.
CREATE VIEW eval_rollup_by_month AS
SELECT unit_id, procedure_code,
    (y + CASE WHEN m <= 2 THEN 1 ELSE 0 END) * 12 + m - 1 AS month,
    unit_path,
    SUM(received) AS received,
    SUM(received_online) AS received_online,
    SUM(finished) AS finished,
    SUM(finished_on_time) AS finished_on_time,
    SUM(finished_early) AS finished_early,
    SUM(finished_online) AS finished_online,
    SUM(finished_digitised) AS finished_digitised,
    SUM(with_e_result) AS with_e_result,
    SUM(supplement_rounds) AS supplement_rounds,
    SUM(processing_seconds) AS processing_seconds,
    SUM(returned) AS returned,
    SUM(withdrawn) AS withdrawn,
    SUM(eval_very_satisfied) AS eval_very_satisfied,
    SUM(eval_satisfied) AS eval_satisfied,
    SUM(eval_dissatisfied) AS eval_dissatisfied,
    SUM(finished_online_on_time) AS finished_online_on_time,
    SUM(digitised_e_result) AS digitised_e_result
FROM (SELECT g.*, CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END AS m
  FROM (SELECT f.*, (5 * doy + 2) / 153 AS mp
    FROM (SELECT e.*, doe - (365 * yoe + yoe / 4 - yoe / 100) AS doy,
                 yoe + era * 400 AS y
      FROM (SELECT d.*, (doe - doe / 1460 + doe / 36524 - doe / 146096)
                        / 365 AS yoe
        FROM (SELECT c.*, z - era * 146097 AS doe
          FROM (SELECT b.*, z / 146097 AS era
            FROM (SELECT r.*, r.day + 719468 AS z FROM eval_rollup r) b) c)
          d) e) f) g) h
GROUP BY unit_id, procedure_code,
    (y + CASE WHEN m <= 2 THEN 1 ELSE 0 END) * 12 + m - 1, unit_path;

INSERT INTO eval_rollup_month (unit_id, procedure_code, month, unit_path,
    received, received_online, finished, finished_on_time, finished_early, finished_online, finished_digitised, with_e_result, supplement_rounds, processing_seconds, returned, withdrawn, eval_very_satisfied, eval_satisfied, eval_dissatisfied, finished_online_on_time, digitised_e_result)
SELECT unit_id, procedure_code, month, unit_path, received, received_online, finished, finished_on_time, finished_early, finished_online, finished_digitised, with_e_result, supplement_rounds, processing_seconds, returned, withdrawn, eval_very_satisfied, eval_satisfied, eval_dissatisfied, finished_online_on_time, digitised_e_result
FROM eval_rollup_by_month;

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
