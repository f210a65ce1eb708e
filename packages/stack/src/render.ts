import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** Fills `{{name}}` placeholders of a template from `stack/conf/` and writes it to `outFile`; a missing value is an error. */
export async function renderTemplate(template: string, outFile: string, values: Record<string, string | number>): Promise<void> {
  const text = await readFile(template, "utf8");
  const out = text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template ${path.basename(template)} needs a value for {{${key}}}`);
    return String(v);
  });
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, out);
}
