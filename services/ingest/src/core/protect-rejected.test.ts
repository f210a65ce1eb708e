import { create, fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { isSealedValue, openOriginal, openValue, rejectedEventBytes, type DataKey } from "@trackway/envelope";
import { Event, EventBatch, EventHeader, type DeepPartial } from "@trackway/proto/event/v1";
import { IngestRequest } from "@trackway/proto/ingest/v1";
import { describe, expect, it } from "vitest";
import { shopSchemas, userSignedUpDesc } from "../../../../tests/fixtures/ingest/index.js";
import type { RuleCheck, RuleViolation } from "./contract-rules.js";
import { DEFAULT_LIMITS } from "./limits.js";
import { KEEP_ALL, type HeaderPolicy } from "./pii-header.js";
import { hmacHasher } from "./pii-properties.js";
import { processBatch, type BatchSource } from "./process-batch.js";
import { readRawBatchRequest } from "./raw-batch.js";
import type { RejectedEventRecord } from "./rejected-record.js";
import type { TenantPrivacy } from "./tenant-privacy.js";
import { unsealingHasher } from "./unsealing-hasher.js";

const signup = userSignedUpDesc();
const schemas = () => shopSchemas().add("shop.user_signed_up", { schemaId: 301, version: 1, lifecycle: "active", message: signup });
const source: BatchSource = { tenant: "acme", allowedEvents: undefined, receivedAt: Date.now(), clientIp: "10.0.0.7" };
const key: DataKey = { id: "0f8fad5b-d9cb-469f-a165-70867728950e", key: Buffer.alloc(32, 7) };
const hmac = hmacHasher(Buffer.from("salt-acme"));
const POLICY: HeaderPolicy = { userId: "HASH", anonymousId: "DROP", ip: "TRUNCATE", userAgent: "DROP", pageUrl: "TRUNCATE" };
const privacyOf = (header: HeaderPolicy, dataKey: DataKey | undefined = key): { get: () => Promise<TenantPrivacy> } => ({
  get: async () => ({ hash: unsealingHasher(hmac, "acme", dataKey), header, suppressed: new Set<string>(), dataKey }),
});
/** A contract rule that rejects every "free" plan, as `(buf.validate.field).string.not_in` would. */
const noFreePlan: RuleCheck = {
  check: (_id: number, _d: DescMessage, m: Message): RuleViolation[] => ((m as unknown as { plan: string }).plan === "free" ? [{ fieldPath: "plan", ruleId: "string.not_in", message: "no free plan" }] : []),
};
const RAW = ["ann@example.com", "+15551234567", "cat-hint", "Main St 1", "user-ann", "anon-ann", "198.51.100.23", "Firefox", "?email"];

const props = (plan: string) =>
  Buffer.from(toBinary(signup, create(signup, { email: "ann@example.com", phone: "+15551234567", passwordHint: "cat-hint", plan, emails: ["ann@example.com"], address: { street: "Main St 1", city: "Berlin" } } as never)));
function batch(eventName: string, plan: string, common: DeepPartial<EventHeader> = {}) {
  const header = {
    eventId: `e-${eventName}`, eventName, schemaVersion: 1, identity: { userId: "user-ann", anonymousId: "anon-ann" },
    context: { ip: "198.51.100.23", userAgent: "Mozilla/5.0 (X11) Firefox/120", page: { url: "https://s.example/a?email=x", search: "?email=x" } },
  };
  const b = EventBatch.fromPartial({ batchId: "b-1", sentAt: new Date(), common, events: [{ header, properties: props(plan) }] });
  return readRawBatchRequest(IngestRequest.encode({ batch: b }).finish());
}
const rejected = async (raw: ReturnType<typeof batch>, privacy = privacyOf(POLICY)) => {
  const out = await processBatch(raw, source, { schemas: schemas(), limits: DEFAULT_LIMITS, rules: noFreePlan, privacy });
  expect(out.rejected).toHaveLength(1);
  return { text: out.rejected[0]!.value, rec: JSON.parse(out.rejected[0]!.value) as RejectedEventRecord };
};

describe("a rejected event's stored copy under the tenant's privacy settings", () => {
  it("keeps a decoded event under the policy: no raw HASH/DROP/MASK value anywhere, HASH values sealed for replay", async () => {
    const { text, rec } = await rejected(batch("shop.user_signed_up", "free", { identity: { deviceId: "dev-1" } }));
    expect(rec).toMatchObject({ reason: "CONTRACT_VIOLATION", protection: "policy", key_id: key.id });
    expect(rec.common).toBeUndefined();
    for (const s of RAW) expect(text).not.toContain(s);
    const event = Event.decode(Buffer.from(rec.original, "base64"));
    // The copy holds the merged header (common's device id included) under the policy.
    expect(event.header).toMatchObject({ eventId: "e-shop.user_signed_up", identity: { anonymousId: "", deviceId: "dev-1" }, context: { ip: "198.51.100.0", userAgent: "", page: { url: "https://s.example/a", search: "" } } });
    expect(openValue(key, "acme", event.header!.identity!.userId)).toBe("user-ann");
    const p = fromBinary(signup, event.properties) as unknown as { email: string; phone: string; passwordHint: string; plan: string; emails: string[]; address: { street: string; city: string } };
    expect(p).toMatchObject({ phone: "********4567", passwordHint: "", plan: "free", address: { street: "", city: "Berlin" } });
    expect(isSealedValue(p.email) && openValue(key, "acme", p.email)).toBe("ann@example.com");
    expect(openValue(key, "acme", p.emails[0]!)).toBe("ann@example.com");
    // The parsed header carries the tenant's hashes (what deletions and joins match).
    expect(rec.header).toMatchObject({ identity: { userId: hmac("user-ann") } });
  });

  it("replays a policy copy to the hashes the first send would have stored, and to nothing once the key is shredded", async () => {
    const { rec } = await rejected(batch("shop.user_signed_up", "free"));
    const event = Event.decode(Buffer.from(rec.original, "base64"));
    // The repair: the same copy with a valid plan and the PII fields as stored (sealed, masked, dropped).
    const copy = fromBinary(signup, event.properties) as unknown as Record<string, unknown>;
    const repaired = toBinary(signup, create(signup, { ...copy, plan: "pro" } as never));
    const replay = readRawBatchRequest(IngestRequest.encode({ batch: EventBatch.fromPartial({ batchId: "r-1", sentAt: new Date(), events: [{ header: event.header, properties: Buffer.from(repaired) }] }) }).finish());
    const out = await processBatch(replay, source, { schemas: schemas(), limits: DEFAULT_LIMITS, rules: noFreePlan, privacy: privacyOf(POLICY) });
    expect(out.result.accepted).toBe(1);
    const v = JSON.parse(out.events[0]!.value) as Record<string, unknown> & { properties: Record<string, unknown> };
    expect(v).toMatchObject({ user_id: hmac("user-ann"), context_ip: "198.51.100.0" });
    expect(v.properties).toMatchObject({ email: hmac("ann@example.com"), emails: [hmac("ann@example.com")], phone: "********4567", plan: "pro" });
    const shredded = await processBatch(replay, source, { schemas: schemas(), limits: DEFAULT_LIMITS, rules: noFreePlan, privacy: privacyOf(POLICY, { id: "9b2f0c8e-0000-4000-8000-000000000000", key: Buffer.alloc(32, 9) }) });
    const s = JSON.parse(shredded.events[0]!.value) as Record<string, unknown> & { properties: Record<string, unknown> };
    expect(s.properties.email).toBe("");
    expect(s.user_id).toBeUndefined();
  });

  it("seals an event that did not decode (unknown event), original and common together, opened only with the key", async () => {
    const raw = batch("no.such_event", "pro", { identity: { deviceId: "dev-1" } });
    const { text, rec } = await rejected(raw);
    expect(rec).toMatchObject({ reason: "UNKNOWN_EVENT", protection: "sealed", key_id: key.id });
    expect(rec.common).toBeUndefined();
    for (const s of RAW) expect(text).not.toContain(s);
    expect(Buffer.from(rec.original, "base64").includes(Buffer.from("user-ann"))).toBe(false);
    const opened = openOriginal(key, "acme", rec.original)!;
    expect(Buffer.compare(opened.original, raw.events[0]!)).toBe(0);
    expect(Buffer.compare(opened.common, raw.commonBytes)).toBe(0);
    expect(rejectedEventBytes(rec, key)).toMatchObject({ ok: true });
    expect(rejectedEventBytes(rec, { ...key, key: Buffer.alloc(32, 1) })).toEqual({ ok: false, reason: "KEY_UNAVAILABLE" });
    expect(rejectedEventBytes({ ...rec, tenant: "other" }, key)).toEqual({ ok: false, reason: "KEY_UNAVAILABLE" });
    expect(rejectedEventBytes(rec, undefined)).toEqual({ ok: false, reason: "KEY_UNAVAILABLE" });
  });

  it("seals a malformed event too", async () => {
    const raw = batch("no.such_event", "pro");
    raw.events[0] = Buffer.from([0x0a, 0xff, 0x01, 0x02]);
    const { rec } = await rejected(raw);
    expect(rec).toMatchObject({ reason: "EVENT_MALFORMED", protection: "sealed" });
    expect(Buffer.compare(openOriginal(key, "acme", rec.original)!.original, raw.events[0]!)).toBe(0);
  });

  it("keeps the bytes as received when nothing is to be protected: a keep-all policy and an unmarked or unknown contract", async () => {
    const raw = batch("no.such_event", "pro");
    const { rec } = await rejected(raw, privacyOf(KEEP_ALL));
    expect(rec.protection).toBeUndefined();
    expect(Buffer.from(rec.original, "base64").equals(Buffer.from(raw.events[0]!))).toBe(true);
    // A contract that marks PII protects its event even under a keep-all header policy.
    const marked = await rejected(batch("shop.user_signed_up", "free"), privacyOf(KEEP_ALL));
    expect(marked.rec.protection).toBe("policy");
    expect(marked.text).not.toContain("ann@example.com");
  });
});
