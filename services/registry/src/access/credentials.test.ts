import { describe, expect, it } from "vitest";
import { restCredentials } from "./credentials.js";

const basic = (s: string) => `Basic ${Buffer.from(s).toString("base64")}`;

describe("restCredentials", () => {
  it("reads HTTP Basic key-id:secret as Confluent clients send basic.auth.user.info", () => {
    expect(restCredentials({ authorization: basic("key_1:twk_secret") })).toEqual({ keyId: "key_1", key: "twk_secret" });
  });

  it("reads a Bearer token and an x-api-key header", () => {
    expect(restCredentials({ authorization: "Bearer twk_a" })).toEqual({ key: "twk_a" });
    expect(restCredentials({ "x-api-key": " twk_b " })).toEqual({ key: "twk_b" });
  });

  it("finds nothing in a request without credentials", () => {
    expect(restCredentials({})).toEqual({});
  });
});
