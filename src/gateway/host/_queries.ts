/**
 * The read side of an instance for the API: record entries filtered by meter or text, meter
 * nodes, and `%mbus:` lookups that stay inside the instance.
 *
 * @module
 */
import {
  type AddressTree,
  type MbusPath,
  parseMbusPath,
  parseMeterName,
  type TreeEntry,
  type TreeLeaf,
  type TreeNode,
} from "../tree/mod.ts";

/** Filter of {@link findValues}. */
export interface ValuesFilter {
  /** Any meter name form. */
  address?: string;
  /** Same as `address` (older name). */
  meter?: string;
  /** Substring of path, unit or quantity. */
  q?: string;
}

/**
 * Record entries of a tree.
 *
 * @param tree The instance's tree.
 * @param filter Meter and text filter.
 * @returns The entries.
 */
export function findValues(
  tree: AddressTree,
  filter: ValuesFilter,
): TreeEntry[] {
  const given = filter.address ?? filter.meter;
  const meter = given === undefined
    ? undefined
    : parseMeterName(given)?.text ?? given.toUpperCase();
  return tree.entries({
    ...(meter === undefined ? {} : { meter }),
    ...(filter.q === undefined ? {} : { q: filter.q }),
  });
}

/**
 * Looks up a `%mbus:` path in one instance's tree. A path that names another instance or
 * another cluster gives undefined; `%mbus:…` is taken as this instance's.
 *
 * @param tree The instance's tree.
 * @param self The instance's name and cluster.
 * @param path The path (text or parsed).
 * @returns Node, entry or leaf; undefined when absent, elsewhere or malformed.
 */
export function lookupPath(
  tree: AddressTree,
  self: { name: string; cluster: number },
  path: string | MbusPath,
): TreeEntry | TreeNode | TreeLeaf | undefined {
  let p: MbusPath;
  if (typeof path === "string") {
    const r = parseMbusPath(path);
    if (!r.ok) return undefined;
    p = r.value;
  } else p = path;
  if (p.instance !== undefined && p.instance !== self.name) return undefined;
  if (p.cluster !== undefined && p.cluster !== self.cluster) return undefined;
  return tree.lookup(p);
}
