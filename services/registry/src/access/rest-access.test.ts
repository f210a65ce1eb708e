import { describe, expect, it } from "vitest";
import { restAccessOf } from "./rest-access.js";

describe("restAccessOf", () => {
  it("treats GETs, compatibility checks and schema lookups as reads", () => {
    expect(restAccessOf("GET", "/subjects/a/versions", { subject: "a" })).toEqual({ kind: "read" });
    expect(restAccessOf("POST", "/compatibility/subjects/a/versions/latest", { subject: "a", version: "latest" })).toEqual({ kind: "read" });
    expect(restAccessOf("POST", "/subjects/a", { subject: "a" })).toEqual({ kind: "read" });
  });

  it("treats registrations, deletes and config changes as changes to the subject they name", () => {
    expect(restAccessOf("POST", "/subjects/a/versions", { subject: "a" })).toMatchObject({ kind: "write", subject: "a" });
    expect(restAccessOf("DELETE", "/subjects/a/versions/1", { subject: "a", version: "1" })).toMatchObject({ kind: "write", subject: "a" });
    expect(restAccessOf("PUT", "/config/a", { subject: "a" })).toMatchObject({ kind: "write", subject: "a" });
    expect(restAccessOf("DELETE", "/mode/a", { subject: "a" })).toMatchObject({ kind: "write", subject: "a" });
  });

  it("treats changes that name no subject as registry-wide", () => {
    expect(restAccessOf("PUT", "/config", {})).toMatchObject({ kind: "write", subject: undefined });
    expect(restAccessOf("PUT", "/mode", {})).toMatchObject({ kind: "write", subject: undefined });
  });
});
