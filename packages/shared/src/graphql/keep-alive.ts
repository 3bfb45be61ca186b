import type { Server } from 'node:http';

/**
 * Idle keep-alive connections between the gateway and the subgraphs. The
 * client (gateway) must give up an idle connection before the server does:
 * otherwise it can send a request on a connection the server is closing at
 * that very moment, which the caller sees as "socket hang up" (Node's server
 * default is 5 s; the gateway's former client kept idle sockets forever).
 */
export const CLIENT_IDLE_TIMEOUT_MS = 30_000;
export const SERVER_KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout, or a slow first header on a reused connection is cut off.
  server.headersTimeout = SERVER_KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
