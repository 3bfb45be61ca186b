// The worker's workflow bundle: zod and luxon evaluated once and shared by
// every cached workflow, OpenTelemetry's interceptors only in the traced
// bundle, and the bundle file chosen by whether the worker traces (issue 16).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions, bundleVariantPath, workflowSource } from '../../src/workflow-bundle.ts';
import { measureCachedWorkflows, quietLogger as quiet } from '../../src/workflow-memory.ts';

const fromPackage = (name: string) => new RegExp(`node_modules/(\\.pnpm/[^/]+/node_modules/)?${name}/`);

describe('workflow bundle', () => {
  const modules: Record<'untraced' | 'traced', string[]> = { untraced: [], traced: [] };

  beforeAll(async () => {
    for (const traced of [false, true]) {
      const { code } = await bundleWorkflowCode({ ...bundleOptions({ traced }), logger: quiet });
      // Creating workflows evaluates each one's own modules: one that froze or needed a workflow at preload would throw here.
      const measure = await measureCachedWorkflows(code, 'subscriptionWorkflow', 3);
      modules[traced ? 'traced' : 'untraced'] = measure.ownModules;
    }
  }, 120_000);

  it('evaluates each workflow’s own code per workflow, and zod and luxon once for all of them', () => {
    for (const own of Object.values(modules)) {
      expect(own.some((id) => id.includes('services/billing/src/lifecycle/'))).toBe(true);
      expect(own.filter((id) => fromPackage('zod').test(id) || fromPackage('luxon').test(id))).toEqual([]);
    }
  });

  it('holds OpenTelemetry’s workflow interceptors in the traced bundle only', () => {
    expect(modules.traced.some((id) => id.includes('@temporalio/interceptors-opentelemetry/lib/workflow'))).toBe(true);
    expect(modules.untraced.filter((id) => id.includes('opentelemetry'))).toEqual([]);
  });
});

describe('workflowSource with WORKFLOW_BUNDLE_PATH', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'omurga-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the bundle as given untraced and its .traced.js sibling traced', async () => {
    const bundle = path.join(dir, 'workflow-bundle.js');
    expect(bundleVariantPath(bundle, true)).toBe(path.join(dir, 'workflow-bundle.traced.js'));
    writeFileSync(bundle, '// untraced');
    const env = { WORKFLOW_BUNDLE_PATH: bundle };
    expect(await workflowSource({ traced: false }, env)).toEqual({ workflowBundle: { codePath: bundle } });
    await expect(workflowSource({ traced: true }, env)).rejects.toThrow(/workflow-bundle\.traced\.js does not exist/);
    writeFileSync(bundleVariantPath(bundle, true), '// traced');
    expect(await workflowSource({ traced: true }, env)).toEqual({ workflowBundle: { codePath: bundleVariantPath(bundle, true) } });
  });
});
