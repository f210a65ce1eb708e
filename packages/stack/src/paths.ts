import path from "node:path";
import { repoRoot } from "./config.js";

/** The layout of the state dir: one place for jars, config, logs, pid files and every engine's data. */
export interface StackPaths {
  root: string;
  lib: string;
  libStamp: string;
  conf: string;
  logs: string;
  run: string;
  lock: string;
  kafkaData: string;
  flinkTmp: string;
  checkpoints: string;
  savepoints: string;
  hudi: string;
  postgresData: string;
  /** The pom tree Maven resolves from (in the repo, not the state dir). */
  pomDir: string;
}

/** Paths under a state dir. */
export function stackPaths(stateDir: string): StackPaths {
  const p = (...s: string[]) => path.join(stateDir, ...s);
  return {
    root: stateDir,
    lib: p("lib"),
    libStamp: p("lib", ".stamp"),
    conf: p("conf"),
    logs: p("logs"),
    run: p("run"),
    lock: p("run", "stack.lock"),
    kafkaData: p("kafka", "data"),
    flinkTmp: p("flink", "tmp"),
    checkpoints: p("flink", "checkpoints"),
    savepoints: p("flink", "savepoints"),
    hudi: p("hudi"),
    postgresData: p("postgres", "data"),
    pomDir: path.join(repoRoot, "stack"),
  };
}
