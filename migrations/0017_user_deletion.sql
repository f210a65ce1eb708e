-- Deletion requests (GDPR/CCPA) and the suppression list they feed; see services/ingest/src/store/deletion-requests.ts.
-- A request adds its user to `user_suppressions` in the same transaction (ingest then rejects the user's new events
-- with USER_SUPPRESSED) and moves pending → running → done (or failed) as the deletion job works; every move is
-- kept in `deletion_request_log` (the audit trail).
CREATE TABLE user_suppressions (
  tenant      text NOT NULL,
  user_id     text NOT NULL,
  request_id  bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, user_id)
);

CREATE TABLE deletion_requests (
  id            bigserial PRIMARY KEY,
  tenant        text NOT NULL,
  user_id       text NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  requested_by  text NOT NULL,
  -- Rows deleted per table, e.g. {"ods_events": 12, "ods_rejected": 1}, and the days whose DWS buckets were recomputed.
  counts        jsonb NOT NULL DEFAULT '{}'::jsonb,
  days          text[] NOT NULL DEFAULT '{}',
  -- How far a running request got (a step name), so a restarted worker resumes there.
  step          text NOT NULL DEFAULT '',
  error         text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- One open request per user: asking again while one is pending or running returns it (idempotent).
CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests (tenant, user_id) WHERE status IN ('pending', 'running');

CREATE TABLE deletion_request_log (
  request_id  bigint NOT NULL REFERENCES deletion_requests (id),
  at          timestamptz NOT NULL DEFAULT now(),
  status      text NOT NULL,
  actor       text NOT NULL,
  note        text NOT NULL DEFAULT ''
);
CREATE INDEX deletion_request_log_request ON deletion_request_log (request_id, at);
