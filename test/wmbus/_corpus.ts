// deno-lint-ignore-file no-console
/**
 * Reads the shared wireless corpus in place (never copied into the repository). Returns
 * null, with a printed reason, when ../shared is absent.
 *
 * @module
 */

/** One case of telegrams.json (the fields the wmbus tests use). */
export interface CorpusCase {
  /** Driver name. */
  driver: string;
  /** Key as hex, or null. */
  key: string | null;
  /** Telegram hex (no DLL CRCs, or a wired long frame). */
  telegram: string;
  /** Telegrams fed before. */
  "preceding_telegrams": string[];
  /** Expected wmbusmeters JSON. */
  expected: Record<string, unknown> & { id: string; meter: string };
}

const CORPUS_URL = new URL(
  "../../../shared/corpus/wmbus/telegrams.json",
  import.meta.url,
);

/** Loads the corpus or returns null (printing why). */
export function loadCorpus(): CorpusCase[] | null {
  try {
    return JSON.parse(Deno.readTextFileSync(CORPUS_URL)) as CorpusCase[];
  } catch (e) {
    console.log(
      `wmbus corpus tests skipped: cannot read ${CORPUS_URL.pathname}: ${
        e instanceof Error ? e.message : String(e)
      }`,
    );
    return null;
  }
}
