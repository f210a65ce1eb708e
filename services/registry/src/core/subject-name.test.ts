import { describe, expect, it } from "vitest";
import { subjectFileName, subjectNameProblem } from "./subject-name.js";

describe("subjectNameProblem", () => {
  it("accepts file paths, as Confluent's serializers name a referenced file's subject", () => {
    expect(subjectNameProblem("acme/common/money.proto")).toBeUndefined();
    expect(subjectNameProblem("google/protobuf/timestamp.proto")).toBeUndefined();
  });
  it("refuses spaces, backslashes and control characters", () => {
    expect(subjectNameProblem("a b")).toBeDefined();
    expect(subjectNameProblem("a\\b")).toBeDefined();
    expect(subjectNameProblem("a\nb")).toBeDefined();
    expect(subjectNameProblem("")).toBeDefined();
  });
});

describe("subjectFileName", () => {
  it("compiles a subject that is a .proto path under that path", () => {
    expect(subjectFileName("acme/common/money.proto")).toBe("acme/common/money.proto");
  });
  it("adds .proto to other names", () => {
    expect(subjectFileName("shop.order_completed")).toBe("shop.order_completed.proto");
    expect(subjectFileName("orders-value")).toBe("orders-value.proto");
  });
  it("flattens paths that are not clean relative ones", () => {
    expect(subjectFileName("../etc/x.proto")).toBe(".._etc_x.proto.proto");
    expect(subjectFileName("/abs")).toBe("_abs.proto");
    expect(subjectFileName("a//b")).toBe("a__b.proto");
  });
});
