/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it asserts the
 * shape of every line and returns the samples.
 *
 * @module
 */
import assert from "node:assert/strict";

/** A sample of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the text exposition format 0.0.4 (enough for our output). */
export function parsePrometheus(
  text: string,
): { samples: Sample[]; types: Map<string, string> } {
  assert.ok(text.endsWith("\n"), "ends in a newline");
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.startsWith("# HELP ")) {
      const name = line.split(" ")[2] ?? "";
      assert.ok(!helps.has(name), `one HELP for ${name}`);
      helps.add(name);
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [, , name = "", type = ""] = line.split(" ");
      assert.match(type, /^(counter|gauge|summary|histogram|untyped)$/);
      assert.ok(!types.has(name), `one TYPE for ${name}`);
      types.set(name, type);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `sample line: ${line}`);
    const labels: Record<string, string> = {};
    const inner = m[3] ?? "";
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let consumed = 0;
    for (const l of inner.matchAll(labelRe)) {
      labels[l[1] ?? ""] = (l[2] ?? "").replace(
        /\\(.)/g,
        (_, c) => (c === "n" ? "\n" : c),
      );
      consumed += l[0].length;
    }
    assert.equal(consumed, inner.length, `labels of ${line}`);
    const value = Number(
      m[4] === "+Inf" ? Infinity : m[4] === "-Inf" ? -Infinity : m[4],
    );
    assert.ok(!Number.isNaN(value) || m[4] === "NaN", `value of ${line}`);
    const name = m[1] ?? "";
    const family = name.replace(/_(sum|count|bucket)$/, "");
    assert.ok(types.has(name) || types.has(family), `TYPE before ${name}`);
    samples.push({ name, labels, value });
  }
  return { samples, types };
}
