import type { Command } from "commander";
import { registerAudit } from "./audit.js";
import { registerDb } from "./db.js";
import { registerDemo } from "./demo.js";
import { registerEvents } from "./events.js";
import { registerJobs } from "./jobs.js";
import { registerKeys } from "./keys.js";
import { registerMicro } from "./micro.js";
import { registerPrivacy } from "./privacy.js";
import { registerUsers } from "./users.js";
import { registerQuery } from "./query.js";
import { registerSend } from "./send.js";
import { registerSchema } from "./schema.js";
import { registerStack } from "./stack.js";

/** Adds every command group to the program; each group lives in its own file and adds itself here. */
export function registerCommands(program: Command): void {
  registerStack(program);
  registerDemo(program);
  registerDb(program);
  registerKeys(program);
  registerPrivacy(program);
  registerUsers(program);
  registerSend(program);
  registerEvents(program);
  registerSchema(program);
  registerQuery(program);
  registerJobs(program);
  registerAudit(program);
  registerMicro(program);
  void program;
}
