import { describe, expect, it } from "vitest";
import { isSealedValue, open, openOriginal, openValue, seal, sealedKeyId, sealOriginal, sealValue, type DataKey } from "./sealed.js";

const key: DataKey = { id: "0f8fad5b-d9cb-469f-a165-70867728950e", key: Buffer.alloc(32, 3) };

describe("sealing with a tenant's data key", () => {
  it("opens what it sealed, names the key, and uses a fresh IV each time", () => {
    const a = seal(key, "acme", Buffer.from("secret"));
    expect(sealedKeyId(a)).toBe(key.id);
    expect(open(key, "acme", a)?.toString()).toBe("secret");
    expect(seal(key, "acme", Buffer.from("secret")).equals(a)).toBe(false);
  });

  it("does not open for another tenant, another key, or altered bytes", () => {
    const a = seal(key, "acme", Buffer.from("secret"));
    expect(open(key, "other", a)).toBeUndefined();
    expect(open({ ...key, key: Buffer.alloc(32, 4) }, "acme", a)).toBeUndefined();
    expect(open({ ...key, id: "00000000-0000-4000-8000-000000000000" }, "acme", a)).toBeUndefined();
    const b = Buffer.from(a);
    b[b.length - 1]! ^= 1;
    expect(open(key, "acme", b)).toBeUndefined();
    expect(open(undefined, "acme", a)).toBeUndefined();
  });

  it("seals string values into tokens and an event's original with its common bytes", () => {
    const t = sealValue(key, "acme", "ann@example.com");
    expect(isSealedValue(t)).toBe(true);
    expect(t).not.toContain("ann");
    expect(openValue(key, "acme", t)).toBe("ann@example.com");
    expect(openValue(key, "acme", "ann@example.com")).toBeUndefined();
    const s = sealOriginal(key, "acme", Buffer.from([1, 2, 3]), Buffer.from([9]));
    expect(openOriginal(key, "acme", s)).toEqual({ original: Buffer.from([1, 2, 3]), common: Buffer.from([9]) });
    expect(openOriginal(key, "acme", sealOriginal(key, "acme", Buffer.alloc(0), Buffer.alloc(0)))).toEqual({ original: Buffer.alloc(0), common: Buffer.alloc(0) });
  });
});
