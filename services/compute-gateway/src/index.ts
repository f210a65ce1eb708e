export { startComputeGateway } from "./server.js";
