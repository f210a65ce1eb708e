import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger, onShutdownSignal, parseConfig } from "@trackway/runtime";
import { ConsoleConfig } from "./config.js";
import { startConsole } from "./server.js";

const config = parseConfig(ConsoleConfig);
const logger = createLogger("console", config.TRACKWAY_LOG_LEVEL);
const distDir = path.resolve(config.TRACKWAY_CONSOLE_DIST ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist"));
const running = await startConsole(config, distDir, logger);
onShutdownSignal(logger, () => running.stop());
