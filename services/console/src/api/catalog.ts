import {
  CheckCompatibilityRequest,
  CompatibilityMode,
  Lifecycle,
  ListAuditEntriesRequest,
  ListSubjectsRequest,
  ListVersionsRequest,
  type CheckCompatibilityResponse,
  type ListAuditEntriesResponse,
  type ListSubjectsResponse,
  type ListVersionsResponse,
  type SchemaVersion,
} from "@trackway/proto/registry/v1";
import { callUnary } from "../clients.js";
import { sideBySide } from "../core/side-by-side.js";
import { badRequest } from "../errors.js";
import type { Route, RouteContext } from "../http/router.js";

const modeName = (m: CompatibilityMode) => CompatibilityMode[m]?.replace("COMPATIBILITY_MODE_", "") ?? "UNSPECIFIED";
const lifecycleName = (l: Lifecycle) => Lifecycle[l]?.replace("LIFECYCLE_", "") ?? "UNSPECIFIED";

const registry = <Res>(ctx: RouteContext, method: string, type: { fromPartial(x: object): unknown }, req: object) =>
  callUnary<unknown, Res>(ctx.clients.registry, method, type, req, ctx.apiKey, ctx.clients.timeoutMs);

async function versionsOf(ctx: RouteContext, subject: string): Promise<SchemaVersion[]> {
  return (await registry<ListVersionsResponse>(ctx, "listVersions", ListVersionsRequest, { subject })).versions;
}

const versionView = (v: SchemaVersion) => ({
  version: v.version,
  schemaId: v.schemaId,
  messageName: v.messageName,
  fileName: v.fileName,
  lifecycle: lifecycleName(v.lifecycle),
  author: v.author,
  createdAt: v.createdAt?.toISOString() ?? null,
  references: v.references,
  protoSource: v.protoSource,
});

/** The Catalog page's routes: subjects, a subject's versions and audit log, a diff with its compatibility verdict. */
export const catalogRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/catalog/subjects",
    handler: async (ctx) => {
      const r = await registry<ListSubjectsResponse>(ctx, "listSubjects", ListSubjectsRequest, { prefix: ctx.url.searchParams.get("prefix") ?? "" });
      return {
        subjects: r.subjects.map((s) => ({
          name: s.name,
          description: s.description,
          owners: s.owners,
          compatibility: modeName(s.effectiveCompatibility),
          ownMode: s.compatibility !== CompatibilityMode.COMPATIBILITY_MODE_UNSPECIFIED,
          latestVersion: s.latestVersion,
          createdAt: s.createdAt?.toISOString() ?? null,
        })),
      };
    },
  },
  {
    method: "GET",
    path: "/api/catalog/subjects/:subject/versions",
    handler: async (ctx) => ({ versions: (await versionsOf(ctx, ctx.params.subject!)).map(versionView) }),
  },
  {
    method: "GET",
    path: "/api/catalog/subjects/:subject/audit",
    handler: async (ctx) => {
      const r = await registry<ListAuditEntriesResponse>(ctx, "listAuditEntries", ListAuditEntriesRequest, { subject: ctx.params.subject, limit: 20 });
      return { entries: r.entries.map((e) => ({ id: e.id, version: e.version, action: e.action, actor: e.actor, at: e.at?.toISOString() ?? null })) };
    },
  },
  {
    method: "GET",
    path: "/api/catalog/subjects/:subject/diff",
    // The same comparison as `trackway schema diff`: lines, then violations in both directions (FULL).
    handler: async (ctx) => {
      const subject = ctx.params.subject!;
      const versions = await versionsOf(ctx, subject);
      const pick = (name: string, fallback: number | undefined) => {
        const n = Number(ctx.url.searchParams.get(name) ?? fallback);
        const v = versions.find((x) => x.version === n);
        if (!v) throw badRequest(`${subject} has no version ${Number.isNaN(n) ? ctx.url.searchParams.get(name) : n}`);
        return v;
      };
      const from = pick("from", versions.at(-2)?.version ?? versions.at(-1)?.version);
      const to = pick("to", versions.at(-1)?.version);
      const check = await registry<CheckCompatibilityResponse>(ctx, "checkCompatibility", CheckCompatibilityRequest, {
        subject,
        protoSource: to.protoSource,
        fileName: from.fileName,
        messageName: to.messageName,
        references: to.references,
        version: from.version,
        mode: CompatibilityMode.COMPATIBILITY_MODE_FULL,
      });
      return {
        subject,
        from: from.version,
        to: to.version,
        rows: sideBySide(from.protoSource, to.protoSource),
        verdict: { compatible: check.compatible, mode: modeName(check.mode), violations: check.violations },
      };
    },
  },
];
