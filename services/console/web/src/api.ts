/** An API failure as the console's backend reports it: a stable reason and a sentence. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Calls the console's backend; the session cookie goes along by itself (the page never sees the key). */
export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(path, {
    method: init?.method ?? "GET",
    headers: init?.body !== undefined ? { "content-type": "application/json" } : {},
    body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
    credentials: "same-origin",
  });
  const text = await res.text();
  let data: unknown = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, "BAD_RESPONSE", `the console answered ${res.status} with no JSON`);
  }
  if (!res.ok) {
    const e = data as { reason?: string; message?: string };
    throw new ApiError(res.status, e.reason ?? "UNKNOWN", e.message ?? `HTTP ${res.status}`);
  }
  return data as T;
}

/** The signed-in visitor. */
export interface Me {
  tenant: string;
  keyId: string;
  scopes: string[];
}

/** A typed result cell from the Query RPC. */
export type Cell = null | { k: string; v: string | number | boolean };

/** A collected query result. */
export interface QueryResult {
  sql: string;
  columns: { name: string; type: string; nullable: boolean }[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  elapsedMs: number;
}

/** Freshness of an answer: the newest receive time in the warehouse for the tenant. */
export type { WarehouseFreshness as Freshness } from "../../src/api/wire";
