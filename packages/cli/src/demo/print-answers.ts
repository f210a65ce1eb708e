import type { DemoAnswers } from "./expected.js";

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);

/** The answers as people read them: tables of hourly counts, unique users, the funnel and the rejections. */
export function formatAnswers(a: DemoAnswers, examples: Record<string, string>): string {
  const out: string[] = ["", "Events per hour (UTC), distinct events and users", `  ${pad("hour", 18)}${pad("event", 24)}${lpad("events", 7)}${lpad("users", 7)}`];
  for (const h of a.hourly) out.push(`  ${pad(h.hour.slice(0, 16).replace("T", " "), 18)}${pad(h.eventName, 24)}${lpad(h.events, 7)}${lpad(h.users, 7)}`);
  out.push("", `Unique users: ${a.uniqueUsers}`, "", "Funnel (each step within 1 hour of the first, in order)");
  const first = a.funnel[0]?.users ?? 0;
  a.funnel.forEach((s, i) => out.push(`  ${i + 1}. ${pad(s.step, 24)}${lpad(s.users, 6)}  ${lpad(first ? ((100 * s.users) / first).toFixed(1) : "0.0", 5)}%`));
  out.push("", "Rejected events");
  for (const [reason, n] of Object.entries(a.rejected)) out.push(`  ${pad(reason, 26)}${lpad(n, 4)}  e.g. ${examples[reason] ?? ""}`);
  return out.join("\n");
}
