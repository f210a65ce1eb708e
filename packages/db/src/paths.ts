import { fileURLToPath } from "node:url";

/** The repository's `migrations/` folder, where every service's numbered SQL files live. */
export const defaultMigrationsDir = fileURLToPath(new URL("../../../migrations", import.meta.url));
