export { createKeyClient, createRegistryClient, type KeyClient, type RegistryClient, type RegistryClientOptions } from "./client.js";
export { createSchemaCache, type SchemaCache, type SchemaCacheOptions, type CachedSchema } from "./schema-cache.js";
export { loadSchema, type LoadedSchema } from "./load-schema.js";
export { loadSchemaProject, orderByImports, importsOf, isWellKnown, PROJECT_FILE, type ProjectSchema, type LoadedProjectSchema } from "./schema-project.js";
export { mergeDescriptorSets } from "./image.js";
export { lineDiff } from "./line-diff.js";
export { usageAllowed, usageSnapshotOf, ruleFor, type UsageKind, type UsageRule, type UsageSnapshot } from "./usage.js";
export { createUsageCache, type UsageCache, type UsageCacheOptions } from "./usage-cache.js";
