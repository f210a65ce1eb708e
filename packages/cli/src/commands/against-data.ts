import { CheckAgainstDataRequest, type CheckAgainstDataReport } from "@trackway/proto/compute/v1";
import { EnforcementMode } from "@trackway/proto/registry/v1";
import { describeError, interactive, note } from "../output.js";
import { computeClient, seconds } from "./query.js";
import type { TlsFlags } from "./tls.js";

/** Options of `schema check --against-data`. */
export interface AgainstDataOpts extends TlsFlags {
  againstData?: string;
  sampleLimit?: string;
  enforcement?: string;
  compute: string;
  apiKey?: string;
}

/** The enforcement to try: the flag, else the subject's current one (what the new version inherits), else REJECT. */
export function enforcementToTry(flag: string | undefined, current: EnforcementMode | undefined): string {
  if (flag) {
    const e = flag.toUpperCase();
    if (!["REJECT", "WARN", "OFF"].includes(e)) throw new Error(`--enforcement must be REJECT, WARN or OFF, not "${flag}"`);
    return e;
  }
  if (current === undefined || current === EnforcementMode.ENFORCEMENT_MODE_UNSPECIFIED || current === EnforcementMode.UNRECOGNIZED) return "REJECT";
  return EnforcementMode[current].replace("ENFORCEMENT_MODE_", "");
}

/** The report as lines for people (stdout). */
export function formatReport(subject: string, r: CheckAgainstDataReport): string[] {
  const days = r.range?.start && r.range.end ? ` from ${r.range.start.toISOString()} to ${r.range.end.toISOString()}` : "";
  const lines = [
    `${subject}\tagainst data: ${r.eventsChecked} events${days}${r.sampled ? " (sampled: the newest only)" : ""}, enforcement ${r.enforcement}`,
    `  would reject ${r.wouldReject} (decode failures ${r.decodeFailures}, rule violations ${r.enforcement === "REJECT" ? r.ruleViolations : 0}), would warn ${r.wouldWarn}, pass ${r.passed}`,
  ];
  for (const c of r.rules) lines.push(`  ${c.events}\t${c.ruleId}\t${c.fieldPath || "(message)"}`);
  for (const x of r.examples) lines.push(`  e.g. ${x.eventId} (v${x.schemaVersion})\t${x.kind}\t${x.fieldPath || "(message)"}\t${x.ruleId}\t${x.message}`);
  return lines;
}

/** Runs CheckAgainstData for a compiled candidate; progress on stderr, the report on stdout; returns it. */
export async function againstData(opts: AgainstDataOpts, subject: string, candidate: { descriptorSet: Uint8Array; messageName: string }, enforcement: string): Promise<CheckAgainstDataReport> {
  const window = seconds(opts.againstData!);
  const limit = opts.sampleLimit === undefined ? 0 : Number(opts.sampleLimit);
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`--sample-limit must be a positive integer, not "${opts.sampleLimit}"`);
  const c = computeClient({ ...opts, address: opts.compute });
  const req = CheckAgainstDataRequest.fromPartial({ eventName: subject, descriptorSet: Buffer.from(candidate.descriptorSet), messageName: candidate.messageName, window: { seconds: window, nanos: 0 }, sampleLimit: limit, enforcement });
  const started = Date.now();
  let report: CheckAgainstDataReport | undefined;
  try {
    for await (const m of c.checkAgainstData(req, { timeoutMs: 0 })) {
      const k = m.kind;
      if (k?.$case === "progress") {
        const line = `… ${subject}: ${k.value.stage === "READING" ? "reading ods_events" : `checked ${k.value.eventsRead} events`} (${((Date.now() - started) / 1000).toFixed(0)}s)`;
        if (interactive) process.stderr.write(`\r${line}`);
        else note(line);
      } else if (k?.$case === "report") report = k.value;
    }
  } catch (e) {
    if (interactive) process.stderr.write("\n");
    throw new Error(`${subject}: against data: ${describeError(e)} (compute gateway ${opts.compute})`);
  } finally {
    c.close();
  }
  if (interactive) process.stderr.write("\n");
  if (!report) throw new Error(`${subject}: the compute gateway ended the check without a report`);
  process.stdout.write(`${formatReport(subject, report).join("\n")}\n`);
  return report;
}
