import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { UnaryTransport } from "@trackway/client";
import { CheckAgainstDataRequest, type CheckAgainstDataReport, type CheckAgainstDataResponse } from "@trackway/proto/compute/v1";
import { EventBatch } from "@trackway/proto/event/v1";
import { SendBatchRequest } from "@trackway/proto/ingest/v1";
import { CompatibilityMode } from "@trackway/proto/registry/v1";
import { loadSchema } from "@trackway/registry-client";
import { repoRoot } from "@trackway/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteTopics, ingestWorld, type IngestWorld } from "../../support/index.js";
import { computeClient, computeWorld, failure, runOdsBatch, type ComputeWorld } from "../compute-gateway/harness.js";

// The proposed version: order_checked.proto (ranges, required, formats, a CEL rule across two fields), without `coupon`.
const PROPOSED = readFileSync(path.join(repoRoot, "tests/fixtures/contracts/order_checked.proto"), "utf8");
// The version in use: the same shape with no rules, and a `coupon` field the proposal drops.
const LOOSE = `syntax = "proto3";
package shopit.v1;
message OrderChecked {
  string order_id = 1;
  int64 total_cents = 2;
  int32 item_count = 3;
  string email = 4;
  string currency = 5;
  int64 discount_cents = 6;
  string coupon = 7;
}
`;

interface Props {
  orderId: string;
  totalCents: bigint;
  itemCount: number;
  email: string;
  currency: string;
  discountCents: bigint;
  coupon: string;
}
const good: Props = { orderId: "o", totalCents: 1000n, itemCount: 2, email: "a@example.com", currency: "EUR", discountCents: 0n, coupon: "" };
// Events sent earlier in the test: some keep every proposed rule, some break one or more, some carry the dropped field.
const SENT: Partial<Props>[] = [
  {},
  { totalCents: 5n },
  { totalCents: -5n },
  { email: "not-an-email" },
  { orderId: "" },
  { itemCount: 0 },
  { currency: "euro" },
  { discountCents: 2000n },
  { totalCents: -1n, email: "x" },
  { coupon: "WINTER" },
  { itemCount: 100, discountCents: 1000n },
  {},
];

/** The independent count: the proposed rules written out by hand. */
function expected(p: Props): "decode" | "violation" | "pass" {
  if (p.coupon !== "") return "decode";
  const broken =
    p.orderId.length < 1 ||
    p.totalCents < 0n ||
    p.totalCents > 10_000_000n ||
    p.itemCount < 1 ||
    p.itemCount > 100 ||
    !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email) ||
    !/^[A-Z]{3}$/.test(p.currency) ||
    p.discountCents > p.totalCents;
  return broken ? "violation" : "pass";
}

let w: IngestWorld;
let cw: ComputeWorld;
let client: ReturnType<typeof computeClient>;
let candidate: { descriptorSet: Uint8Array; messageName: string };
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const subject = `dc${run}.order_checked`;

async function check(req: Partial<CheckAgainstDataRequest>): Promise<{ progress: string[]; report: CheckAgainstDataReport | undefined }> {
  const progress: string[] = [];
  let report: CheckAgainstDataReport | undefined;
  const full = CheckAgainstDataRequest.fromPartial({ eventName: subject, descriptorSet: Buffer.from(candidate.descriptorSet), messageName: candidate.messageName, window: { seconds: 7 * 86_400, nanos: 0 }, ...req });
  for await (const m of client.checkAgainstData(full) as AsyncIterable<CheckAgainstDataResponse>) {
    if (m.kind?.$case === "progress") progress.push(m.kind.value.stage);
    else if (m.kind?.$case === "report") report = m.kind.value;
  }
  return { progress, report };
}

beforeAll(async () => {
  w = await ingestWorld();
  cw = await computeWorld();
  const { schema } = await w.registry.client.registerSchema({ subject, protoSource: LOOSE, messageName: "shopit.v1.OrderChecked", fileName: "shopit/order_loose.proto", author: "it" });
  const loose = loadSchema(schema!.descriptorSet, schema!.messageName).message;
  const ingest = await w.startIngest();
  const at = new Date(Date.now() - 3_600_000);
  const batch = EventBatch.fromPartial({
    batchId: `dc-${run}`,
    sentAt: new Date(),
    common: { eventName: subject, schemaVersion: 1, identity: { userId: "u-1" } },
    events: SENT.map((p, i) => ({ header: { eventId: `dc-${i}`, eventTime: at }, properties: Buffer.from(toBinary(loose, create(loose, { ...good, ...p }))) })),
  });
  const result = await new UnaryTransport({ address: ingest.address, apiKey: w.apiKey, compression: "gzip" }).send(SendBatchRequest.encode({ batch }).finish(), 60_000);
  expect(result.accepted).toBe(SENT.length);
  // Into this run's ods_events (a BATCH run of the ODS job over this test's topic), read by a gateway of its own.
  await runOdsBatch(cw, w.topics.events);
  const gateway = await cw.startGateway();
  client = computeClient(gateway.address, await cw.key("acme"));
  // The proposed version, compiled by the registry and not registered.
  const r = await w.registry.client.checkCompatibility({ subject, protoSource: PROPOSED, messageName: "shopit.v1.OrderChecked", fileName: "shopit/order_checked.proto" });
  candidate = { descriptorSet: r.candidateDescriptorSet, messageName: r.candidateMessageName };
}, 600_000);
afterAll(async () => {
  await cw?.stop();
  await w?.stop();
  if (w) await deleteTopics(w.brokers, [w.topics.events, w.topics.rejected]).catch(() => undefined);
});

