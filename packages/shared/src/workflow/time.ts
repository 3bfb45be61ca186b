import { ApplicationFailure } from '@temporalio/workflow';

/**
 * Epoch milliseconds of an ISO-8601 instant from a workflow's input. A
 * malformed one fails the workflow instead of failing its tasks forever.
 */
export function parseInstant(instant: string, field: string): number {
  const at = Date.parse(instant);
  if (Number.isNaN(at)) throw ApplicationFailure.nonRetryable(`${field} is not an ISO-8601 instant: ${instant}`, 'InvalidInput');
  return at;
}
