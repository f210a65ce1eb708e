-- How ingest enforces a contract's protovalidate (buf.validate) rules: per subject (version 0) and per version.
-- No row: a version follows its subject, a subject the default (REJECT). See services/registry/src/core/enforcement.ts.
CREATE TABLE registry_enforcement (
  subject text NOT NULL REFERENCES registry_subjects (name) ON DELETE CASCADE,
  -- 0: the subject's own mode.
  version integer NOT NULL CHECK (version >= 0),
  mode    text NOT NULL CHECK (mode IN ('REJECT', 'WARN', 'OFF')),
  PRIMARY KEY (subject, version)
);
