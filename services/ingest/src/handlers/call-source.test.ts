import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { clientIpOf } from "./call-source.js";

describe("clientIpOf", () => {
  it("strips the port from IPv4, IPv6 and v4-mapped peers", () => {
    const md = new Metadata();
    expect(clientIpOf("10.1.2.3:5678", md, false)).toBe("10.1.2.3");
    expect(clientIpOf("::1:5678", md, false)).toBe("::1");
    expect(clientIpOf("[2001:db8::7]:443", md, false)).toBe("2001:db8::7");
    expect(clientIpOf("::ffff:127.0.0.1:5678", md, false)).toBe("127.0.0.1");
    expect(clientIpOf("unknown", md, false)).toBeUndefined();
  });

  it("uses x-forwarded-for only when the proxy is trusted", () => {
    const md = new Metadata();
    md.set("x-forwarded-for", "203.0.113.9, 10.0.0.1");
    expect(clientIpOf("10.0.0.1:1", md, true)).toBe("203.0.113.9");
    expect(clientIpOf("10.0.0.1:1", md, false)).toBe("10.0.0.1");
  });
});
