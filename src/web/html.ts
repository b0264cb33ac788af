/**
 * The page's one template tag: htm bound to Preact's `h`, so components are written as
 * tagged templates without a JSX build step.
 *
 * @module
 */
import { h } from "preact";
import htmModule from "htm";

type Bind = {
  bind(h: unknown): (s: TemplateStringsArray, ...v: unknown[]) => unknown;
};
// The package's types describe a CommonJS default; bundled, the default is the function.
const htm = ((htmModule as unknown as { default?: Bind }).default ??
  htmModule) as unknown as Bind;

/** Tagged template producing Preact elements. */
export const html = htm.bind(h) as (
  strings: TemplateStringsArray,
  ...values: unknown[]
) => preact.JSX.Element;

/** A Preact child as the components pass it around. */
export type Child = preact.ComponentChildren;
