import type { StackConfig } from "./config.js";
import type { Probe } from "./health.js";
import type { StackPaths } from "./paths.js";
import type { PidRecord } from "./process.js";

/** What every part's start and probe get. */
export interface StackContext {
  config: StackConfig;
  paths: StackPaths;
  /** The `java` binary. */
  java: string;
}

/** One process of the stack (or an external server standing in for it). */
export interface Part {
  /** Pid-file and log name, e.g. `kafka`. */
  name: string;
  /** For people, e.g. `Kafka broker`. */
  label: string;
  /** Whether someone else runs it (only its probe applies). */
  external(ctx: StackContext): boolean;
  /** Ports it binds, with the env var that moves each. */
  ports(ctx: StackContext): { port: number; envVar: string }[];
  /** Logs to show when it dies. */
  logFiles(ctx: StackContext): string[];
  /** Writes its config and starts it detached. */
  start(ctx: StackContext): Promise<PidRecord>;
  /** Health check; `fresh` is true right after this `up` started it. */
  probe(ctx: StackContext, fresh: boolean): Probe;
  /** Runs once it is healthy after a fresh start (e.g. create the database). */
  afterHealthy?(ctx: StackContext): Promise<void>;
  /** The signal asking it to shut down cleanly. @default "SIGTERM" */
  stopSignal?: NodeJS.Signals;
}

/** The marker put on a process's command line so a pid file can't match some other process. */
export const markerOf = (ctx: StackContext, name: string) => `-Dtrackway.stack=${ctx.paths.root}#${name}`;
