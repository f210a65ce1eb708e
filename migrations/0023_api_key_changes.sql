-- Pushes every change of an API key (issued, revoked, scopes or limits changed, deleted) to the services that cache
-- keys: they LISTEN on trackway_api_keys_changed and forget that key (payload: its hash), so a revocation bites
-- at once instead of when a cache entry expires. The caches' TTL stays as the fallback for a lost connection.
CREATE OR REPLACE FUNCTION trackway_api_keys_notify() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('trackway_api_keys_changed', OLD.key_hash);
  ELSE
    PERFORM pg_notify('trackway_api_keys_changed', NEW.key_hash);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS api_keys_changed ON api_keys;
CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION trackway_api_keys_notify();
