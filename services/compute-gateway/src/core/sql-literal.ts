/**
 * SQL literals for values that come from callers. Flink SQL string literals have no backslash escapes
 * (only `U&'…'` strings do, and we never produce those), so doubling `'` is a complete escape.
 */

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * A Flink SQL string literal: the text in single quotes, quotes doubled. A backslash is spliced in as `CHR(92)`,
 * so that no parser that reads `\'` as an escape (as the read-only guard's grammar does) can see the literal end
 * elsewhere than Flink does.
 */
export function stringLiteral(text: string): string {
  if (!text.includes("\\")) return quoted(text);
  return `(${text.split("\\").map(quoted).join(" || CHR(92) || ")})`;
}

/** A back-quoted identifier, back quotes doubled. */
export function identifier(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DD HH:MM:SS.fff` of an instant in UTC (warehouse timestamps are UTC without a zone). */
export function utcTimestampText(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** A `TIMESTAMP '…'` literal of an instant, in UTC like the warehouse's `TIMESTAMP(3)` columns. */
export function timestampLiteral(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError("invalid date");
  return `TIMESTAMP '${utcTimestampText(d)}'`;
}

/** `YYYY-MM-DD` of an instant in UTC (the warehouse's `event_date` partition value). */
export function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A BIGINT literal; refuses anything but a safe integer. */
export function integerLiteral(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${n} is not an integer`);
  // A bare literal would be INT when small; callers binding int64 values expect BIGINT semantics.
  return `CAST(${n} AS BIGINT)`;
}

/** A DOUBLE literal; refuses NaN and infinities, which have no literal form. */
export function doubleLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} has no SQL literal`);
  return `CAST(${JSON.stringify(n)} AS DOUBLE)`;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** An exact DECIMAL literal from its text; refuses anything but digits, one point and a sign. */
export function decimalLiteral(text: string): string {
  const t = text.trim();
  if (!DECIMAL.test(t)) throw new RangeError(`"${text}" is not a decimal number`);
  const digits = t.replace(/^[+-]/, "").replace(".", "").replace(/^0+(?=\d)/, "");
  if (digits.length > 38) throw new RangeError(`"${text}" has more than 38 digits`);
  return t.startsWith("-") ? `(${t})` : t.replace(/^\+/, "");
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;

/** A `DATE '…'` or `TIME '…'` literal from `YYYY-MM-DD` or `HH:MM:SS[.fff]` text. */
export function temporalLiteral(text: string): string {
  if (DATE.test(text)) return `DATE '${text}'`;
  if (TIME.test(text)) return `TIME '${text}'`;
  throw new RangeError(`"${text}" is neither YYYY-MM-DD nor HH:MM:SS[.fff]`);
}

/** An `X'…'` binary literal. */
export function bytesLiteral(bytes: Uint8Array): string {
  return `X'${Buffer.from(bytes).toString("hex")}'`;
}
