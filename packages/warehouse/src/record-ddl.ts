import { columnDefinitions, kafkaColumns, ODS_PRIMARY_KEY, odsColumns, selectList } from "@trackway/envelope";

/** The blocks of job and table files generated from the record contract (`@trackway/envelope`'s `RECORD_FIELDS`). */
const BLOCKS: Record<string, () => string> = {
  "kafka-columns": () => columnDefinitions(kafkaColumns(), false),
  "ods-columns": () => `${columnDefinitions(odsColumns(), true)}\n  PRIMARY KEY (${ODS_PRIMARY_KEY.join(", ")}) NOT ENFORCED`,
  "ods-select": () => selectList(odsColumns()),
};

const BLOCK = /^(\s*-- generated:begin ([a-z-]+)[^\n]*\n)[\s\S]*?^(\s*-- generated:end[^\n]*)$/gm;

/**
 * Rewrites every `-- generated:begin <block>` … `-- generated:end` region of a SQL file with the text generated
 * from the record contract; `npm run generate:record` applies it to `jobs/`, and a unit test checks the files are current.
 */
export function renderRecordBlocks(sql: string): string {
  return sql.replace(BLOCK, (_m, begin: string, name: string, end: string) => {
    const render = BLOCKS[name];
    if (!render) throw new Error(`unknown generated block "${name}"; known: ${Object.keys(BLOCKS).join(", ")}`);
    return `${begin}${render()}\n${end}`;
  });
}

/** The names of the generated blocks a SQL file holds. */
export function recordBlocks(sql: string): string[] {
  return [...sql.matchAll(BLOCK)].map((m) => m[2]!);
}
