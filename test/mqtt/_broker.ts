/**
 * A real mosquitto for the MQTT tests: started on a free loopback port with a temporary
 * configuration (optionally TLS with a certificate made by `openssl` in the test, and a
 * password file made by `mosquitto_passwd`), restartable on the same port with its
 * persistence, and a subscriber that collects every message it sees.
 *
 * @module
 */
import mqtt from "mqtt";
import type { MqttClient } from "mqtt";
import { freePort, until } from "../_helpers/net.ts";

const CANDIDATES = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"];

/** Path of the mosquitto binary, or undefined (tests then skip with a printed reason). */
export function mosquittoPath(): string | undefined {
  for (const p of CANDIDATES) {
    try {
      if (Deno.statSync(p).isFile) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why the broker tests skip, or undefined when they can run. */
export function skipReason(): string | undefined {
  return mosquittoPath() === undefined
    ? "mosquitto is not installed (apt-get install mosquitto; .ci/run installs it)"
    : undefined;
}

/** TLS files of a test broker. */
export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

/** Options of {@link startBroker}. */
export interface BrokerOptions {
  /** Serve TLS with these files. */
  tls?: TlsFiles;
  /** Require this user and password. */
  user?: { name: string; password: string };
}

/** A running broker. */
export interface Broker {
  port: number;
  url: string;
  dir: string;
  /** Stops the broker (SIGTERM: it saves its persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function canConnect(port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    c.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts mosquitto on a free port.
 *
 * @param options TLS, user.
 * @returns The broker.
 */
export async function startBroker(
  options: BrokerOptions = {},
): Promise<Broker> {
  const bin = mosquittoPath();
  if (!bin) throw new Error("mosquitto is not installed");
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-mqtt-broker-" });
  const port = freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    "persistence true",
    `persistence_location ${dir}/`,
    "log_dest none",
    "max_queued_messages 100000",
  ];
  // As root, mosquitto would drop to the user "mosquitto", who cannot read our temp files.
  if (Deno.uid() === 0) lines.push("user root");
  if (options.tls) {
    lines.push(
      `cafile ${options.tls.ca}`,
      `certfile ${options.tls.cert}`,
      `keyfile ${options.tls.key}`,
    );
  }
  if (options.user) {
    const pw = `${dir}/passwords`;
    await Deno.writeTextFile(pw, "");
    await Deno.chmod(pw, 0o600);
    await run("mosquitto_passwd", [
      "-b",
      pw,
      options.user.name,
      options.user.password,
    ]);
    lines.push("allow_anonymous false", `password_file ${pw}`);
  } else {
    lines.push("allow_anonymous true");
  }
  const conf = `${dir}/mosquitto.conf`;
  await Deno.writeTextFile(conf, lines.join("\n") + "\n");
  let child: Deno.ChildProcess | undefined;
  const broker: Broker = {
    port,
    url: `${options.tls ? "mqtts" : "mqtt"}://127.0.0.1:${port}`,
    dir,
    async start() {
      if (child) return;
      child = new Deno.Command(bin, {
        args: ["-c", conf],
        stdout: "null",
        stderr: "null",
      }).spawn();
      let ok = false;
      for (let i = 0; i < 500 && !ok; i++) {
        ok = await canConnect(port);
        if (!ok) await new Promise((r) => setTimeout(r, 10));
      }
      if (!ok) throw new Error(`mosquitto did not listen on ${port}`);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c) return;
      try {
        c.kill("SIGTERM");
      } catch {
        // already gone
      }
      await c.status;
    },
    async [Symbol.asyncDispose]() {
      await broker.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  await broker.start();
  return broker;
}

/** A message as the subscriber saw it. */
export interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
}

/** A subscriber that records everything on its topics. */
export interface Subscriber {
  client: MqttClient;
  seen: Seen[];
  /** Last payload seen on a topic. */
  last(topic: string): string | undefined;
  /** Waits until a topic's last payload satisfies `check`. */
  waitFor(
    topic: string,
    check: (payload: string) => boolean,
    what?: string,
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * Connects a subscriber (persistent session when `clientId` is given, so that it misses
 * nothing across a broker restart).
 *
 * @param url Broker URL.
 * @param topics Filters.
 * @param options Client id (persistent session), extra client options.
 * @returns The subscriber, subscribed.
 */
export async function subscribe(
  url: string,
  topics: string[],
  options: { clientId?: string; client?: mqtt.IClientOptions } = {},
): Promise<Subscriber> {
  const client = await mqtt.connectAsync(url, {
    reconnectPeriod: 100,
    ...(options.clientId ? { clientId: options.clientId, clean: false } : {}),
    ...options.client,
  });
  const seen: Seen[] = [];
  client.on("message", (topic, payload, packet) => {
    seen.push({ topic, payload: payload.toString(), retain: packet.retain });
  });
  if (topics.length > 0) await client.subscribeAsync(topics, { qos: 1 });
  const last = (topic: string) =>
    seen.findLast((s) => s.topic === topic)?.payload;
  return {
    client,
    seen,
    last,
    async waitFor(topic, check, what) {
      await until(
        () => {
          const p = last(topic);
          return p !== undefined && check(p);
        },
        what ?? topic,
        1500,
      );
      return last(topic) as string;
    },
    async close() {
      await client.endAsync(true);
    },
  };
}

/**
 * Makes a CA and a server certificate for 127.0.0.1 with openssl.
 *
 * @param dir Where to write them.
 * @returns The file paths.
 */
export async function makeCertificates(dir: string): Promise<TlsFiles> {
  const ca = `${dir}/ca.pem`;
  const caKey = `${dir}/ca.key`;
  const key = `${dir}/server.key`;
  const csr = `${dir}/server.csr`;
  const cert = `${dir}/server.pem`;
  const ext = `${dir}/ext.cnf`;
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=mbusgw test CA",
    "-keyout",
    caKey,
    "-out",
    ca,
  ]);
  await run("openssl", [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    key,
    "-out",
    csr,
  ]);
  await Deno.writeTextFile(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await run("openssl", [
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    ca,
    "-CAkey",
    caKey,
    "-CAcreateserial",
    "-days",
    "2",
    "-out",
    cert,
    "-extfile",
    ext,
  ]);
  return { ca, cert, key };
}

/** A WebSocket front of a TCP broker (the `mqtt` subprotocol, binary frames). */
export interface WsFront {
  url: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves MQTT over WebSocket on a free loopback port by relaying each WebSocket to a TCP
 * connection to the broker (Debian's mosquitto cannot open a websockets listener here).
 *
 * @param brokerPort The broker's TCP port.
 * @returns The ws:// URL and a disposer.
 */
export function startWsFront(brokerPort: number): WsFront {
  const conns = new Set<Deno.TcpConn>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      const { socket, response } = Deno.upgradeWebSocket(req, {
        protocol: "mqtt",
      });
      socket.binaryType = "arraybuffer";
      const pending: Uint8Array[] = [];
      let tcp: Deno.TcpConn | undefined;
      Deno.connect({ hostname: "127.0.0.1", port: brokerPort }).then(
        async (c) => {
          tcp = c;
          conns.add(c);
          for (const p of pending.splice(0)) await c.write(p);
          try {
            for await (const chunk of c.readable) {
              if (socket.readyState === WebSocket.OPEN) socket.send(chunk);
            }
          } catch {
            // closed
          }
          conns.delete(c);
          if (socket.readyState === WebSocket.OPEN) socket.close();
        },
      ).catch(() => socket.close());
      socket.onmessage = (e) => {
        const bytes = new Uint8Array(e.data as ArrayBuffer);
        if (tcp) tcp.write(bytes).catch(() => {});
        else pending.push(bytes);
      };
      socket.onclose = () => {
        try {
          tcp?.close();
        } catch {
          // already closed
        }
      };
      return response;
    },
  );
  return {
    url: `ws://127.0.0.1:${server.addr.port}/mqtt`,
    async [Symbol.asyncDispose]() {
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
      await server.shutdown();
    },
  };
}
