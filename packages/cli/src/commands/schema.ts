import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { CompatibilityMode, type SchemaReference, type SchemaVersion } from "@trackway/proto/registry/v1";
import {
  createRegistryClient,
  isWellKnown,
  lineDiff,
  loadSchemaProject,
  mergeDescriptorSets,
  orderByImports,
  PROJECT_FILE,
  type LoadedProjectSchema,
  type RegistryClient,
} from "@trackway/registry-client";
import { note, step, withClient } from "../output.js";
import { cliEnv } from "../env.js";
import { againstData, enforcementToTry, type AgainstDataOpts } from "./against-data.js";
import { registerOwnership } from "./ownership.js";
import { registerUsage } from "./usage.js";
import { seconds } from "./query.js";
import { channelCredentials, tlsOptions, type TlsFlags } from "./tls.js";

interface Common extends TlsFlags {
  registry: string;
  apiKey?: string;
}
interface ProjectOpts extends Common {
  dir: string;
  subject?: string;
  file?: string;
  message?: string;
  author: string;
}

const MAPPING_HELP = `
Which files are which subjects: a ${PROJECT_FILE} in the proto directory (--dir), for example
  {"schemas": [
    {"subject": "shop.money", "file": "shop/v1/money.proto"},
    {"subject": "checkout.order_completed", "file": "shop/v1/order.proto", "message": "shop.v1.OrderCompleted",
     "owners": ["team-checkout"], "description": "An order was paid", "compatibility": "FULL_TRANSITIVE"}]}
or one schema with --subject and --file. "file" is relative to --dir and is the file's import path; an import of
another listed file becomes a reference to that subject; google/protobuf/* imports need nothing.`;

/** The registry client for a command; errors of its calls become one line: the server's message and reason. */
async function withRegistry<T>(opts: Common, fn: (c: RegistryClient) => Promise<T>): Promise<T> {
  const client = createRegistryClient(opts.registry, { timeoutMs: 60_000, apiKey: opts.apiKey, credentials: channelCredentials(opts) });
  return withClient(client, fn, `registry ${opts.registry}`);
}

/** The project's schemas in import order, each with the references its imports resolve to. */
async function project(opts: ProjectOpts) {
  const dir = resolve(opts.dir);
  const single = opts.subject || opts.file ? { subject: required(opts.subject, "--subject"), file: required(opts.file, "--file"), message: opts.message } : undefined;
  return orderByImports(await loadSchemaProject(dir, single));
}

const required = (v: string | undefined, flag: string) => {
  if (!v) throw new Error(`${flag} is required with --subject/--file`);
  return v;
};

/** References of a schema: each non-well-known import → the subject of that file at `versions[file]`. */
function referencesOf(s: LoadedProjectSchema, all: LoadedProjectSchema[], versions: Map<string, number>): SchemaReference[] {
  return s.imports.filter((i) => !isWellKnown(i)).map((name) => {
    const dep = all.find((d) => d.file === name)!;
    const version = versions.get(dep.subject);
    if (!version) throw new Error(`${s.subject}: imported subject ${dep.subject} has no registered version; push it first`);
    return { name, subject: dep.subject, version };
  });
}

/** The latest registered version of each subject (undefined when the subject is new). */
async function latest(c: RegistryClient, subject: string): Promise<SchemaVersion | undefined> {
  return c.getSchema({ subject }).then(
    (r) => r.schema,
    (e: { code?: number }) => (e.code === 5 ? undefined : Promise.reject(e)),
  );
}

const modeOf = (name?: string) => (name ? CompatibilityMode[`COMPATIBILITY_MODE_${name.toUpperCase()}` as keyof typeof CompatibilityMode] : undefined);

