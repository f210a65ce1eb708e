import type { Command } from "commander";
import { EventUse, type UsageRestriction } from "@trackway/proto/registry/v1";
import { note } from "../output.js";
import type { OnRegistry } from "./ownership.js";

interface TargetOpts {
  subject?: string;
  prefix?: string;
  use: string;
}

const USES: Record<string, EventUse> = { send: EventUse.EVENT_USE_SEND, query: EventUse.EVENT_USE_QUERY };

/** The restriction's target and use from the flags, or a one-line error. */
function targetOf(opts: TargetOpts): Omit<UsageRestriction, "tenants"> {
  if (!opts.subject === !opts.prefix) throw new Error("give exactly one of --subject and --prefix");
  const use = USES[opts.use.toLowerCase()];
  if (use === undefined) throw new Error(`--use must be send or query, not "${opts.use}"`);
  return { subject: opts.subject ?? "", prefix: opts.prefix ?? "", use };
}

const describe = (r: Omit<UsageRestriction, "tenants">) => `${r.subject || `${r.prefix}*`} (${r.use === EventUse.EVENT_USE_QUERY ? "query" : "send"})`;

/**
 * Adds `trackway schema restrict|unrestrict|restrictions`: which tenants may send and query an event type. They call
 * the registry's usage RPCs with the group's --api-key (the subject's owner, a holder of a covering grant, or
 * schemas:admin; for a prefix, a holder of a grant on it). Without a restriction every tenant may use every subject.
 */
export function registerUsage(schema: Command, onRegistry: OnRegistry): void {
  const target = (c: Command) =>
    c
      .option("--subject <subject>", "one subject (event type)")
      .option("--prefix <prefix>", "every subject whose name starts with this prefix, e.g. shop.")
      .requiredOption("--use <use>", "send (ingest) or query (compute gateway)");

  target(schema.command("restrict"))
    .description("Restrict sending or querying an event type (or a prefix) to listed tenants; its owner and grant holders always keep both.")
    .requiredOption("--tenants <list>", "comma-separated tenants allowed besides the owner (empty string: nobody else)")
    .action(async (opts: TargetOpts & { tenants: string }, cmd: Command) => {
      const restriction = { ...targetOf(opts), tenants: opts.tenants.split(",").map((t) => t.trim()).filter(Boolean) };
      const { replaced } = await onRegistry(cmd, (c) => c.setUsageRestriction({ restriction }));
      note(`${describe(restriction)} is now restricted to ${restriction.tenants.join(", ") || "its owner"}${replaced ? " (replaced the earlier list)" : ""}`);
    });

  target(schema.command("unrestrict"))
    .description("Remove a send or query restriction: the use is open to every tenant again (unless a prefix restriction covers it).")
    .action(async (opts: TargetOpts, cmd: Command) => {
      const restriction = { ...targetOf(opts), tenants: [] };
      const { removed } = await onRegistry(cmd, (c) => c.clearUsageRestriction({ restriction }));
      if (!removed) throw new Error(`${describe(restriction)} has no restriction`);
      note(`${describe(restriction)} is open to every tenant`);
    });

  schema
    .command("restrictions")
    .description("List send and query restrictions: target, use, tenants (a tenant's key sees those on what its tenant owns or holds a grant on).")
    .action(async (_opts: unknown, cmd: Command) => {
      const { restrictions, tenant } = await onRegistry(cmd, (c) => c.listUsageRestrictions({}));
      if (tenant) note(`restrictions on what tenant ${tenant} owns or holds a grant on (schemas:admin sees every one)`);
      for (const r of restrictions) {
        process.stdout.write(`${r.subject || `${r.prefix}*`}\t${r.use === EventUse.EVENT_USE_QUERY ? "query" : "send"}\t${r.tenants.join(",")}\n`);
      }
    });
}
