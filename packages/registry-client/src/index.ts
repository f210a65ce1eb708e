export { createRegistryClient, type RegistryClient, type RegistryClientOptions } from "./client.js";
export { createSchemaCache, type SchemaCache, type SchemaCacheOptions, type CachedSchema } from "./schema-cache.js";
export { loadSchema, type LoadedSchema } from "./load-schema.js";
