import type { Command } from "commander";
import { registerDb } from "./db.js";
import { registerSchema } from "./schema.js";

/** Adds every command group to the program; each group lives in its own file and adds itself here. */
export function registerCommands(program: Command): void {
  registerDb(program);
  registerSchema(program);
  void program;
}
