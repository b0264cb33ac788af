/**
 * Entry point of the web console's bundle: renders the app into `<body>`.
 *
 * @module
 */
import { render } from "preact";
import { App } from "./app.ts";
import { html } from "./html.ts";

const root = document.getElementById("app");
if (root) render(html`<${App} />`, root);
