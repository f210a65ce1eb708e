import { summarizeFailures } from "../core/failure-summary.js";
import { badRequest } from "../errors.js";
import type { Route } from "../http/router.js";
import type { RejectedTail } from "../store/rejected-tail.js";

/** The Failures page's route: the signed-in tenant's rejected events over the last `minutes`. */
export const failureRoutes = (tail: () => RejectedTail | undefined): Route[] => [
  {
    method: "GET",
    path: "/api/failures",
    handler: async (ctx) => {
      const minutes = Number(ctx.url.searchParams.get("minutes") ?? 60);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 1440) throw badRequest("minutes must be a whole number from 1 to 10080");
      const t = tail();
      const now = Date.now();
      // About 60 buckets whatever the range: minutes for an hour, hours for a few days.
      const bucketMs = Math.max(60_000, Math.ceil((minutes * 60_000) / 60 / 60_000) * 60_000);
      const summary = summarizeFailures(t?.of(ctx.principal.tenant) ?? [], now - minutes * 60_000, now, bucketMs);
      return { ready: t !== undefined, ...summary };
    },
  },
];
