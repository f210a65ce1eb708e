-- Ownership of subjects (see services/registry/README.md, "Owners, grants and scopes"). A subject's owning tenant
-- is whoever created it (or first changed it, for subjects older than this file); a prefix grant gives a tenant
-- every subject whose name starts with the prefix and reserves those names for it.
-- Kept apart from registry_subjects so that a name stays owned even after a permanent delete, and so that a claim
-- can be taken atomically before the subject row exists.
CREATE TABLE IF NOT EXISTS registry_subject_owners (
  subject    text PRIMARY KEY,
  tenant     text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS registry_grants (
  prefix     text NOT NULL CHECK (length(prefix) BETWEEN 1 AND 255),
  tenant     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT '',
  PRIMARY KEY (prefix, tenant)
);
