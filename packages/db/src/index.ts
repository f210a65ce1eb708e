export { createPool, type Pool, type PoolClient, type PoolOptions } from "./pool.js";
export { migrate, MIGRATIONS_TABLE, MIGRATION_LOCK_KEY, type MigrateOptions } from "./migrate.js";
export { withTransaction } from "./transaction.js";
export { defaultMigrationsDir } from "./paths.js";
export { listenTo, type Listener, type ListenOptions } from "./listen.js";
