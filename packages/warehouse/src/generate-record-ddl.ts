// Regenerates the record-contract blocks of jobs/ (npm run generate:record).
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderRecordBlocks } from "./record-ddl.js";
import { jobsDir } from "./warehouse.js";

for (const dir of [jobsDir, join(jobsDir, "tables")]) {
  for (const f of (await readdir(dir)).filter((n) => n.endsWith(".sql"))) {
    const path = join(dir, f);
    const text = await readFile(path, "utf8");
    const next = renderRecordBlocks(text);
    if (next !== text) {
      await writeFile(path, next);
      console.log(`updated ${path}`);
    }
  }
}
