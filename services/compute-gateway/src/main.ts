import { createLogger, onShutdownSignal, parseConfig } from "@trackway/runtime";
import { ComputeGatewayConfig } from "./config.js";
import { startComputeGateway } from "./server.js";

const config = parseConfig(ComputeGatewayConfig);
const logger = createLogger("compute-gateway", config.TRACKWAY_LOG_LEVEL);
const service = await startComputeGateway(config, logger);
onShutdownSignal(logger, () => service.stop());
