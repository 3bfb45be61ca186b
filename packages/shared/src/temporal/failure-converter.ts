import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces travel encrypted with the payloads (they
 * can quote an address from an SMTP or duplicate-key error). Loaded by path,
 * in workers, the workflow sandbox and clients alike (payload-codec.ts).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
