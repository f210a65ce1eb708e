export { startIngest } from "./server.js";
