import { RegistryServiceService } from "@trackway/proto/registry/v1";
import { file_trackway_registry_v1_registry } from "@trackway/proto/es/registry/v1";
import { startService, type Logger, type RunningService } from "@trackway/runtime";
import type { RegistryConfig } from "./config.js";

/** Starts the registry service: gRPC with health and reflection, and /metrics. */
export async function startRegistry(config: RegistryConfig, logger: Logger): Promise<RunningService> {
  return startService({
    name: "registry",
    host: config.TRACKWAY_REGISTRY_HOST,
    port: config.TRACKWAY_REGISTRY_PORT,
    metricsPort: config.TRACKWAY_REGISTRY_METRICS_PORT,
    // Methods not implemented yet answer UNIMPLEMENTED (grpc-js does so for missing handlers).
    services: [{ definition: RegistryServiceService, implementation: {} }],
    descriptors: [file_trackway_registry_v1_registry],
    logger,
  });
}
