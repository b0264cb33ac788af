/**
 * The broker connection: MQTT.js with the gateway's settings (URL, credentials, protocol 3.1.1
 * or 5, keep-alive, TLS files, the Last Will on the gateway's status topic), retried every
 * `reconnectMs` — also after the broker refused the credentials, which shows as the state
 * `refused` with the broker's reason, one log line per change of state.
 *
 * @module
 */
import { readTextBounded } from "../gateway/mod.ts";
import mqtt from "mqtt";
import type { IClientOptions, MqttClient } from "mqtt";
import { ConfigError } from "../util/mod.ts";
import type { MqttConfig } from "../gateway/mod.ts";

/** What the connection is doing. */
export type MqttState =
  | "connecting"
  | "online"
  | "offline"
  | "refused"
  | "closed";

/** An incoming message. */
export interface MqttMessage {
  /** Topic. */
  topic: string;
  /** Payload as text. */
  payload: string;
  /** MQTT 5 response topic, when given. */
  responseTopic: string | undefined;
  /** MQTT 5 correlation data as text, when given. */
  correlationData: string | undefined;
}

/** Options of {@link openConnection}. */
export interface ConnectionOptions {
  /** Client id to use. */
  clientId: string;
  /** The Last Will: `offline` on this topic, retained. */
  willTopic: string;
  /** Log line sink. @default none */
  log?: (line: string) => void;
  /** Called on every (re)connection, before queued messages flow. */
  onConnect?: () => void;
  /** Called when the state changes. */
  onState?: (state: MqttState) => void;
  /** Called for each message on a subscribed topic. */
  onMessage?: (m: MqttMessage) => void;
  /** The TLS files, read beforehand by {@link readTlsFiles}; read here when absent. */
  tls?: TlsFiles;
}

/** The contents of the `mqtt.tls` files that are configured. */
export interface TlsFiles {
  /** CA certificates (PEM). */
  readonly ca?: string;
  /** Client certificate (PEM). */
  readonly cert?: string;
  /** Client key (PEM). */
  readonly key?: string;
}

/** Largest certificate or key file read, bytes. */
const MAX_TLS_FILE_BYTES = 1024 * 1024;

async function readTlsFile(key: string, path: string | undefined) {
  if (path === undefined) return undefined;
  try {
    return await readTextBounded(path, MAX_TLS_FILE_BYTES);
  } catch (e) {
    throw new ConfigError(
      `mqtt.tls.${key}`,
      `Cannot read mqtt.tls.${key} "${path}": ${
        e instanceof Error ? e.message : String(e)
      }`,
      { cause: e },
    );
  }
}

/**
 * Reads the configured TLS files (each at most 1 MiB), so that a bad file is a config
 * error before anything starts.
 *
 * @param config The `mqtt` section.
 * @returns The files' contents.
 * @throws {ConfigError} `mqtt.tls.ca`, `.cert` or `.key` when a file cannot be read.
 */
