import { ComputeServiceService } from "@trackway/proto/compute/v1";
import { file_trackway_compute_v1_compute } from "@trackway/proto/es/compute/v1";
import { startService, type Logger, type RunningService } from "@trackway/runtime";
import type { ComputeGatewayConfig } from "./config.js";

/** Starts the compute-gateway service: gRPC with health and reflection, and /metrics. */
export async function startComputeGateway(config: ComputeGatewayConfig, logger: Logger): Promise<RunningService> {
  return startService({
    name: "compute-gateway",
    host: config.TRACKWAY_COMPUTE_HOST,
    port: config.TRACKWAY_COMPUTE_PORT,
    metricsPort: config.TRACKWAY_COMPUTE_METRICS_PORT,
    // Methods not implemented yet answer UNIMPLEMENTED (grpc-js does so for missing handlers).
    services: [{ definition: ComputeServiceService, implementation: {} }],
    descriptors: [file_trackway_compute_v1_compute],
    logger,
  });
}
