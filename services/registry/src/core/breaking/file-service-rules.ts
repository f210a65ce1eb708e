import type { SchemaModel } from "./model.js";
import type { Report } from "./violation.js";

/** FILE_SAME_PACKAGE for files present on both sides (by path), and the RPC rules for methods on both sides. */
export function fileAndServiceRules(cur: SchemaModel, prev: SchemaModel, report: Report): void {
  for (const [path, pkg] of prev.filePackages) {
    const now = cur.filePackages.get(path);
    if (now !== undefined && now !== pkg) {
      report("FILE_SAME_PACKAGE", path, path, `File "${path}" changed package from "${pkg}" to "${now}"; every type in it got a new full name.`);
    }
  }
  for (const [service, pmethods] of prev.methods) {
    const cmethods = cur.methods.get(service);
    if (!cmethods) continue;
    for (const [name, pm] of pmethods) {
      const cm = cmethods.get(name);
      if (!cm) continue;
      const rpc = `RPC "${name}" on service "${cm.service}"`;
      const at = (rule: Parameters<Report>[0], message: string) => report(rule, cm.path, cm.file, message);
      const streaming = (s: boolean) => (s ? "streaming" : "unary");
      if (pm.clientStreaming !== cm.clientStreaming) {
        at("RPC_SAME_CLIENT_STREAMING", `${rpc} changed from client ${streaming(pm.clientStreaming)} to client ${streaming(cm.clientStreaming)}.`);
      }
      if (pm.serverStreaming !== cm.serverStreaming) {
        at("RPC_SAME_SERVER_STREAMING", `${rpc} changed from server ${streaming(pm.serverStreaming)} to server ${streaming(cm.serverStreaming)}.`);
      }
      if (pm.inputType !== cm.inputType) {
        at("RPC_SAME_REQUEST_TYPE", `${rpc} changed request type from "${pm.inputType.replace(/^\./, "")}" to "${cm.inputType.replace(/^\./, "")}".`);
      }
      if (pm.outputType !== cm.outputType) {
        at("RPC_SAME_RESPONSE_TYPE", `${rpc} changed response type from "${pm.outputType.replace(/^\./, "")}" to "${cm.outputType.replace(/^\./, "")}".`);
      }
      if (pm.idempotencyLevel !== cm.idempotencyLevel) {
        at("RPC_SAME_IDEMPOTENCY_LEVEL", `${rpc} changed option "idempotency_level" from ${pm.idempotencyLevel} to ${cm.idempotencyLevel}.`);
      }
    }
  }
}
