import { describe, expect, it } from "vitest";
import { status } from "@grpc/grpc-js";
import { parseScopes } from "./principal.js";

describe("parseScopes", () => {
  it("keeps known scopes in a stable order without repeats", () => {
    expect(parseScopes(["jobs:admin", "events:write", "jobs:admin"])).toEqual(["events:write", "jobs:admin"]);
  });

  it("refuses an unknown scope with INVALID_ARGUMENT and SCOPE_UNKNOWN", () => {
    expect(() => parseScopes(["events:write", "admin"])).toThrow(expect.objectContaining({ code: status.INVALID_ARGUMENT, reason: "SCOPE_UNKNOWN" }));
  });
});
