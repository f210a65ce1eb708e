export { sleep, waitFor } from "./sleep.js";
export { freePort } from "./ports.js";
export { serverUrl, freshDatabase } from "./database.js";
export { readTopic, sharedStack, deleteTopics, privateKafka, type ReadRecord, type PrivateKafka } from "./kafka.js";
export { startTestRegistry, proto, type RestAnswer, type TestRegistry } from "./registry.js";
export { ingestWorld, ingestWorldWithIngest, outcomeOf, type IngestWorld } from "./ingest-world.js";
export { AckLog, auditTopic, durableClientOptions, startSendLoop, type SendLoop } from "./acked.js";
export { rawRequestStatus } from "./raw-http.js";
export { stackIngest, stackComputeGateway } from "./services.js";
