import { IngestServiceService } from "@trackway/proto/ingest/v1";
import { file_trackway_ingest_v1_ingest } from "@trackway/proto/es/ingest/v1";
import { startService, type Logger, type RunningService } from "@trackway/runtime";
import type { IngestConfig } from "./config.js";

/** Starts the ingest service: gRPC with health and reflection, and /metrics. */
export async function startIngest(config: IngestConfig, logger: Logger): Promise<RunningService> {
  return startService({
    name: "ingest",
    host: config.TRACKWAY_INGEST_HOST,
    port: config.TRACKWAY_INGEST_PORT,
    metricsPort: config.TRACKWAY_INGEST_METRICS_PORT,
    // Methods not implemented yet answer UNIMPLEMENTED (grpc-js does so for missing handlers).
    services: [{ definition: IngestServiceService, implementation: {} }],
    descriptors: [file_trackway_ingest_v1_ingest],
    logger,
  });
}
