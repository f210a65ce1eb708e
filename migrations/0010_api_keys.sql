-- API keys of ingest sources. The key itself is never stored: only its SHA-256 (keys are 256-bit random
-- strings, so a fast unsalted hash is safe and lets ingest look a key up by index).
CREATE TABLE IF NOT EXISTS api_keys (
  id             TEXT PRIMARY KEY,                 -- public id, e.g. key_3f9a1c2b
  tenant         TEXT NOT NULL,
  name           TEXT NOT NULL DEFAULT '',         -- what the key is for, for people
  key_hash       TEXT NOT NULL UNIQUE,             -- hex SHA-256 of the key
  key_hint       TEXT NOT NULL,                    -- first characters of the key, to recognise it
  allowed_events TEXT[],                           -- NULL: every event name is allowed
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_by     TEXT NOT NULL DEFAULT '',
  revoked_at     TIMESTAMPTZ
);

CREATE INDEX IF NOT EXISTS api_keys_tenant_idx ON api_keys (tenant);
