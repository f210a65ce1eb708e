import { redactSecrets } from "./redact.js";
import { FlinkRestError, FlinkUnreachableError, SqlGatewayError } from "./errors.js";
import { rootCause } from "./root-cause.js";

/** Which Flink API a request goes to (it picks the error class). */
export type FlinkApi = "sql-gateway" | "rest";

/** One JSON request. */
export interface JsonRequest {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Answer `undefined` instead of throwing on 404. */
  allow404?: boolean;
  /** Parses the body text (e.g. losslessly); @default JSON.parse */
  parse?: (text: string) => unknown;
}

/** Flink's error answer `{ "errors": [...] }` as one text (its trace), or the raw text. */
export function errorDetails(text: string): string {
  try {
    return ((JSON.parse(text) as { errors?: string[] }).errors ?? [text]).join("\n");
  } catch {
    return text;
  }
}

/**
 * The one HTTP seam of both clients: sends JSON, parses JSON, throws FlinkUnreachableError when nothing answers
 * (an aborted `signal` rethrows the abort) and SqlGatewayError / FlinkRestError with Flink's trace on a non-2xx answer.
 */
export async function requestJson<T>(fetchFn: typeof fetch, api: FlinkApi, baseUrl: string, path: string, init: JsonRequest = {}): Promise<T> {
  const method = init.method ?? "GET";
  let res: Response;
  let text: string;
  try {
    res = await fetchFn(`${baseUrl}${path}`, {
      method,
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    text = await res.text();
  } catch (e) {
    if (init.signal?.aborted) throw e;
    throw new FlinkUnreachableError(baseUrl, e);
  }
  if (res.status === 404 && init.allow404) return undefined as T;
  if (!res.ok) {
    // Flink can echo a statement's options (a Kafka JAAS password) in its errors; they stop here.
    const details = redactSecrets(errorDetails(text));
    const what = `${method} ${path.split("?")[0]}`;
    const message = `${api === "rest" ? "Flink REST" : "SQL Gateway"} ${what} failed (${res.status}): ${rootCause(details)}`;
    throw api === "rest" ? new FlinkRestError(res.status, message, details) : new SqlGatewayError(res.status, message, details);
  }
  if (!text) return {} as T;
  return (init.parse ?? JSON.parse)(text) as T;
}

/** Waits `ms`, or less when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => (clearTimeout(t), resolve());
    // The listener goes when the timer fires: a long poll must not pile one up per page.
    const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
