-- Tenants' data keys (AES-256-GCM), read by ingest (services/ingest/src/store/tenant-data-keys.ts): they seal the
-- personal data a rejected event keeps for replay (packages/envelope/src/record/sealed.ts). One live key per tenant,
-- made on first use. A user's deletion request deletes it in the request's transaction: whatever it sealed can no
-- longer be opened anywhere (Kafka's rejected topic, ods_rejected, copies) — crypto-shredding.
CREATE TABLE tenant_data_keys (
  tenant      text PRIMARY KEY,
  key_id      uuid NOT NULL UNIQUE,
  key         bytea NOT NULL CHECK (octet_length(key) = 32),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- A deletion request may also name anonymous ids and device ids (sorted, deduplicated); rows matching any id are
-- deleted and every id is suppressed. `user_id` may then be ''.
ALTER TABLE deletion_requests
  ADD COLUMN anonymous_ids text[] NOT NULL DEFAULT '{}',
  ADD COLUMN device_ids text[] NOT NULL DEFAULT '{}';

-- A failed request (its cause in `error`) is retried by the worker, so it stays the open request of its ids.
DROP INDEX deletion_requests_open;
CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests (tenant, user_id, anonymous_ids, device_ids)
  WHERE status IN ('pending', 'running', 'failed');

-- Suppression by kind of id: user_id (as before), anonymous_id, device_id.
ALTER TABLE user_suppressions ADD COLUMN kind text NOT NULL DEFAULT 'user_id' CHECK (kind IN ('user_id', 'anonymous_id', 'device_id'));
ALTER TABLE user_suppressions DROP CONSTRAINT user_suppressions_pkey;
ALTER TABLE user_suppressions ADD PRIMARY KEY (tenant, kind, user_id);
