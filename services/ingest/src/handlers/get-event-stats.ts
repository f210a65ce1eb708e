import { status, type handleUnaryCall } from "@grpc/grpc-js";
import type { GetEventStatsRequest, GetEventStatsResponse } from "@trackway/proto/ingest/v1";
import { TrackwayError, unary, type Logger } from "@trackway/runtime";
import type pg from "pg";
import { readOutcomeCounts } from "../store/outcome-counts.js";
import type { BatchPipeline } from "./batch-pipeline.js";

// A window longer than this is refused: the answer is one row per minute and cell.
const MAX_WINDOW_MS = 31 * 86_400_000;

/** GetEventStats: the calling key's tenant's per-minute outcome counts from PostgreSQL. */
export function getEventStats(pipeline: BatchPipeline, pool: pg.Pool | undefined, logger: Logger): handleUnaryCall<GetEventStatsRequest, GetEventStatsResponse> {
  return unary<GetEventStatsRequest, GetEventStatsResponse>(async (req, call) => {
    const grant = await pipeline.authenticate(call.metadata);
    if (!pool) throw new TrackwayError(status.UNAVAILABLE, "STATS_UNAVAILABLE", "this ingest keeps no outcome counts (no database)");
    const to = req.to ?? new Date();
    const from = req.from ?? new Date(to.getTime() - 3_600_000);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_WINDOW_MS) {
      throw new TrackwayError(status.INVALID_ARGUMENT, "STATS_WINDOW_INVALID", "the window needs from < to, at most 31 days apart");
    }
    const rows = await readOutcomeCounts(pool, grant.tenant, from, to, req.eventName || undefined);
    return { rows: rows.map((r) => ({ minute: r.minute, eventName: r.eventName, schemaVersion: r.schemaVersion, keyId: r.keyId, outcome: r.outcome, events: r.events })) };
  }, logger);
}
