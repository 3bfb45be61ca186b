import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, type BundleOptions, type WorkerOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '@omurga/shared/temporal';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
export const DEFAULT_BUNDLE_PATH = fileURLToPath(new URL('../dist/workflow-bundle.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Modules evaluated once and shared by every workflow the worker holds (see shared-libraries.ts). */
export const PRELOADED_MODULES = [fileURLToPath(new URL('./shared-libraries.ts', import.meta.url))];

/**
 * What goes into the workflow bundle besides the workflows: the failure
 * converter (encrypted failure messages), the shared libraries, and, in the
 * traced bundle only, OpenTelemetry's workflow interceptors (some 240 KB of
 * heap per cached workflow, which an untraced worker would pay for nothing).
 */
export function bundleOptions({ traced }: { traced: boolean }): BundleOptions {
  return {
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    preloadModules: PRELOADED_MODULES,
    workflowInterceptorModules: traced ? [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')] : [],
  };
}

/** The traced bundle lies beside the untraced one: `workflow-bundle.js` and `workflow-bundle.traced.js`. */
export function bundleVariantPath(bundle: string, traced: boolean): string {
  return traced ? bundle.replace(/(\.js)?$/, '.traced.js') : bundle;
}

/** The TypeScript sources a bundle can hold (the workflows import shared code and each service's workflows and lifecycle core). */
function sourceFiles(): string[] {
  const dirs = [path.join(ROOT, 'packages/shared/src'), path.join(ROOT, 'workflows/src'), ...readdirSync(path.join(ROOT, 'services')).map((s) => path.join(ROOT, 'services', s, 'src'))];
  return dirs.filter(existsSync).flatMap((dir) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)));
}

/**
 * A fingerprint of everything a bundle is made of: each source's path, size
 * and modification time, and the Temporal SDK's version. A bundle written
 * under another fingerprint is stale.
 */
export function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles().sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${path.relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
  }
  hash.update(JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@temporalio/worker/package.json'), 'utf8')).version);
  return hash.digest('hex');
}

const fingerprintFile = (bundle: string) => `${bundle}.sources`;

/** Bundles the workflow code and writes it with its fingerprint (atomically: stacks starting side by side may race). */
export async function buildWorkflowBundle(out: string, { traced }: { traced: boolean }): Promise<string> {
  const fingerprint = sourceFingerprint();
  const { code } = await bundleWorkflowCode(bundleOptions({ traced }));
  mkdirSync(path.dirname(out), { recursive: true });
  const partial = `${out}.${process.pid}.partial`;
  writeFileSync(partial, code);
  writeFileSync(`${partial}.sources`, fingerprint);
  renameSync(partial, out);
  renameSync(`${partial}.sources`, fingerprintFile(out));
  return code;
}

/**
 * Where the worker gets its workflow code, traced (OpenTelemetry's workflow
 * interceptors in it) or not: the bundle named by WORKFLOW_BUNDLE_PATH as it
 * is, or its `.traced.js` sibling (the production image, `pnpm
 * build:workflows`); otherwise workflows/dist/workflow-bundle[.traced].js
 * while it is fresh (its sources' fingerprint unchanged), else a new bundle,
 * written there for the next start. So a change is never served stale, and
 * an unchanged tree starts without bundling (about 10 s of CPU on this
 * machine).
 */
export async function workflowSource(
  { traced }: { traced: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>> {
  const given = env.WORKFLOW_BUNDLE_PATH;
  if (given) {
    const bundle = bundleVariantPath(given, traced);
    if (!existsSync(bundle)) throw new Error(`WORKFLOW_BUNDLE_PATH ${bundle} does not exist: run \`pnpm build:workflows\``);
    return { workflowBundle: { codePath: bundle } };
  }
  const cached = bundleVariantPath(DEFAULT_BUNDLE_PATH, traced);
  if (existsSync(cached) && existsSync(fingerprintFile(cached)) && readFileSync(fingerprintFile(cached), 'utf8') === sourceFingerprint()) {
    return { workflowBundle: { codePath: cached } };
  }
  try {
    return { workflowBundle: { code: await buildWorkflowBundle(cached, { traced }) } };
  } catch {
    // A read-only tree: the worker bundles in memory (the tracing plugin adds its interceptors then).
    return { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: PRELOADED_MODULES } };
  }
}
