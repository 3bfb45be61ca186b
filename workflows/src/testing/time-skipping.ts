import { TestWorkflowEnvironment } from '@temporalio/testing';

/**
 * Temporal's Java time-skipping test server, which ./platform fetches into its
 * cache and exposes as OMURGA_TEST_SERVER_BIN. Workflow tests use it to cross
 * 14-day trials or 3-business-day deadlines in seconds.
 */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = process.env.OMURGA_TEST_SERVER_BIN;
  if (!path) {
    throw new Error('OMURGA_TEST_SERVER_BIN is not set: run the tests through `./platform test`, which provides the test server');
  }
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}
