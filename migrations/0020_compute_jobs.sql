-- Compute gateway: warehouse jobs (a definition under jobs/ plus parameters), their Flink runs and savepoints,
-- so that a restarted gateway still knows every job and what Flink is running for it.
CREATE TABLE IF NOT EXISTS compute_jobs (
  id             TEXT PRIMARY KEY,                 -- e.g. job_3f9a1c2b4d5e
  definition     TEXT NOT NULL,                    -- job file name under jobs/, e.g. ods_events
  parameters     JSONB NOT NULL DEFAULT '{}',      -- every parameter value the runs use (defaults resolved at creation)
  state          TEXT NOT NULL,                    -- CREATED, a Flink state (RUNNING, FINISHED, FAILED, CANCELED…), STOPPED, LOST
  mode           TEXT,                             -- STREAMING | BATCH of the current or last run
  flink_job_id   TEXT,                             -- Flink's id of the current or last run
  started_at     TIMESTAMPTZ,                      -- start of the current or last run
  savepoint_path TEXT,                             -- latest savepoint
  failure        TEXT,                             -- Flink's root cause when the last run failed
  created_by     TEXT NOT NULL DEFAULT '',
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every run Flink was asked for, newest last; a job's history.
CREATE TABLE IF NOT EXISTS compute_job_runs (
  id             BIGSERIAL PRIMARY KEY,
  job_id         TEXT NOT NULL REFERENCES compute_jobs (id) ON DELETE CASCADE,
  flink_job_id   TEXT NOT NULL UNIQUE,
  mode           TEXT NOT NULL,
  restored_from  TEXT,                             -- savepoint the run started from
  started_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at       TIMESTAMPTZ,
  end_state      TEXT,                             -- FINISHED, CANCELED, FAILED, STOPPED (with savepoint), LOST
  failure        TEXT
);
CREATE INDEX IF NOT EXISTS compute_job_runs_job_idx ON compute_job_runs (job_id, id);

-- Savepoints taken by stop (and switch), newest last.
CREATE TABLE IF NOT EXISTS compute_savepoints (
  id             BIGSERIAL PRIMARY KEY,
  job_id         TEXT NOT NULL REFERENCES compute_jobs (id) ON DELETE CASCADE,
  flink_job_id   TEXT NOT NULL,
  path           TEXT NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS compute_savepoints_job_idx ON compute_savepoints (job_id, id);
