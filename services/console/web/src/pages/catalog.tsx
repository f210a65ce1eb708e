import { useState } from "preact/hooks";
import { api } from "../api";
import { Empty, Loaded, useLoad, when } from "../ui";

interface Subject {
  name: string;
  description: string;
  owners: string[];
  compatibility: string;
  ownMode: boolean;
  latestVersion: number;
  createdAt: string | null;
}
interface Version {
  version: number;
  schemaId: number;
  messageName: string;
  fileName: string;
  lifecycle: string;
  author: string;
  createdAt: string | null;
  protoSource: string;
}
interface DiffRow {
  kind: "same" | "changed" | "removed" | "added";
  left: string | null;
  right: string | null;
  leftNo: number | null;
  rightNo: number | null;
}
interface Diff {
  subject: string;
  from: number;
  to: number;
  rows: DiffRow[];
  verdict: { compatible: boolean; mode: string; violations: { rule: string; path: string; message: string; againstVersion: number }[] };
}

/** Catalog: the subjects, one subject's versions with its .proto, and a side-by-side diff with the verdict. */
export function CatalogPage({ rest }: { rest: string[] }) {
  const [subjects, retry] = useLoad(() => api<{ subjects: Subject[] }>("/api/catalog/subjects"), []);
  const [filter, setFilter] = useState("");
  const selected = rest[0];
  return (
    <div class="catalog">
      <section class="list" aria-label="Subjects">
        <h1>Catalog</h1>
        <input type="search" placeholder="Filter subjects" aria-label="Filter subjects" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <Loaded load={subjects} retry={retry}>
          {({ subjects }) => {
            const shown = subjects.filter((s) => s.name.includes(filter));
            if (subjects.length === 0) return <Empty>No subjects yet. Push contracts with <code>trackway schema push</code>.</Empty>;
            return (
              <table class="subjects">
                <thead>
                  <tr>
                    <th>Subject · owners</th>
                    <th>Compatibility</th>
                    <th class="num">Latest</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((s) => (
                    <tr key={s.name} class={s.name === selected ? "selected" : ""}>
                      <td>
                        <a href={`#/catalog/${encodeURIComponent(s.name)}`} title={s.description}>
                          {s.name}
                        </a>
                        <div class="muted small">{s.owners.join(", ") || "no owner"}</div>
                      </td>
                      <td class="small">
                        {s.compatibility}
                        {!s.ownMode && <span class="muted small"> (default)</span>}
                      </td>
                      <td class="num">v{s.latestVersion}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          }}
        </Loaded>
      </section>
      <section class="detail" aria-label="Subject">
        {selected ? <SubjectDetail key={selected} subject={selected} subjects={subjects.state === "ok" ? subjects.value.subjects : []} /> : <Empty>Pick a subject to see its versions, .proto and diffs.</Empty>}
      </section>
    </div>
  );
}

function SubjectDetail({ subject, subjects }: { subject: string; subjects: Subject[] }) {
  const [versions, retry] = useLoad(() => api<{ versions: Version[] }>(`/api/catalog/subjects/${encodeURIComponent(subject)}/versions`), [subject]);
  const [shown, setShown] = useState<number | null>(null);
  const [pair, setPair] = useState<[number, number] | null>(null);
  const info = subjects.find((s) => s.name === subject);
  return (
    <div>
      <h2>{subject}</h2>
      {info && (
        <p class="muted">
          {info.description || "No description."} · owners: {info.owners.join(", ") || "none"} · compatibility {info.compatibility}
        </p>
      )}
      <Loaded load={versions} retry={retry}>
        {({ versions }) => {
          if (versions.length === 0) return <Empty>This subject has no versions.</Empty>;
          const current = versions.find((v) => v.version === shown) ?? versions.at(-1)!;
          const [from, to] = pair ?? [versions.at(-2)?.version ?? current.version, versions.at(-1)!.version];
          return (
            <>
              <table class="versions">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Lifecycle</th>
                    <th>Message</th>
                    <th>Schema id</th>
                    <th>Registered</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.version} class={v.version === current.version ? "selected" : ""}>
                      <td>
                        <button type="button" class="link" onClick={() => setShown(v.version)} aria-pressed={v.version === current.version}>
                          v{v.version}
                        </button>
                      </td>
                      <td>
                        <span class={`badge ${v.lifecycle.toLowerCase()}`}>{v.lifecycle}</span>
                      </td>
                      <td>{v.messageName}</td>
                      <td class="num">{v.schemaId}</td>
                      <td>
                        {when(v.createdAt)} <span class="muted small">by {v.author || "?"}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {versions.length > 1 && <div class="diff-pick">
                <VersionPick label="Compare v" name="Older version" versions={versions} value={from} onPick={(v) => setPair([v, to])} />
                <VersionPick label="with v" name="Newer version" versions={versions} value={to} onPick={(v) => setPair([from, v])} />
              </div>}
              {pair ? (
                <DiffView subject={subject} from={from} to={to} />
              ) : (
                <>
                  <h3>
                    {current.fileName} <span class="muted small">v{current.version}</span>
                  </h3>
                  <pre class="proto" tabIndex={0} aria-label={`.proto of version ${current.version}`}>
                    {current.protoSource}
                  </pre>
                  {versions.length > 1 && (
                    <button type="button" onClick={() => setPair([from, to])}>
                      Show diff v{from} → v{to}
                    </button>
                  )}
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

function DiffView({ subject, from, to }: { subject: string; from: number; to: number }) {
  const [diff, retry] = useLoad(() => api<Diff>(`/api/catalog/subjects/${encodeURIComponent(subject)}/diff?from=${from}&to=${to}`), [subject, from, to]);
  return (
    <Loaded load={diff} retry={retry}>
      {(d) => (
        <div class="diff" data-testid="diff">
          <div class={`verdict ${d.verdict.compatible ? "ok" : "bad"}`} data-testid="verdict" role="status">
            {d.verdict.compatible ? `Compatible under ${d.verdict.mode}: v${d.to} can replace v${d.from} both ways.` : `${d.verdict.violations.length} compatibility violation(s) under ${d.verdict.mode} between v${d.from} and v${d.to}`}
          </div>
          {d.verdict.violations.length > 0 && (
            <ul class="violations">
              {d.verdict.violations.map((v, i) => (
                <li key={i}>
                  <code>{v.rule}</code> <code class="muted">{v.path}</code> {v.message}
                </li>
              ))}
            </ul>
          )}
          <table class="side-by-side" aria-label={`Diff of v${d.from} and v${d.to}`}>
            {/* Fixed layout sizes columns by the first row: without these the header's two spans split the width in four. */}
            <colgroup>
              <col class="ln" />
              <col />
              <col class="ln" />
              <col />
            </colgroup>
            <thead>
              <tr>
                <th colSpan={2}>v{d.from}</th>
                <th colSpan={2}>v{d.to}</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r, i) => (
                <tr key={i} class={r.kind}>
                  <td class="ln">{r.leftNo ?? ""}</td>
                  <td class="code left">{r.left ?? ""}</td>
                  <td class="ln">{r.rightNo ?? ""}</td>
                  <td class="code right">{r.right ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Loaded>
  );
}

/** One side of the diff picker: a labelled select of the subject's versions. */
function VersionPick(p: { label: string; name: string; versions: Version[]; value: number; onPick: (version: number) => void }) {
  return (
    <label>
      {p.label}
      <select aria-label={p.name} value={p.value} onChange={(e) => p.onPick(Number((e.target as HTMLSelectElement).value))}>
        {p.versions.map((v) => (
          <option key={v.version} value={v.version}>
            {v.version}
          </option>
        ))}
      </select>
    </label>
  );
}
