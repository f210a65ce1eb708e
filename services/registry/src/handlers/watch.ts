import type { WatchRequest, WatchResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { auditAfter, auditHead } from "../store/audit.js";
import type { WatchHub } from "../store/watch-hub.js";
import type { AuditRecord } from "../store/types.js";

const toMessage = (e: AuditRecord): WatchResponse => ({ sequence: e.id, subject: e.subject, version: e.version, action: e.action });

/**
 * Watch: replays changes after `after_sequence` (0: none), then streams new ones as they commit, in sequence
 * order without gaps or repeats. It subscribes before replaying, so nothing committed in between is lost.
 */
export const watch = (deps: RegistryDeps, hub: WatchHub) =>
  async function* (req: WatchRequest, _call: unknown, signal: AbortSignal): AsyncIterable<WatchResponse> {
    const live = hub.subscribe();
    signal.addEventListener("abort", () => live.close(), { once: true });
    try {
      let last = req.afterSequence || (await auditHead(deps.pool));
      if (req.sendHead) yield { sequence: last, subject: "", version: 0, action: "HEAD" };
      for (;;) {
        const page = await auditAfter(deps.pool, last, 500);
        for (const e of page) {
          last = e.id;
          yield toMessage(e);
        }
        if (page.length < 500) break;
      }
      for await (const e of live) {
        if (e.id <= last) continue;
        last = e.id;
        yield toMessage(e);
      }
    } finally {
      live.close();
    }
  };
