import type { DescFile, DescMessage } from "@bufbuild/protobuf";
import { schemaInvalid } from "./errors.js";

/**
 * Checks protoc enforces that buf's compiler lets through (found by fuzzing against `buf breaking`, whose Go runtime
 * then refuses the image): a map's enum value type must start with the number 0.
 */
export function validateDescriptors(files: Iterable<DescFile>): void {
  const problems: string[] = [];
  const walk = (file: DescFile, messages: readonly DescMessage[]) => {
    for (const m of messages) {
      for (const f of m.fields) {
        if (f.fieldKind === "map" && f.mapKind === "enum" && f.enum.values[0]?.number !== 0) {
          problems.push(`${file.proto.name}: map field ${m.typeName}.${f.name}: enum ${f.enum.typeName} must define 0 as its first value to be a map value`);
        }
      }
      walk(file, m.nestedMessages);
    }
  };
  for (const file of files) walk(file, file.messages);
  if (problems.length > 0) throw schemaInvalid(problems.join("; "));
}
