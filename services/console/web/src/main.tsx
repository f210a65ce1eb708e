import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, type Me } from "./api";
import { CatalogPage } from "./pages/catalog";
import { FailuresPage } from "./pages/failures";
import { InsightsPage } from "./pages/insights";
import { JobsPage } from "./pages/jobs";
import { LivePage } from "./pages/live";
import { SignIn } from "./pages/sign-in";
import "./styles.css";

const PAGES = [
  { id: "catalog", title: "Catalog", Page: CatalogPage },
  { id: "live", title: "Live events", Page: LivePage },
  { id: "failures", title: "Failures", Page: FailuresPage },
  { id: "insights", title: "Insights", Page: InsightsPage },
  { id: "jobs", title: "Jobs", Page: JobsPage },
] as const;

/** The page and its sub-path from the URL's hash, e.g. `#/catalog/shop.page_viewed`. */
function route(): { page: string; rest: string[] } {
  const [page = "catalog", ...rest] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  return { page: page || "catalog", rest };
}

function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [where, setWhere] = useState(route());
  useEffect(() => {
    api<Me>("/api/session").then(setMe, (e: unknown) => setMe(e instanceof ApiError && e.status === 401 ? null : null));
    const onHash = () => setWhere(route());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const page = PAGES.find((p) => p.id === where.page) ?? PAGES[0];
  useEffect(() => {
    document.title = `${page.title} · Trackway console`;
    document.getElementById("main")?.focus();
  }, [page.id]);
  if (me === undefined) return <p class="muted boot">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  const signOut = () => api("/api/session", { method: "DELETE" }).finally(() => setMe(null));
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <nav aria-label="Pages">
        <div class="brand">Trackway</div>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === page.id ? "page" : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        <div class="who">
          <div title="tenant">{me.tenant}</div>
          <div class="muted small">{me.keyId}</div>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        <page.Page rest={where.rest} me={me} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById("app")!);