describe("schema check against data", () => {
  it("reports what the proposed version would have rejected, matching a count made by hand", async () => {
    const outcomes = SENT.map((p) => expected({ ...good, ...p }));
    const decode = outcomes.filter((o) => o === "decode").length;
    const violation = outcomes.filter((o) => o === "violation").length;
    expect(decode).toBe(1);
    expect(violation).toBe(7);

    const { progress, report } = await check({ enforcement: "REJECT", maxExamples: 50 });
    expect(progress[0]).toBe("READING");
    expect(report).toMatchObject({ eventsChecked: SENT.length, sampled: false, decodeFailures: decode, ruleViolations: violation, wouldReject: decode + violation, wouldWarn: 0, passed: SENT.length - decode - violation, enforcement: "REJECT" });
    // Each example names a failing event, and every failing event has one.
    const failing = new Set(SENT.map((_, i) => `dc-${i}`).filter((_, i) => outcomes[i] !== "pass"));
    expect(new Set(report!.examples.map((x) => x.eventId))).toEqual(failing);
    expect(report!.examples).toContainEqual(expect.objectContaining({ eventId: "dc-2", schemaVersion: 1, kind: "CONTRACT_VIOLATION", fieldPath: "total_cents", ruleId: "int64.gte_lte" }));
    expect(report!.examples).toContainEqual(expect.objectContaining({ eventId: "dc-7", ruleId: "order.discount_within_total", fieldPath: "" }));
    expect(report!.examples).toContainEqual(expect.objectContaining({ eventId: "dc-9", kind: "DECODE_FAILURE" }));
    expect(report!.rules).toContainEqual({ fieldPath: "email", ruleId: "string.email", events: 2 });
  });

  it("warns instead under WARN, and samples the newest events up to the limit", async () => {
    const warn = (await check({ enforcement: "WARN", sampleLimit: 5 })).report!;
    expect(warn).toMatchObject({ eventsChecked: 5, sampled: true, enforcement: "WARN" });
    expect(warn.wouldReject).toBe(warn.decodeFailures);
    expect(warn.wouldWarn).toBe(warn.ruleViolations);
    expect(warn.decodeFailures + warn.ruleViolations + warn.passed).toBe(5);
  });

  it("refuses a bad window, an event without events in range, and a bad descriptor set, each with a reason", async () => {
    expect(await failure(check({ window: { seconds: 0, nanos: 0 } }))).toMatchObject({ code: 3, reason: "ARGUMENT_INVALID" });
    expect(await failure(check({ window: { seconds: 365 * 86_400, nanos: 0 } }))).toMatchObject({ code: 3, reason: "ARGUMENT_INVALID" });
    expect(await failure(check({ eventName: `dc${run}.nothing` }))).toMatchObject({ code: 5, reason: "NO_EVENTS_IN_RANGE" });
    expect(await failure(check({ messageName: "shopit.v1.Nope" }))).toMatchObject({ code: 3, reason: "ARGUMENT_INVALID" });
  });
});

describe("trackway schema check --against-data", () => {
  it("prints the report and fails on events the proposal would reject", async () => {
    // One key for both services: a gateway of its own on the registry's database, which holds the keys.
    const gateway = await cw.startGateway({ DATABASE_URL: w.databaseUrl });
    const { key } = await w.keys.create({ tenant: "acme", name: "cli-it", scopes: ["schemas:read", "query:read"] });
    // The proposal drops a field: a breaking change under BACKWARD fails the check before the data does; NONE leaves the data.
    await w.registry.client.setCompatibility({ subject, mode: CompatibilityMode.COMPATIBILITY_MODE_NONE, actor: "it" });
    const dir = await mkdtemp(path.join(tmpdir(), "against-data-"));
    try {
      await mkdir(path.join(dir, "shopit"));
      await writeFile(path.join(dir, "shopit/order_checked.proto"), PROPOSED);
      const args = ["schema", "check", "--dir", dir, "--subject", subject, "--file", "shopit/order_checked.proto", "--message", "shopit.v1.OrderChecked", "--allow-tightened-rules", "--against-data", "7d", "--registry", w.registry.registry.address, "--compute", gateway.address, "--api-key", key];
      const cli = (extra: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile("node", [path.join(repoRoot, "packages/cli/bin/trackway.js"), ...args, ...extra], { env: { ...process.env, CI: "true" } }, (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          ),
        );
      const failed = await cli([]);
      expect(failed.stdout).toContain(`against data: ${SENT.length} events`);
      expect(failed.stdout).toContain("would reject 8 (decode failures 1, rule violations 7), would warn 0, pass 4");
      expect(failed.stdout).toMatch(/e\.g\. dc-2 \(v1\)\tCONTRACT_VIOLATION\ttotal_cents\tint64\.gte_lte/);
      expect(failed.stderr).toContain("reading ods_events");
      expect(failed.stderr).toContain("would have rejected recent real events");
      expect(failed.code).not.toBe(0);
      const warned = await cli(["--enforcement", "WARN", "--allow-rejections"]);
      expect(warned.stdout).toContain("would reject 1 (decode failures 1, rule violations 0), would warn 7, pass 4");
      expect(warned.code).toBe(0);
      const bad = await cli(["--against-data", "seven days"]);
      expect(bad.stderr).toContain('"seven days" is not a duration');
      expect(bad.code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