async function push(opts: ProjectOpts): Promise<void> {
  const schemas = await project(opts);
  await withRegistry(opts, async (c) => {
    const versions = new Map<string, number>();
    for (const s of schemas) {
      const mode = modeOf(s.compatibility);
      if (s.compatibility && mode === undefined) throw new Error(`${s.subject}: unknown compatibility "${s.compatibility}"`);
      // Governance is written only when it differs, so a repeated push leaves no audit entries.
      const current = (await c.listSubjects({ prefix: s.subject })).subjects.find((x) => x.name === s.subject);
      if (mode !== undefined && current?.compatibility !== mode) await c.setCompatibility({ subject: s.subject, mode, actor: opts.author });
      const r = await step(`push ${s.subject} (${s.file})`, () =>
        c.registerSchema({ subject: s.subject, protoSource: s.source, fileName: s.file, messageName: s.message ?? "", references: referencesOf(s, schemas, versions), author: opts.author }),
      );
      versions.set(s.subject, r.schema!.version);
      const sameOwners = !s.owners || s.owners.join("\n") === current?.owners.join("\n");
      const sameDescription = !s.description || s.description === current?.description;
      if (!sameOwners || !sameDescription) await c.updateSubject({ subject: s.subject, owners: s.owners ?? [], description: s.description ?? "", actor: opts.author });
      process.stdout.write(`${s.subject}\tversion ${r.schema!.version}\tid ${r.schema!.schemaId}\t${r.created ? "registered" : "unchanged"}\n`);
    }
  });
}

type CheckOpts = ProjectOpts & Omit<AgainstDataOpts, "apiKey"> & { allowTightenedRules?: boolean; allowRejections?: boolean };

async function check(opts: CheckOpts): Promise<void> {
  if (opts.againstData) seconds(opts.againstData); // a bad duration fails before any call
  const schemas = await project(opts);
  let broken = 0;
  let tightened = 0;
  let rejecting = 0;
  await withRegistry(opts, async (c) => {
    const versions = new Map<string, number>();
    for (const s of schemas) {
      const current = await latest(c, s.subject);
      // A dependency checked in this run counts at its registered version: references name registered content.
      if (current) versions.set(s.subject, current.version);
      const refs = referencesOf(s, schemas, versions);
      if (!current) {
        if (opts.againstData) throw new Error(`${s.subject}: unknown subject: it has no registered version and so no events to check --against-data`);
        await c.registerSchema({ subject: s.subject, protoSource: s.source, fileName: s.file, messageName: s.message ?? "", references: refs, dryRun: true });
        process.stdout.write(`${s.subject}\tnew subject: compiles, would be version 1\n`);
        continue;
      }
      const r = await c.checkCompatibility({ subject: s.subject, protoSource: s.source, fileName: s.file, messageName: s.message ?? "", references: refs });
      const mode = CompatibilityMode[r.mode].replace("COMPATIBILITY_MODE_", "");
      process.stdout.write(`${s.subject}\t${r.compatible ? "compatible" : "BREAKING"} (${mode}, latest is version ${current.version})\n`);
      for (const v of r.violations) process.stdout.write(`  ${v.rule}\t${v.path}\t(vs version ${v.againstVersion}) ${v.message}\n`);
      if (!r.compatible) broken++;
      // Rule changes against the latest version: a tightened rule can reject traffic the latest accepts.
      for (const ch of r.ruleChanges) {
        const what = ch.kind === "CHANGED" ? `${ch.before} → ${ch.after}` : ch.kind === "ADDED" ? ch.after : ch.before;
        const label = ch.rule === "trackway.pii" ? "PII_POLICY_CHANGED" : ch.tightens ? "RULE_TIGHTENED" : "RULE_LOOSENED";
        process.stdout.write(`  ${label}\t${ch.path}\t${ch.rule} ${ch.kind.toLowerCase()} ${what}\n`);
      }
      if (r.ruleChanges.some((ch) => ch.tightens)) tightened++;
      if (opts.againstData) {
        const candidate = { descriptorSet: r.candidateDescriptorSet, messageName: r.candidateMessageName };
        const report = await againstData(opts, s.subject, candidate, enforcementToTry(opts.enforcement, current.enforcement));
        if (report.wouldReject > 0) rejecting++;
      }
    }
  });
  // Thrown rather than process.exitCode: a module loaded by another command group (async-exit-hook) resets it.
  if (broken > 0) throw new Error(`${broken} schema(s) break their subject's compatibility mode`);
  if (tightened > 0 && !opts.allowTightenedRules) {
    throw new Error(`${tightened} schema(s) tighten their contract's rules (events the latest version accepts may be rejected); --allow-tightened-rules to accept`);
  }
  if (rejecting > 0 && !opts.allowRejections) {
    throw new Error(`${rejecting} schema(s) would have rejected recent real events (--against-data); --allow-rejections to accept`);
  }
}

