export interface StackInfo {
  env: Record<string, string>;
  gatewayUrl: string;
  /** the web front (portal and back office), where e-mailed links point */
  webUrl: string;
  temporalUiUrl: string;
  mailCatcherUrl: string;
  temporalAddress: string;
  subgraphUrls: Record<string, string>;
  workerHealthUrl: string;
  /** the Temporal UI's remote codec, served by the worker */
  codecUrl: string;
  pids: number[];
  logDir: string;
  /** the in-memory OTLP receiver every process exports its traces to (tests/support/otlp-receiver.ts) */
  otlpUrl: string;
  /** each service's Prometheus endpoint */
  metricsUrls: Record<string, string>;
}

export const E2E_OPERATOR = { email: 'e2e-operator@omurga.test', password: 'E2e-Operator-Password-1' };

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
