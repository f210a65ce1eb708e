export { step, note, interactive } from "./output.js";
