// `pnpm build:workflows [out-file]`: the worker's workflow code bundled ahead
// of time, untraced in out-file and traced beside it in its `.traced.js`
// sibling (the production image runs them with WORKFLOW_BUNDLE_PATH; without
// an out-file they go to workflows/dist/, where the worker uses them while
// their sources are unchanged).
import path from 'node:path';
import { DEFAULT_BUNDLE_PATH, buildWorkflowBundle, bundleVariantPath } from './workflow-bundle.ts';

const out = path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
for (const traced of [false, true]) {
  const file = bundleVariantPath(out, traced);
  const code = await buildWorkflowBundle(file, { traced });
  console.log(`workflow bundle written to ${file} (${(code.length / 1024).toFixed(0)} KiB)`);
}
