import { Metadata, status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { reasonOf, TrackwayError, toStatus } from "./errors.js";

describe("toStatus", () => {
  it("keeps a TrackwayError's code and message and sends its reason as a trailer", () => {
    const s = toStatus(new TrackwayError(status.NOT_FOUND, "SUBJECT_NOT_FOUND", 'subject "x" is not registered'));
    expect(s.code).toBe(status.NOT_FOUND);
    expect(s.details).toBe('subject "x" is not registered');
    expect(reasonOf(s)).toBe("SUBJECT_NOT_FOUND");
  });

  it("hides anything else behind INTERNAL", () => {
    const s = toStatus(new Error("password=hunter2 in connection string"));
    expect(s.code).toBe(status.INTERNAL);
    expect(s.details).not.toContain("hunter2");
    expect(reasonOf(s)).toBe("INTERNAL");
  });

  it("reads no reason from an error without trailers", () => {
    expect(reasonOf(new Error("x"))).toBeUndefined();
    expect(reasonOf({ metadata: new Metadata() })).toBeUndefined();
  });
});
