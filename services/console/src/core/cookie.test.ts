import { describe, expect, it } from "vitest";
import { clearedSessionCookie, parseCookies, SESSION_COOKIE, sessionCookie } from "./cookie.js";

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Strict and Secure when asked", () => {
    const c = sessionCookie("tw_abc", { maxAgeSeconds: 60, secure: true });
    expect(c).toContain(`${SESSION_COOKIE}=tw_abc`);
    expect(c.split("; ")).toEqual(expect.arrayContaining(["HttpOnly", "SameSite=Strict", "Secure", "Max-Age=60", "Path=/"]));
  });

  it("is cleared with an empty value and Max-Age=0", () => {
    expect(clearedSessionCookie(false)).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
    expect(clearedSessionCookie(false)).not.toContain("Secure");
  });

  it("parses a Cookie header, keeping the first of a repeated name and skipping bad escapes", () => {
    const m = parseCookies("a=1; b=x%20y; a=2; c=%E0%A4%A; =z");
    expect(m.get("a")).toBe("1");
    expect(m.get("b")).toBe("x y");
    expect(m.has("c")).toBe(false);
    expect(parseCookies(undefined).size).toBe(0);
  });
});
