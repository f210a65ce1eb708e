import type { ClientReadableStream } from "@grpc/grpc-js";
import { QueryRequest, type Column, type QueryResponse } from "@trackway/proto/compute/v1";
import { keyMetadata, type ServiceClients } from "../clients.js";
import { toCell, type Cell } from "../core/cells.js";

/** A whole query result as the pages use it. */
export interface QueryResult {
  sql: string;
  columns: Column[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

/** Runs one statement through the compute gateway's Query RPC with the visitor's key and collects its rows. */
export function runQuery(clients: ServiceClients, apiKey: string, sql: string, maxRows: number): Promise<QueryResult> {
  const req = QueryRequest.fromPartial({ sql, maxRows, timeout: { seconds: Math.ceil(clients.timeoutMs / 1000), nanos: 0 } });
  const out: QueryResult = { sql, columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs: 0 };
  return new Promise((resolve, reject) => {
    const stream: ClientReadableStream<QueryResponse> = clients.compute.query(req, keyMetadata(apiKey), { deadline: Date.now() + clients.timeoutMs + 5000 });
    stream.on("data", (m: QueryResponse) => {
      const k = m.kind;
      if (k?.$case === "columns") out.columns = k.value.columns;
      else if (k?.$case === "rows") for (const row of k.value.rows) out.rows.push(row.values.map(toCell));
      else if (k?.$case === "summary") {
        out.rowCount = k.value.rowCount;
        out.truncated = k.value.truncated;
        out.elapsedMs = (k.value.elapsed?.seconds ?? 0) * 1000 + Math.round((k.value.elapsed?.nanos ?? 0) / 1e6);
      }
    });
    stream.on("error", reject);
    stream.on("end", () => resolve(out));
  });
}
