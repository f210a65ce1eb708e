export { startRegistry, type RunningRegistry } from "./server.js";
export { RegistryConfig } from "./config.js";
export { registerEnvelope, ENVELOPE_FILE } from "./envelope.js";
export { warmUp } from "./operations/warm-up.js";
export { createRegistryClient, createSchemaCache, type RegistryClient, type SchemaCache, type CachedSchema } from "@trackway/registry-client";
export { OwnershipStore } from "./store/ownership.js";
