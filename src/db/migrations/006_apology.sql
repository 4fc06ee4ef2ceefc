-- 006_apology: apologies drafted by the sweeper for dossiers forecast to
-- be late (Phiếu xin lỗi và hẹn lại ngày trả kết quả, NĐ 61 Điều 19.9).
-- A unit leader approves one (which performs the dossier's single
-- reschedule) or dismisses it.

CREATE TABLE apologies (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    due_at INTEGER NOT NULL,             -- the due date forecast to be missed
    shortfall INTEGER NOT NULL,          -- forecast working seconds missing
    proposed_date TEXT NOT NULL,         -- YYYY-MM-DD, a working day
    forecast TEXT NOT NULL DEFAULT '{}', -- JSON: how it was forecast
    reason TEXT,                         -- NULL: to be filled in
    new_date TEXT,                       -- the approved date
    state TEXT NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'approved', 'dismissed')),
    created_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES accounts(id),
    decided_at INTEGER,
    decision_reason TEXT,
    UNIQUE (dossier_id, due_at)
) STRICT;
CREATE INDEX apologies_unit ON apologies(unit_path, created_at);
CREATE INDEX apologies_state ON apologies(state, id);
-- the forecast's samples: the latest finished steps of a step number
CREATE INDEX dossier_steps_finished ON dossier_steps(step_seq, left_at);