/** Adds `trackway schema push|check|list|show|diff|export`. */
export function registerSchema(program: Command): void {
  const schema = tlsOptions(program.command("schema"))
    .description("Event contracts in the schema registry: push, check (CI), list, show, diff, export as a buf image.")
    .option("--registry <host:port>", "registry gRPC address (env TRACKWAY_REGISTRY_ADDRESS)", cliEnv.TRACKWAY_REGISTRY_ADDRESS)
    .option("--api-key <key>", "API key: schemas:read to read, schemas:write to change the tenant's subjects (env TRACKWAY_API_KEY)", cliEnv.TRACKWAY_API_KEY)
    .addHelpText("after", MAPPING_HELP);
  const all = <T extends object = object>(cmd: Command): Common & T => ({ ...schema.opts<Common>(), ...cmd.opts<T>() });
  registerOwnership(schema, (cmd, fn) => withRegistry(all(cmd), fn));
  registerUsage(schema, (cmd, fn) => withRegistry(all(cmd), fn));
  const projectOptions = (cmd: Command) =>
    cmd
      .option("--dir <dir>", `proto directory holding ${PROJECT_FILE}`, ".")
      .option("--subject <subject>", "one subject (with --file) instead of the mapping file")
      .option("--file <path>", "the .proto file of --subject, relative to --dir")
      .option("--message <name>", "fully-qualified properties message of --file")
      .option("--author <who>", "ignored: the registry records the authenticated API key as the author", cliEnv.USER)
      .addHelpText("after", MAPPING_HELP);

  projectOptions(schema.command("push").description("Register the project's schemas (in import order); an unchanged schema keeps its version."))
    .action((_o, cmd: Command) => push(all<ProjectOpts>(cmd)));
  projectOptions(schema.command("check").description("Dry run for CI: check each schema against its subject's mode and its rules against the latest version's; exit 1 on a breaking change or a tightened rule."))
    .option("--allow-tightened-rules", "report tightened protovalidate rules without failing")
    .option("--against-data <window>", "also try each schema on its subject's real events of the last window (7d, 24h) from ods_events, through the compute gateway (the key needs query rights)")
    .option("--sample-limit <n>", "with --against-data: read at most this many events, newest first (default 10000)")
    .option("--enforcement <mode>", "with --against-data: REJECT, WARN or OFF (default: the subject's current enforcement)")
    .option("--compute <host:port>", "with --against-data: compute gateway gRPC address (env TRACKWAY_COMPUTE_ADDRESS)", cliEnv.TRACKWAY_COMPUTE_ADDRESS)
    .option("--allow-rejections", "with --against-data: report events the schema would reject without failing")
    .action((_o, cmd: Command) => check(all<CheckOpts>(cmd)));

  schema.command("list").description("List subjects: latest version, mode, owners.").option("--prefix <p>", "only subjects starting with this", "")
    .action((_o, cmd: Command) =>
      withRegistry(all(cmd), async (c) => {
        for (const s of (await c.listSubjects({ prefix: all<{ prefix: string }>(cmd).prefix })).subjects) {
          const mode = CompatibilityMode[s.effectiveCompatibility].replace("COMPATIBILITY_MODE_", "");
          process.stdout.write(`${s.name}\tv${s.latestVersion}\t${mode}\t${s.owners.join(",") || "-"}\t${s.description}\n`);
        }
      }),
    );

  schema.command("show <subject>").description("Print a version's metadata and .proto source.").option("--version <n>", "version (default: latest)", "0")
    .action((subject: string, _o, cmd: Command) =>
      withRegistry(all(cmd), async (c) => {
        const v = (await c.getSchema({ subject, version: Number(all<{ version: string }>(cmd).version) })).schema!;
        note(`${v.subject} version ${v.version}, id ${v.schemaId}, ${v.messageName} in ${v.fileName}, by ${v.author} at ${v.createdAt?.toISOString()}`);
        for (const r of v.references) note(`  imports ${r.name} = ${r.subject} version ${r.version}`);
        process.stdout.write(v.protoSource);
      }),
    );

  schema.command("diff <subject> [from] [to]")
    .description("Show what changed between two versions (default: the two latest), or a local file (--file, --dir) against the latest; with the compatibility violations in both directions.")
    .option("--file <path>", "a local .proto to compare with the latest version")
    .option("--dir <dir>", "directory --file is relative to", ".")
    .action((subject: string, from: string | undefined, to: string | undefined, _o, cmd: Command) =>
      withRegistry(all(cmd), async (c) => {
        const o = all<{ file?: string; dir: string }>(cmd);
        const versions = (await c.listVersions({ subject })).versions;
        const pick = (n: string | undefined, fallback: number) => {
          const v = versions.find((x) => x.version === (n ? Number(n) : fallback));
          if (!v) throw new Error(`${subject} has no version ${n ?? fallback}`);
          return v;
        };
        const old = o.file ? pick(from, versions.at(-1)!.version) : pick(from, versions.at(-2)?.version ?? 1);
        // A local file is compared as the next version of the latest one (same file name and references).
        const next = o.file ? { ...old, protoSource: (await loadSchemaProject(resolve(o.dir), { subject, file: o.file }))[0]!.source } : pick(to, versions.at(-1)!.version);
        for (const line of lineDiff(old.protoSource, next.protoSource)) process.stdout.write(`${line}\n`);
        const r = await c.checkCompatibility({ subject, protoSource: next.protoSource, fileName: old.fileName, messageName: next.messageName, references: next.references, version: old.version, mode: CompatibilityMode.COMPATIBILITY_MODE_FULL });
        note(r.compatible ? `no compatibility violation between version ${old.version} and ${o.file ?? `version ${next.version}`}` : `${r.violations.length} violation(s), BACKWARD and FORWARD:`);
        for (const v of r.violations) process.stdout.write(`  ${v.rule}\t${v.path}\t${v.message}\n`);
      }),
    );

  schema.command("export").description("Write the latest version of every subject as one buf image (FileDescriptorSet), for `buf breaking <dir> --against <image>`.")
    .requiredOption("--out <file>", "image file to write, e.g. registry.binpb")
    .option("--prefix <p>", "only subjects starting with this", "")
    .action((_o, cmd: Command) =>
      withRegistry(all(cmd), async (c) => {
        const o = all<{ out: string; prefix: string }>(cmd);
        const subjects = (await c.listSubjects({ prefix: o.prefix })).subjects.filter((s) => s.latestVersion > 0);
        const sets = await Promise.all(subjects.map(async (s) => (await c.getSchema({ subject: s.name })).schema!.descriptorSet));
        const { image, files, conflicts } = mergeDescriptorSets(sets);
        for (const f of conflicts) note(`warning: subjects disagree on the content of ${f}; the first subject's was kept`);
        await writeFile(o.out, image);
        note(`wrote ${o.out}: ${subjects.length} subject(s), ${files.length} file(s)`);
      }),
    );
}