export async function readTlsFiles(config: MqttConfig): Promise<TlsFiles> {
  const [ca, cert, key] = await Promise.all([
    readTlsFile("ca", config.tls.ca),
    readTlsFile("cert", config.tls.cert),
    readTlsFile("key", config.tls.key),
  ]);
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

/** A live broker connection. */
export class MqttConnection {
  readonly #client: MqttClient;
  readonly #o: ConnectionOptions;
  readonly #where: string;
  #state: MqttState = "connecting";
  #lastError = "";
  #connects = 0;
  #attempts = 1;
  #logged = "";

  /**
   * @param client The MQTT.js client.
   * @param where The broker, for log lines (no credentials).
   * @param options Callbacks.
   */
  constructor(client: MqttClient, where: string, options: ConnectionOptions) {
    this.#client = client;
    this.#where = where;
    this.#o = options;
    client.on("connect", () => {
      this.#connects++;
      this.#lastError = "";
      this.#setState("online");
      this.#o.onConnect?.();
    });
    client.on("error", (e: Error & { code?: unknown }) => {
      this.#lastError = e.message;
      // The broker's refusal (CONNACK: a numeric code, "Connection refused: Not
      // authorized"), not a TCP "connect ECONNREFUSED" of a broker that is not running.
      const refused = typeof e.code === "number" ||
        (e.code !== "ECONNREFUSED" &&
          /refused|not authori[sz]ed|bad user/i.test(e.message));
      this.#setState(refused ? "refused" : "offline");
    });
    client.on("close", () => {
      if (this.#state === "online" || this.#state === "connecting") {
        this.#setState("offline");
      }
    });
    client.on("reconnect", () => {
      this.#attempts++;
      if (this.#state !== "refused") this.#setState("connecting");
    });
    client.on("message", (topic, payload, packet) => {
      const props = packet.properties;
      this.#o.onMessage?.({
        topic,
        payload: new TextDecoder().decode(payload),
        responseTopic: props?.responseTopic,
        correlationData: props?.correlationData
          ? new TextDecoder().decode(props.correlationData)
          : undefined,
      });
    });
  }

  #setState(state: MqttState): void {
    if (this.#state === "closed" || state === this.#state) return;
    this.#state = state;
    const why = this.#lastError === "" ? "" : `: ${this.#lastError}`;
    const line = `mqtt: ${state}${
      state === "online" ? "" : why
    } (${this.#where})`;
    // A retry ("connecting") and the same failure again are not news: one line per outage.
    if (state !== "connecting" && line !== this.#logged) {
      this.#logged = line;
      this.#o.log?.(line);
    }
    this.#o.onState?.(state);
  }

  /** The state. */
  get state(): MqttState {
    return this.#state;
  }
  /** The last error the client reported ("" after a good connection). */
  get lastError(): string {
    return this.#lastError;
  }
  /** Successful connections so far. */
  get connects(): number {
    return this.#connects;
  }
  /** Connection attempts so far (the first one included). */
  get attempts(): number {
    return this.#attempts;
  }
  /** Protocol version in use (4 or 5). */
  get protocolVersion(): number {
    return this.#client.options.protocolVersion ?? 4;
  }

  /**
   * Publishes one message. Resolves when the broker has it (PUBACK at QoS 1, written at QoS 0).
   *
   * @param topic Topic.
   * @param payload Text.
   * @param options QoS, retain, and MQTT 5 correlation data.
   */
  publish(
    topic: string,
    payload: string,
    options: { qos: 0 | 1; retain: boolean; correlationData?: string },
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const opts: Parameters<MqttClient["publish"]>[2] = {
        qos: options.qos,
        retain: options.retain,
      };
      if (options.correlationData !== undefined && this.protocolVersion === 5) {
        opts.properties = {
          correlationData: new TextEncoder().encode(
            options.correlationData,
          ) as unknown as Buffer,
        };
      }
      this.#client.publish(topic, payload, opts, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }

  /**
   * Subscribes (again after each reconnect, by MQTT.js).
   *
   * @param topics Topic filters.
   */
  async subscribe(topics: string[]): Promise<void> {
    if (topics.length > 0) {
      await this.#client.subscribeAsync(topics, { qos: 1 });
    }
  }

  /**
   * Closes: publishes `offline` on the Last-Will topic when connected, then disconnects.
   *
   * @param options `offline` = false skips the status message (a test's "kill").
   */
  async close(options: { offline?: boolean } = {}): Promise<void> {
    if (this.#state === "closed") return;
    if (this.#state === "online" && options.offline !== false) {
      await Promise.race([
        this.publish(this.#o.willTopic, "offline", { qos: 1, retain: true })
          .catch(() => {}),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
    }
    this.#state = "closed";
    await this.#client.endAsync(true).catch(() => {});
  }
}

/**
 * Connects to the broker (in the background: the connection is returned at once and keeps
 * retrying until closed).
 *
 * @param config The `mqtt` section.
 * @param options Client id, Last-Will topic, callbacks.
 * @returns The connection.
 * @throws {ConfigError} when a TLS file cannot be read.
 */
export async function openConnection(
  config: MqttConfig,
  options: ConnectionOptions,
): Promise<MqttConnection> {
  const { ca, cert, key } = options.tls ?? await readTlsFiles(config);
  const opts: IClientOptions = {
    clientId: options.clientId,
    protocolVersion: config.protocolVersion,
    keepalive: config.keepaliveSeconds,
    reconnectPeriod: config.reconnectMs,
    connectTimeout: Math.max(5000, config.reconnectMs),
    reconnectOnConnackError: true,
    clean: true,
    queueQoSZero: false,
    rejectUnauthorized: config.tls.verify,
    will: {
      topic: options.willTopic,
      payload: new TextEncoder().encode("offline") as unknown as Buffer,
      qos: 1,
      retain: true,
    },
  };
  if (config.username !== undefined) opts.username = config.username;
  if (config.password !== undefined) opts.password = config.password;
  if (ca !== undefined) opts.ca = ca;
  if (cert !== undefined) opts.cert = cert;
  if (key !== undefined) opts.key = key;
  const client = mqtt.connect(config.url, opts);
  return new MqttConnection(client, brokerText(config.url), options);
}

/**
 * A broker URL without credentials, for log lines.
 *
 * @param url The configured URL.
 * @returns scheme://host:port/path.
 */
export function brokerText(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return "broker";
  }
}
