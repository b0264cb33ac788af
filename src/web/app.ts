/**
 * The page's frame: a header with the navigation and the sign-in state, the token dialog
 * shown when the API asks for a token, and the page of the current route.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { currentToken, onTokenNeeded, setToken } from "./api.ts";
import { Modal } from "./components/common.ts";
import { html } from "./html.ts";
import { InstancePage } from "./pages/instance.ts";
import { InstancesPage } from "./pages/instances.ts";
import { MeterPage } from "./pages/meter.ts";
import { MonitorPage } from "./pages/monitor.ts";
import { PortsPage } from "./pages/ports.ts";
import { ToolsPage } from "./pages/tools.ts";
import { type Route, useRoute } from "./router.ts";

function Login(
  props: { onDone: (token: string | null) => void },
): preact.JSX.Element {
  const [value, setValue] = useState("");
  return html`
    <${Modal} title="Sign in" onClose=${() => props.onDone(null)}>
      <form onSubmit=${(e: Event) => {
        e.preventDefault();
        props.onDone(value);
      }}>
        <p>This gateway requires its API token for changes.</p>
        <label for="login-token">API token</label>
        <input id="login-token" type="password" autocomplete="current-password"
          autofocus value=${value}
          onInput=${(e: Event) =>
            setValue((e.currentTarget as HTMLInputElement).value)} />
        <div class="buttons">
          <button type="button" onClick=${() =>
            props.onDone(null)}>Cancel</button>
          <button type="submit" class="primary">Sign in</button>
        </div>
      </form>
      </${Modal}>
  `;
}

function Page(props: { route: Route }): preact.JSX.Element {
  const r = props.route;
  switch (r.page) {
    case "instance":
      return html`<${InstancePage} key=${r.name} name=${r.name} tab=${r.tab} />`;
    case "meter":
      return html`<${MeterPage} key=${`${r.name}/${r.meter}`} name=${r.name} meter=${r.meter} />`;
    case "ports":
      return html`<${PortsPage} />`;
    case "tools":
      return html`<${ToolsPage} key=${r.hex ?? ""} hex=${r.hex} />`;
    case "monitor":
      return html`<${MonitorPage} />`;
    default:
      return html`<${InstancesPage} />`;
  }
}

/**
 * The whole page.
 *
 * @returns The element.
 */
export function App(): preact.JSX.Element {
  const route = useRoute();
  const [asking, setAsking] = useState<((t: string | null) => void) | null>(
    null,
  );
  const [signedIn, setSignedIn] = useState(currentToken() !== "");
  useEffect(() => {
    onTokenNeeded(() =>
      new Promise((resolve) => {
        setAsking(() => (t: string | null) => {
          setAsking(null);
          if (t !== null) setSignedIn(true);
          resolve(t);
        });
      })
    );
  }, []);
  const current = route.page === "ports" || route.page === "tools" ||
      route.page === "monitor"
    ? route.page
    : "instances";
  return html`<div class="app">
    <a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="#/">mbusgw</a>
      <nav aria-label="Main">
        <a href="#/" aria-current=${
    current === "instances" ? "page" : undefined
  }>Instances</a>
        <a href="#/ports" aria-current=${
    current === "ports" ? "page" : undefined
  }>Serial ports</a>
        <a href="#/monitor" aria-current=${
    current === "monitor" ? "page" : undefined
  }>Monitor</a>
        <a href="#/tools" aria-current=${
    current === "tools" ? "page" : undefined
  }>Tools</a>
        <a href="/openapi.json">API</a>
      </nav>
      ${
    signedIn
      ? html`<button type="button" class="link" onClick=${() => {
        setToken("");
        setSignedIn(false);
      }}>Sign out</button>`
      : null
  }
    </header>
    <main id="main" tabindex="-1"><${Page} route=${route} /></main>
    ${asking ? html`<${Login} onDone=${asking} />` : null}
  </div>`;
}
