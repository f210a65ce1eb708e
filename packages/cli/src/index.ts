export { step, note, interactive } from "./output.js";
export { shopStream, prng, type PlannedEvent, type ShopStreamOptions } from "./demo/shop-stream.js";
export { expectedAnswers, FUNNEL_STEPS, type DemoAnswers } from "./demo/expected.js";
export { sendStream, type SendOutcome } from "./demo/send-stream.js";
