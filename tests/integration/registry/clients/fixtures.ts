import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The folder of the other languages' client programs. */
export const clientsDir = dirname(fileURLToPath(import.meta.url));

/** The .proto files the client programs produce with (a message importing its own file and a well-known type). */
export const fixturesDir = join(clientsDir, "../../../fixtures/confluent");

/**
 * Compiles the fixtures with buf into `<dir>/fixtures.binpb` (a FileDescriptorSet with imports, well-known types
 * included), which the Python program loads its message classes from as generated _pb2 modules would.
 */
export async function buildFixtures(dir: string): Promise<string> {
  const out = join(dir, "fixtures.binpb");
  const buf = createRequire(import.meta.url).resolve("@bufbuild/buf/bin/buf");
  await promisify(execFile)(buf, ["build", fixturesDir, "-o", out, "--as-file-descriptor-set", "--exclude-source-info"]);
  return out;
}
