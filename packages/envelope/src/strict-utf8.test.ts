import { create, toBinary } from "@bufbuild/protobuf";
import { EventHeaderSchema, EventSchema } from "@trackway/proto/es/event/v1";
import { describe, expect, it } from "vitest";
import { hasReplacementChar, invalidUtf8Path } from "./strict-utf8.js";

/** Replaces the first occurrence of `marker`'s bytes (same length) by `bytes`. */
function patch(buf: Uint8Array, marker: string, bytes: number[]): Uint8Array {
  const m = new TextEncoder().encode(marker);
  const out = buf.slice();
  for (let i = 0; i + m.length <= out.length; i++) {
    if (m.every((b, j) => out[i + j] === b)) {
      out.set(bytes, i);
      return out;
    }
  }
  throw new Error(`marker ${marker} not found`);
}

const header = create(EventHeaderSchema, {
  eventId: "e-1",
  context: { app: { name: "QQ" }, page: { title: "caf\u00e9 \uFFFD" } },
  attributes: { KK: "VV" },
});
const event = toBinary(EventSchema, create(EventSchema, { header, properties: new Uint8Array([0xff, 0xfe]) }));

describe("invalidUtf8Path", () => {
  it("finds nothing in valid UTF-8, a real U+FFFD and invalid bytes in a bytes field included", () => {
    expect(invalidUtf8Path(EventSchema, event)).toBeUndefined();
  });

  it("names the nested string field holding invalid UTF-8", () => {
    expect(invalidUtf8Path(EventSchema, patch(event, "QQ", [0xc3, 0x28]))).toBe("header.context.app.name");
  });

  it("checks map keys and values", () => {
    expect(invalidUtf8Path(EventSchema, patch(event, "KK", [0xff, 0x41]))).toBe("header.attributes[key]");
    expect(invalidUtf8Path(EventSchema, patch(event, "VV", [0xed, 0xa0]))).toBe("header.attributes[value]");
    expect(invalidUtf8Path(EventHeaderSchema, patch(toBinary(EventHeaderSchema, header), "VV", [0x80, 0x80]))).toBe("attributes[value]");
  });
});

describe("hasReplacementChar", () => {
  it("looks into nested strings and map keys", () => {
    expect(hasReplacementChar({ a: { b: ["x", "y\uFFFD"] } })).toBe(true);
    expect(hasReplacementChar({ attributes: { "k\uFFFD": "v" } })).toBe(true);
    expect(hasReplacementChar({ a: "plain", t: new Date(0) })).toBe(false);
  });
});
