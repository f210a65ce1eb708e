-- Per-key ingest rate limits (events/s, bytes/s). NULL follows ingest's defaults
-- (TRACKWAY_INGEST_KEY_EVENTS_PER_SECOND, TRACKWAY_INGEST_KEY_BYTES_PER_SECOND); 0 means unlimited.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS events_per_second INTEGER CHECK (events_per_second >= 0);
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS bytes_per_second BIGINT CHECK (bytes_per_second >= 0);
