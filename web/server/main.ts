// The web process (scripts/stack locally, the `web` component in deploy/): WEB_PORT on OMURGA_HOST,
// forwarding the public API to the gateway (GATEWAY_URL in a deployment).
import path from 'node:path';
import { loadConfig } from '@omurga/shared';
import { createWebServer } from './serve.ts';

const config = loadConfig(process.env);
const port = Number(process.env.WEB_PORT ?? 4005);
const server = createWebServer({
  gatewayOrigin: new URL(config.gateway.url).origin,
  distDir: path.resolve(import.meta.dirname, '../dist'),
  temporalUiUrl: config.temporal.uiUrl,
  temporalNamespace: config.temporal.namespace,
});
server.listen(port, config.host, () => console.log(`web: http://${config.host}:${port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
