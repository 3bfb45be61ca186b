import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BundleOptions, WorkerOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '@omurga/shared/temporal';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
export const DEFAULT_BUNDLE_PATH = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));

/**
 * What goes into the workflow bundle besides the workflows: the failure
 * converter (encrypted failure messages) and OpenTelemetry's workflow
 * interceptors, so one bundle serves with tracing on or off.
 */
export function bundleOptions(): BundleOptions {
  return {
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
  };
}

/**
 * Where the worker gets its workflow code: the prebuilt bundle named by
 * WORKFLOW_BUNDLE_PATH (the production image, `pnpm build:workflows`), or
 * the sources, bundled at start (local runs, so a change is never served stale).
 */
export function workflowSource(env: NodeJS.ProcessEnv = process.env): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = env.WORKFLOW_BUNDLE_PATH;
  if (!bundle) return { workflowsPath: WORKFLOWS_PATH };
  if (!existsSync(bundle)) throw new Error(`WORKFLOW_BUNDLE_PATH ${bundle} does not exist: run \`pnpm build:workflows\``);
  return { workflowBundle: { codePath: bundle } };
}
