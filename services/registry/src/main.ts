import { createLogger, onShutdownSignal, parseConfig } from "@trackway/runtime";
import { RegistryConfig } from "./config.js";
import { startRegistry } from "./server.js";

const config = parseConfig(RegistryConfig);
const logger = createLogger("registry", config.TRACKWAY_LOG_LEVEL);
const service = await startRegistry(config, logger);
onShutdownSignal(logger, () => service.stop());
