// Test support for compatibility.fuzz.test.ts: random .proto pairs (a schema and a mutated copy) to compare the
// registry's rules with `buf breaking` on cases nobody wrote by hand. Pure text generation, seeded.

const SCALARS = ["string", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "bytes", "double", "float",
  "fixed32", "sfixed32", "fixed64", "sfixed64"];
type Syntax = "proto2" | "proto3" | "editions";
type Label = "" | "optional" | "repeated" | "required";

interface Field { name: string; num: number; type: string; label: Label; oneof?: string; json?: string; def?: string; map?: [string, string] }
interface Msg { name: string; fields: Field[]; resNums: number[]; resNames: string[] }
interface En { name: string; values: [string, number][]; resNums: number[]; resNames: string[]; alias: boolean }
interface Rpc { in: string; out: string; cs: boolean; ss: boolean; idem: string }
interface Schema { syntax: Syntax; pkg: string; msgs: Msg[]; enums: En[]; rpc?: Rpc }

/** A seeded pseudo-random source (LCG), so a failing seed can be replayed. */
export function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** A random schema and a copy with one to three random changes; either may fail to compile (callers skip those). */
export function randomPair(rnd: () => number): { before: string; after: string; changes: string } {
  const s = generate(rnd);
  const before = render(s);
  const [after, changes] = mutate(s, rnd);
  return { before, after, changes };
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

function generate(rnd: () => number): Schema {
  const syntax = pick(rnd, ["proto2", "proto3", "proto3", "editions"] as const);
  const enums: En[] = [{ name: "Status", values: [["STATUS_UNSPECIFIED", 0], ["STATUS_A", 1], ["STATUS_B", 2]], resNums: [], resNames: [], alias: false }];
  if (rnd() < 0.5) enums.push({ name: "Kind", values: [["KIND_UNSPECIFIED", 0], ["KIND_X", 1]], resNums: [], resNames: [], alias: false });
  const msgs: Msg[] = [];
  for (const name of ["Order", "Money", "Item"].slice(0, 1 + Math.floor(rnd() * 3))) {
    const fields = Array.from({ length: 2 + Math.floor(rnd() * 5) }, (_, i) => field(rnd, i + 1, syntax, msgs, enums));
    msgs.push({ name, fields, resNums: rnd() < 0.3 ? [50, 51] : [], resNames: rnd() < 0.3 ? ["legacy"] : [] });
  }
  const rpc = rnd() < 0.3 ? { in: msgs[0]!.name, out: msgs[msgs.length - 1]!.name, cs: false, ss: false, idem: "" } : undefined;
  return { syntax, pkg: "shop.v1", msgs, enums, rpc };
}

function field(rnd: () => number, num: number, syntax: Syntax, msgs: Msg[], enums: En[]): Field {
  const r = rnd();
  const type = r < 0.6 || msgs.length === 0 ? pick(rnd, SCALARS) : r < 0.8 ? pick(rnd, msgs).name : pick(rnd, enums).name;
  const labels: Label[] = syntax === "proto2" ? ["optional", "optional", "repeated", "required"] : syntax === "proto3" ? ["", "", "optional", "repeated"] : ["", "", "repeated"];
  const f: Field = { name: `f_${num}_${pick(rnd, ["a", "b", "c"])}`, num, type, label: pick(rnd, labels) };
  if (rnd() < 0.15 && f.label !== "required") {
    f.map = [pick(rnd, ["string", "int32", "int64", "bool"]), pick(rnd, [...SCALARS.slice(0, 4), ...enums.map((e) => e.name)])];
    f.label = "";
  }
  if (syntax !== "proto3" && !f.map && f.label !== "repeated" && rnd() < 0.2 && SCALARS.includes(type) && type !== "bytes" && type !== "string") {
    f.def = type === "bool" ? "true" : String(Math.floor(rnd() * 5));
  }
  return f;
}

function mutate(src: Schema, rnd: () => number): [string, string] {
  const t: Schema = structuredClone(src);
  const done: string[] = [];
  for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) {
    const m = pick(rnd, t.msgs);
    const f = m.fields.length ? pick(rnd, m.fields) : undefined;
    const e = pick(rnd, t.enums);
    const op = pick(rnd, ["delField", "delFieldReserve", "type", "rename", "renumber", "json", "oneof", "label", "addField",
      "delEnumValue", "renameEnumValue", "alias", "reserve", "unreserve", "package", "default", "mapType", "renameMessage",
      "syntax", "rpc", "enumReserve", "enumUnreserve", "reorderEnum"] as const);
    done.push(op);
    if (op === "delField" && f) m.fields.splice(m.fields.indexOf(f), 1);
    if (op === "delFieldReserve" && f) {
      m.fields.splice(m.fields.indexOf(f), 1);
      if (rnd() < 0.7) m.resNums.push(f.num);
      if (rnd() < 0.7) m.resNames.push(f.name);
    }
    if (op === "type" && f) {
      f.type = rnd() < 0.7 ? pick(rnd, SCALARS) : pick(rnd, [...t.msgs.map((x) => x.name), ...t.enums.map((x) => x.name)]);
      if (!SCALARS.includes(f.type)) delete f.def;
    }
    if (op === "rename" && f) f.name += pick(rnd, ["x", "_y"]);
    if (op === "renumber" && f) f.num = 20 + Math.floor(rnd() * 10);
    if (op === "json" && f) f.json = f.json ? undefined : pick(rnd, ["alt", "fA", f.name]);
    if (op === "oneof" && f && !f.map && f.label !== "repeated" && f.label !== "required") {
      f.oneof = f.oneof ? (rnd() < 0.5 ? undefined : `${f.oneof}2`) : "choice";
      delete f.def;
    }
    if (op === "label" && f && !f.map) {
      f.label = pick(rnd, t.syntax === "proto2" ? ["optional", "repeated", "required"] : t.syntax === "editions" ? ["", "repeated", "required"] : ["", "optional", "repeated"]);
      if (f.label === "repeated") delete f.def;
      if (f.label === "repeated" || f.label === "required") delete f.oneof;
    }
    if (op === "addField") m.fields.push(field(rnd, 30 + Math.floor(rnd() * 10), t.syntax, t.msgs, t.enums));
    if (op === "delEnumValue" && e.values.length > 1) {
      const [name, n] = e.values.splice(1 + Math.floor(rnd() * (e.values.length - 1)), 1)[0]!;
      if (rnd() < 0.5) e.resNums.push(n);
      if (rnd() < 0.5) e.resNames.push(name);
    }
    if (op === "renameEnumValue" && e.values.length > 1) e.values[1]![0] += "_R";
    if (op === "alias") {
      e.alias = true;
      e.values.push([`${e.values[0]![0]}_ALIAS`, e.values[e.values.length - 1]![1]]);
    }
    if (op === "reserve") m.resNums.push(60 + Math.floor(rnd() * 5));
    if (op === "unreserve") (m.resNums.pop(), m.resNames.pop());
    if (op === "package") t.pkg = pick(rnd, ["", "shop.v2"]);
    if (op === "default" && f && f.def !== undefined) f.def = f.type === "bool" ? "false" : "9";
    if (op === "mapType" && f?.map) f.map = [pick(rnd, ["string", "int64"]), pick(rnd, ["int32", "string", "bytes"])];
    if (op === "renameMessage") {
      const old = m.name;
      m.name += "V2";
      for (const y of t.msgs.flatMap((x) => x.fields)) if (y.type === old && rnd() < 0.7) y.type = m.name;
      if (t.rpc?.in === old) t.rpc.in = m.name;
      if (t.rpc?.out === old) t.rpc.out = m.name;
    }
    if (op === "syntax") changeSyntax(t);
    if (op === "rpc" && t.rpc) {
      const w = pick(rnd, ["cs", "ss", "idem", "in", "out"] as const);
      if (w === "cs" || w === "ss") t.rpc[w] = !t.rpc[w];
      else if (w === "idem") t.rpc.idem = pick(rnd, ["", "IDEMPOTENT", "NO_SIDE_EFFECTS"]);
      else t.rpc[w] = pick(rnd, t.msgs).name;
    }
    if (op === "enumReserve") (e.resNums.push(40), e.resNames.push(`OLD_${e.name.toUpperCase()}`));
    if (op === "enumUnreserve") (e.resNums.pop(), e.resNames.pop());
    if (op === "reorderEnum" && t.syntax !== "proto3") e.values.reverse();
  }
  return [render(t), done.join(",")];
}

