-- Each tenant's privacy settings, read by ingest (services/ingest/src/store/tenant-privacy-store.ts) and set with
-- `trackway privacy set`. `salt` is the tenant's secret HMAC-SHA256 key for pseudonymised values (contract fields
-- marked PII_HASH, header fields under HASH): created once on first use and never shown, so hashes stay stable
-- per tenant and cannot be recomputed without the database. Header actions: KEEP, HASH, TRUNCATE, DROP.
CREATE TABLE tenant_privacy (
  tenant        text PRIMARY KEY,
  salt          bytea NOT NULL CHECK (octet_length(salt) >= 16),
  user_id       text NOT NULL DEFAULT 'KEEP' CHECK (user_id IN ('KEEP', 'HASH', 'TRUNCATE', 'DROP')),
  anonymous_id  text NOT NULL DEFAULT 'KEEP' CHECK (anonymous_id IN ('KEEP', 'HASH', 'TRUNCATE', 'DROP')),
  ip            text NOT NULL DEFAULT 'KEEP' CHECK (ip IN ('KEEP', 'HASH', 'TRUNCATE', 'DROP')),
  user_agent    text NOT NULL DEFAULT 'KEEP' CHECK (user_agent IN ('KEEP', 'HASH', 'TRUNCATE', 'DROP')),
  page_url      text NOT NULL DEFAULT 'KEEP' CHECK (page_url IN ('KEEP', 'HASH', 'TRUNCATE', 'DROP')),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
