-- Events counted per minute by tenant × event name × schema version × API key × outcome (accepted, warned,
-- rejected), written by ingest after Kafka acknowledged each batch. See services/ingest/src/store/outcome-counts.ts.
CREATE TABLE ingest_outcome_counts (
  minute         timestamptz NOT NULL,
  tenant         text NOT NULL,
  event_name     text NOT NULL,
  schema_version integer NOT NULL,
  key_id         text NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('accepted', 'warned', 'rejected')),
  events         bigint NOT NULL CHECK (events >= 0),
  PRIMARY KEY (tenant, minute, event_name, schema_version, key_id, outcome)
);
