import { jobManagerPart, sqlGatewayPart, taskManagerPart } from "./flink.js";
import { kafkaPart } from "./kafka.js";
import type { Part } from "./part.js";
import { postgresPart } from "./postgres.js";

/** Every engine in start order; `down` stops them in reverse. The services are in services.ts. */
export const allParts: Part[] = [postgresPart, kafkaPart, jobManagerPart, taskManagerPart, sqlGatewayPart];
