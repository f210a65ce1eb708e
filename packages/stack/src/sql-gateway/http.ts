import { StackError } from "../errors.js";

/** Thrown when the SQL Gateway answers with an error; `details` holds the server's full message (a Java trace). */
export class SqlGatewayError extends StackError {
  override name = "StackError";
  constructor(
    readonly status: number,
    message: string,
    readonly details: string,
  ) {
    super("SQL_GATEWAY_ERROR", message);
  }
}

/** The most telling line of a Flink error trace: the deepest `Caused by:`, else the first line. */
export function rootCause(trace: string): string {
  const causes = trace.split("\n").filter((l) => l.startsWith("Caused by: "));
  const line = causes.length > 0 ? causes[causes.length - 1]!.slice("Caused by: ".length) : (trace.split("\n")[0] ?? trace);
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** Minimal JSON-over-HTTP for the gateway: throws SqlGatewayError with the root cause on a non-2xx answer. */
export async function call<T>(fetchFn: typeof fetch, url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetchFn(url, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) {
    let details = text;
    try {
      details = ((JSON.parse(text) as { errors?: string[] }).errors ?? [text]).join("\n");
    } catch {
      // not JSON: keep the text
    }
    const what = `${init.method ?? "GET"} ${new URL(url).pathname}`;
    throw new SqlGatewayError(res.status, `SQL Gateway ${what} failed (${res.status}): ${rootCause(details.replace(/^Internal server error\.\n?/, ""))}`, details);
  }
  return (text ? JSON.parse(text) : {}) as T;
}
