-- Confluent's modes (GET/PUT /mode): READWRITE (default), READONLY, READONLY_OVERRIDE, IMPORT.
ALTER TABLE registry_config ADD COLUMN mode text NOT NULL DEFAULT 'READWRITE'
  CHECK (mode IN ('READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'));
-- NULL follows the global mode.
ALTER TABLE registry_subjects ADD COLUMN mode text
  CHECK (mode IN ('READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'));
