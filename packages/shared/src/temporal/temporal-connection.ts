import type { PlatformConfig } from '../config.ts';

/** Address, TLS and API key of the Temporal server, for every client and worker connection of the platform. */
export function temporalConnectionOptions(config: PlatformConfig) {
  const { address, tls, apiKey } = config.temporal;
  return { address, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}
