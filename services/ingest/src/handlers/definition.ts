import type { ServiceDefinition } from "@grpc/grpc-js";
import { IngestServiceService } from "@trackway/proto/ingest/v1";
import { readRawBatchRequest } from "../core/raw-batch.js";

/**
 * The generated IngestService definition with one change: requests are read by `readRawBatchRequest`, which
 * keeps every event as its original bytes (for per-event limits and the rejected topic) and never throws.
 */
export const RawIngestService = {
  ingest: { ...IngestServiceService.ingest, requestDeserialize: (b: Buffer) => readRawBatchRequest(b) },
  sendBatch: { ...IngestServiceService.sendBatch, requestDeserialize: (b: Buffer) => readRawBatchRequest(b) },
  getEventStats: IngestServiceService.getEventStats,
  tail: IngestServiceService.tail,
  deleteUser: IngestServiceService.deleteUser,
  listDeletionRequests: IngestServiceService.listDeletionRequests,
} as const satisfies ServiceDefinition;
