-- 012_feedback_files: attachments of a feedback (phản ánh, kiến nghị):
-- those sent with it at intake (web, desk, API) and those of its answer.
-- The bytes are the content-addressed files of 004_dossier (files).

CREATE TABLE feedback_files (
    id INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL REFERENCES feedback(id),
    kind TEXT NOT NULL CHECK (kind IN ('intake', 'answer')),
    sha256 TEXT NOT NULL REFERENCES files(sha256),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    uploaded_by INTEGER REFERENCES accounts(id),
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_files_feedback ON feedback_files(feedback_id, id);

-- An anonymous web sender gets, once, a key to attach files to the
-- feedback it just sent (only its SHA-256 is kept), valid for an hour.
CREATE TABLE feedback_upload_keys (
    feedback_id INTEGER PRIMARY KEY REFERENCES feedback(id),
    key_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
