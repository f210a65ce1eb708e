import { create, toBinary, toJson, type JsonObject } from "@bufbuild/protobuf";
import { EventHeader } from "@trackway/proto/event/v1";
import { describe, expect, it } from "vitest";
import { userSignedUpDesc } from "../../../../tests/fixtures/ingest/index.js";
import { applyHeaderPolicy, KEEP_ALL, stripQuery, truncateIp } from "./pii-header.js";
import { applyPropertiesPii, hasPii, hmacHasher, mask } from "./pii-properties.js";

const desc = userSignedUpDesc();
const hash = hmacHasher(Buffer.from("tenant-a-salt"));

describe("applyPropertiesPii", () => {
  it("hashes, masks and drops the marked fields, nested and repeated ones too, and keeps the rest", () => {
    const msg = create(desc, { email: "ann@example.com", phone: "+4915112345678", passwordHint: "cat", plan: "pro", emails: ["a@x.io", "b@x.io"], address: { street: "Main 1", city: "Berlin" } });
    const json = toJson(desc, msg, { useProtoFieldName: true, alwaysEmitImplicit: true }) as JsonObject;
    expect(hasPii(desc)).toBe(true);
    applyPropertiesPii(desc, json, hash);
    expect(json).toEqual({
      email: hash("ann@example.com"),
      phone: "**********5678",
      plan: "pro",
      emails: [hash("a@x.io"), hash("b@x.io")],
      address: { city: "Berlin" },
    });
    expect(json.email).toMatch(/^[0-9a-f]{64}$/);
    expect(toBinary(desc, msg).length).toBeGreaterThan(0);
  });

  it("hashes stably per tenant and differently across tenants (HMAC-SHA256 with the tenant's salt)", () => {
    expect(hash("ann@example.com")).toBe(hmacHasher(Buffer.from("tenant-a-salt"))("ann@example.com"));
    expect(hash("ann@example.com")).not.toBe(hmacHasher(Buffer.from("tenant-b-salt"))("ann@example.com"));
  });

  it("masks all but the last four characters; short values wholly", () => {
    expect(mask("1234567")).toBe("***4567");
    expect(mask("abcd")).toBe("****");
    expect(mask("")).toBe("");
  });
});

describe("applyHeaderPolicy", () => {
  const header = EventHeader.fromPartial({
    eventId: "e-1",
    identity: { userId: "u-42", anonymousId: "anon-9", deviceId: "d-1" },
    context: { ip: "203.0.113.77", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", page: { url: "https://shop.example/p?email=a@b.c#top", search: "?email=a@b.c", path: "/p" }, referrer: { url: "https://ref.example/?q=1" } },
  });

  it("keeps everything under KEEP_ALL", () => {
    expect(applyHeaderPolicy(header, "10.0.0.7", KEEP_ALL, hash)).toEqual({ header, clientIp: "10.0.0.7" });
  });

  it("hashes ids, truncates IPs, user agent and URLs, drops what is dropped, and leaves the input untouched", () => {
    const before = structuredClone(header);
    const out = applyHeaderPolicy(header, "2001:db8:85a3:8d3:1319:8a2e:370:7348", { userId: "HASH", anonymousId: "DROP", ip: "TRUNCATE", userAgent: "TRUNCATE", pageUrl: "TRUNCATE" }, hash);
    expect(out.header.identity).toEqual({ userId: hash("u-42"), anonymousId: "", deviceId: "d-1" });
    expect(out.header.context).toMatchObject({
      ip: "203.0.113.0",
      userAgent: "Mozilla/5.0 Firefox/120.0",
      page: { url: "https://shop.example/p", search: "", path: "/p" },
      referrer: { url: "https://ref.example/" },
    });
    expect(out.clientIp).toBe("2001:db8:85a3::");
    expect(header).toEqual(before);
    expect(applyHeaderPolicy(header, "10.0.0.7", { ...KEEP_ALL, ip: "DROP" }, hash).clientIp).toBeUndefined();
  });

  it("truncates IPv4 to /24 and IPv6 to /48, and cuts query and fragment off URLs", () => {
    expect(truncateIp("10.1.2.3")).toBe("10.1.2.0");
    expect(truncateIp("::ffff:10.1.2.3")).toBe("::ffff:10.1.2.0");
    expect(truncateIp("2001:db8::1")).toBe("2001:db8::");
    expect(stripQuery("https://a.b/c?d=1#e")).toBe("https://a.b/c");
  });
});
