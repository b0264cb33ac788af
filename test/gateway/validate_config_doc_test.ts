import assert from "node:assert/strict";
import {
  CONFIG_DOC_PATH,
  formatMarkdown,
  renderConfigDoc,
} from "../../scripts/gen_config_doc.ts";
import { configJsonSchema } from "../../src/gateway/mod.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("docs/config.md is what `deno task docs:config` generates from the schema", async () => {
  const committed = await Deno.readTextFile(new URL(CONFIG_DOC_PATH, ROOT));
  const fresh = await formatMarkdown(renderConfigDoc());
  assert.ok(
    committed === fresh,
    `${CONFIG_DOC_PATH} is stale: run "deno task docs:config"`,
  );
});

Deno.test("docs/config.md has a row for every key of every section", () => {
  const text = renderConfigDoc();
  type Node = {
    properties?: Record<string, Node>;
    items?: Node;
    anyOf?: Node[];
  };
  let keys = 0;
  const walk = (n: Node): void => {
    for (const [k, v] of Object.entries(n.properties ?? {})) {
      assert.ok(text.includes(`| \`${k}\` |`), k);
      keys++;
      walk(v);
    }
    if (n.items) walk(n.items);
    for (const a of n.anyOf ?? []) walk(a);
  };
  walk(configJsonSchema() as Node);
  assert.ok(keys >= 40, `${keys} keys`);
  for (
    const section of [
      "`api`",
      "`history`",
      "`gateways[]`",
      "`gateways[].addresses[]`",
    ]
  ) {
    assert.ok(text.includes(`## ${section}`), section);
  }
});
