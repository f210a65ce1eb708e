-- @description The rows of ods_events every DWS job reads, as a view: one column list and one filter for all of them.
-- @param from_date 0000-01-01 -- first event date (UTC) to compute, inclusive
-- @param to_date 9999-12-31 -- last event date (UTC) to compute, inclusive
-- Why one view: when the DWS jobs run together (jobs/dws.sql, one statement set), Flink 1.17 reads a table once
-- only if every INSERT pushes the same projection and filter into its scan; a query reading fewer columns gets a
-- scan of its own (and Hudi's streaming source then fails the job: its operator uid is per table). Every column
-- below is therefore used by the filter, so each query reads all seven whatever it selects. The conditions hold
-- for every row ingest writes (it refuses an event with an empty id or name; ODS sets event_time from the receive
-- time when it is missing; received_at is Hudi's precombine field), so they drop nothing; in BATCH they are the
-- same filter, so STREAMING and BATCH still agree. user_key may be NULL (COUNT(DISTINCT) skips it) and is not filtered.
-- Dropped and created again, not IF NOT EXISTS: a session that runs a DWS job twice with other dates (a user
-- deletion recomputes the days it touched) must not keep the first run's range.
DROP TEMPORARY VIEW IF EXISTS dws_events;
CREATE TEMPORARY VIEW dws_events AS
SELECT tenant, event_name, event_id, user_key, event_time, received_at, event_date
FROM ods_events
WHERE event_date >= '${from_date}' AND event_date <= '${to_date}'
  AND event_id <> '' AND event_name IS NOT NULL AND event_time IS NOT NULL AND received_at IS NOT NULL;
