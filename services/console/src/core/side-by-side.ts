import { lineDiff } from "@trackway/registry-client";

/** One row of a side-by-side diff: the old line on the left, the new on the right; a missing side is null. */
export interface DiffRow {
  kind: "same" | "changed" | "removed" | "added";
  left: string | null;
  right: string | null;
  /** 1-based line numbers; null on the missing side. */
  leftNo: number | null;
  rightNo: number | null;
}

/** Pairs a full line diff into rows: a run of removals next to the run of additions that follows it. */
export function sideBySide(before: string, after: string): DiffRow[] {
  const lines = before === after ? before.split("\n").map((l) => `  ${l}`) : lineDiff(before, after, 1_000_000);
  const rows: DiffRow[] = [];
  let l = 0;
  let r = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith("@@")) {
      i++;
      continue;
    }
    if (line[0] === " ") {
      rows.push({ kind: "same", left: line.slice(2), right: line.slice(2), leftNo: ++l, rightNo: ++r });
      i++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (i < lines.length && lines[i]![0] === "-") removed.push(lines[i++]!.slice(2));
    while (i < lines.length && lines[i]![0] === "+") added.push(lines[i++]!.slice(2));
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const a = removed[k] ?? null;
      const b = added[k] ?? null;
      rows.push({
        kind: a !== null && b !== null ? "changed" : a !== null ? "removed" : "added",
        left: a,
        right: b,
        leftNo: a !== null ? ++l : null,
        rightNo: b !== null ? ++r : null,
      });
    }
  }
  return rows;
}