function changeSyntax(t: Schema): void {
  t.syntax = t.syntax === "proto3" ? "proto2" : t.syntax === "proto2" ? "editions" : "proto3";
  for (const y of t.msgs.flatMap((x) => x.fields)) {
    if (t.syntax === "proto2" && y.label === "" && !y.map && !y.oneof) y.label = "optional";
    if (t.syntax === "editions" && y.label === "optional") y.label = "";
    if (t.syntax === "proto3") {
      delete y.def;
      if (y.label === "required") y.label = "";
    }
  }
}

function render(s: Schema): string {
  const out = [s.syntax === "editions" ? 'edition = "2023";' : `syntax = "${s.syntax}";`, s.pkg ? `package ${s.pkg};` : ""];
  const reserved = (nums: number[], names: string[]) => [
    ...(nums.length ? [`  reserved ${nums.join(", ")};`] : []),
    ...(names.length ? [`  reserved ${names.map((x) => `"${x}"`).join(", ")};`] : []),
  ];
  for (const e of s.enums) {
    out.push(`enum ${e.name} {`, ...(e.alias ? ["  option allow_alias = true;"] : []), ...e.values.map(([n, v]) => `  ${n} = ${v};`), ...reserved(e.resNums, e.resNames), "}");
  }
  for (const m of s.msgs) {
    out.push(`message ${m.name} {`, ...m.fields.filter((f) => !f.oneof).map((f) => `  ${fieldLine(f, s.syntax)}`));
    for (const o of new Set(m.fields.flatMap((f) => (f.oneof ? [f.oneof] : [])))) {
      out.push(`  oneof ${o} {`, ...m.fields.filter((f) => f.oneof === o).map((f) => `    ${fieldLine({ ...f, label: "" }, s.syntax)}`), "  }");
    }
    out.push(...reserved(m.resNums, m.resNames), "}");
  }
  if (s.rpc) {
    const r = s.rpc;
    const body = r.idem ? ` { option idempotency_level = ${r.idem}; }` : ";";
    out.push("service Api {", `  rpc Call(${r.cs ? "stream " : ""}${r.in}) returns (${r.ss ? "stream " : ""}${r.out})${body}`, "}");
  }
  return `${out.join("\n")}\n`;
}

function fieldLine(f: Field, syntax: Syntax): string {
  const opts = [...(f.json ? [`json_name = "${f.json}"`] : []), ...(f.def !== undefined ? [`default = ${f.def}`] : [])];
  let label = f.label;
  if (syntax === "editions" && label === "required") {
    label = "";
    opts.push("features.field_presence = LEGACY_REQUIRED");
  }
  const type = f.map ? `map<${f.map[0]}, ${f.map[1]}>` : f.type;
  return `${label ? `${label} ` : ""}${type} ${f.name} = ${f.num}${opts.length ? ` [${opts.join(", ")}]` : ""};`;
}
