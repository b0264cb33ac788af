/**
 * Topic names of the MQTT bridge. Every topic of a gateway starts with
 * `<topicPrefix>/<cluster>/<instance>/`, so a fleet that gives each gateway its own cluster
 * numbers (or instance names) never mixes topics on a shared broker.
 *
 * | topic                                              | payload                              |
 * | -------------------------------------------------- | ------------------------------------ |
 * | `<p>/gateway/<clientId>/status`                     | `online` / `offline` (Last Will)     |
 * | `<p>/gateway/<clientId>/stats`                      | outbox counters, JSON                |
 * | `<p>/<cluster>/<instance>/status`                   | `online` / `offline`                 |
 * | `<p>/<cluster>/<instance>/<meter>/state`            | the meter's last reading, JSON       |
 * | `<p>/<cluster>/<instance>/<meter>/<record>/value`   | one record's value, plain text       |
 * | `<p>/<cluster>/<instance>/<meter>/availability`     | `online` / `offline`                 |
 * | `<p>/<cluster>/<instance>/command`                  | commands in (when enabled)           |
 * | `<p>/<cluster>/<instance>/command/reply`            | answers (unless the command names one) |
 *
 * @module
 */

/** Characters that may not appear in a topic level we build. */
// deno-lint-ignore no-control-regex -- NUL is forbidden in MQTT topics
const UNSAFE = /[+#/\u0000]/g;

/**
 * Makes text safe as one topic level: `+`, `#`, `/` and NUL become `_`.
 *
 * @param text A name.
 * @returns The level.
 */
export function topicLevel(text: string): string {
  return text.replace(UNSAFE, "_");
}

/**
 * Makes text safe as a Home Assistant object id (letters, digits, `_`, `-`).
 *
 * @param text A name.
 * @returns The id.
 */
export function objectId(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** Topic builder for one gateway process. */
export class Topics {
  readonly #prefix: string;
  readonly #clientId: string;

  /**
   * @param prefix Topic prefix (no leading or trailing `/`).
   * @param clientId The MQTT client id of this gateway.
   */
  constructor(prefix: string, clientId: string) {
    this.#prefix = prefix;
    this.#clientId = clientId;
  }

  /** The prefix. */
  get prefix(): string {
    return this.#prefix;
  }

  /** This gateway's status topic (carries the Last Will). */
  gatewayStatus(): string {
    return `${this.#prefix}/gateway/${topicLevel(this.#clientId)}/status`;
  }

  /** This gateway's counters. */
  gatewayStats(): string {
    return `${this.#prefix}/gateway/${topicLevel(this.#clientId)}/stats`;
  }

  /**
   * The base of an instance's topics.
   *
   * @param cluster Cluster number.
   * @param instance Instance name.
   * @returns `<p>/<cluster>/<instance>`.
   */
  instance(cluster: number, instance: string): string {
    return `${this.#prefix}/${cluster}/${topicLevel(instance)}`;
  }

  /** An instance's status topic. @param cluster Cluster. @param instance Instance. */
  instanceStatus(cluster: number, instance: string): string {
    return `${this.instance(cluster, instance)}/status`;
  }

  /** An instance's command topic. @param cluster Cluster. @param instance Instance. */
  command(cluster: number, instance: string): string {
    return `${this.instance(cluster, instance)}/command`;
  }

  /** An instance's default reply topic. @param cluster Cluster. @param instance Instance. */
  reply(cluster: number, instance: string): string {
    return `${this.instance(cluster, instance)}/command/reply`;
  }

  /**
   * The base of a meter's topics.
   *
   * @param cluster Cluster.
   * @param instance Instance.
   * @param meter Canonical meter name.
   * @returns `<p>/<cluster>/<instance>/<meter>`.
   */
  meter(cluster: number, instance: string, meter: string): string {
    return `${this.instance(cluster, instance)}/${topicLevel(meter)}`;
  }
}
