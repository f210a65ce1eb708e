import { createLogger, onShutdownSignal, parseConfig } from "@trackway/runtime";
import { IngestConfig } from "./config.js";
import { startIngest } from "./server.js";

const config = parseConfig(IngestConfig);
const logger = createLogger("ingest", config.TRACKWAY_LOG_LEVEL);
const service = await startIngest(config, logger);
onShutdownSignal(logger, () => service.stop());
