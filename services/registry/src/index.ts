export { startRegistry } from "./server.js";
