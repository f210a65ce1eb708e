export { startConsole, type RunningConsole } from "./server.js";
export { ConsoleConfig } from "./config.js";
