-- Who may send and who may query an event type (services/registry/README.md, "Send and query grants").
-- No row: every tenant may use the subjects it covers (the default). A row restricts one use (send or query) of one
-- subject, or of every subject whose name starts with a prefix, to its listed tenants; the subject's owner and the
-- holders of prefix grants covering it always keep both uses. An exact subject's row wins over prefix rows, and a
-- longer prefix over a shorter one.
CREATE TABLE IF NOT EXISTS registry_usage_restrictions (
  target     text NOT NULL CHECK (length(target) BETWEEN 1 AND 255),
  is_prefix  boolean NOT NULL,
  use        text NOT NULL CHECK (use IN ('send', 'query')),
  tenants    text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT '',
  PRIMARY KEY (target, is_prefix, use)
);
