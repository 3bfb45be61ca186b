import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '@omurga/shared/temporal';

/**
 * Temporal's Java time-skipping test server, which ./platform fetches into its
 * cache and exposes as OMURGA_TEST_SERVER_BIN. Workflow tests use it to cross
 * 14-day trials or 3-business-day deadlines in seconds. The platform's search
 * attributes are registered as the dev server registers them.
 */
const INDEXED_VALUE_TYPE_KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType

/**
 * The SDK gives the server's JVM five seconds to listen; on a busy machine it
 * can take longer, so a start that timed out is tried again (a fresh port).
 */
async function startTestServer(path: string, attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    } catch (error) {
      if (attempt >= attempts || !/Failed to start ephemeral server/.test((error as Error).message)) throw error;
    }
  }
}

export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = process.env.OMURGA_TEST_SERVER_BIN;
  if (!path) {
    throw new Error('OMURGA_TEST_SERVER_BIN is not set: run the tests through `./platform test`, which provides the test server');
  }
  const env = await startTestServer(path);
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.keys(SEARCH_ATTRIBUTES).map((name) => [name, INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
  return env;
}

export { WORKFLOW_BUNDLE_ENTRY, WORKFLOW_BUNDLER_OPTIONS, TEST_WORKFLOWS_QUEUE, recordingActivities, type RecordedActivityCall } from './recording-activities.ts';
