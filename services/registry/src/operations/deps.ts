import type pg from "pg";
import type { Logger } from "@trackway/runtime";
import type { CompiledSchema, ProtoSource } from "../compiler/index.js";
import type { Mode } from "../core/modes.js";
import type { ViolationInfo } from "../errors.js";
import type { RegistryReads } from "../store/reads.js";
import type { CompiledCache } from "./compiled-cache.js";

/** The compatibility check (core/compatibility's checkCompatibility), passed in so tests can see it work through the store. */
export type CheckFn = (
  mode: Mode,
  historyOldestFirst: { version: number; schema: CompiledSchema }[],
  candidate: CompiledSchema,
) => { compatible: boolean; violations: ViolationInfo[] };

/** Compiles a .proto source with its imports (compiler/compileProto). */
export type CompileFn = (main: ProtoSource, imports: ProtoSource[], messageName?: string) => Promise<CompiledSchema>;

/** Everything the registry's operations need; built once in server.ts. */
export interface RegistryDeps {
  pool: pg.Pool;
  /** Reads on the pool (outside transactions). */
  reads: RegistryReads;
  compile: CompileFn;
  check: CheckFn;
  /** Loaded descriptor sets of registered versions, by schema id and file name. */
  compiled: CompiledCache;
  logger: Logger;
}
