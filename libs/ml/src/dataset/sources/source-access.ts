/** Where data may be read from, and how much of it. */
export interface SourceAccess {
  /** Directory that relative paths resolve from; local sources (paths, file:// URLs) must stay inside it. */
  dataRoot: string;
  /**
   * Hosts that http(s):// sources may name: `example.com` (any port) or `example.com:8443` (that port only).
   * @defaultValue none: http(s) sources are refused
   */
  httpHosts?: readonly string[];
  /**
   * Largest raw source read, in bytes, for every kind of source.
   * @defaultValue {@link DEFAULT_MAX_SOURCE_BYTES}
   */
  maxBytes?: number;
  /**
   * How long an http(s) source may stay silent, before answering and between chunks of its body, in ms.
   * @defaultValue {@link DEFAULT_HTTP_TIMEOUT_MS}
   */
  httpTimeoutMs?: number;
}

export const DEFAULT_MAX_SOURCE_BYTES = 1024 ** 3;
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
