import { proxyActivities } from '@temporalio/workflow';
import { BILLING_INVALID_STATE, BILLING_NOT_FOUND, type BillingActivities } from './contracts.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';

const nonRetryableErrorTypes = [BILLING_NOT_FOUND, BILLING_INVALID_STATE];

/** Billing's activities on its own task queue; like accounts', they retry until billing is back. */
export const billingActivities = proxyActivities<BillingActivities>({
  taskQueue: TASK_QUEUES.billing,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
});

/**
 * Charging waits for the payment institution, so it gets a longer timeout
 * than the provider's own (PAYMENT_PROVIDER_TIMEOUT_MS, 10 s by default). A
 * worker that dies mid-charge is retried after this timeout with the same
 * idempotency key, so the retry finds the first charge instead of making another.
 */
export const chargeActivities = proxyActivities<Pick<BillingActivities, 'chargeInvoice'>>({
  taskQueue: TASK_QUEUES.billing,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
});

/**
 * A lifecycle step (issue 16) may issue, charge and e-mail in one activity:
 * the charge's own timeout plus the database and SMTP work around it. A
 * worker that dies inside it is retried after this timeout; every command in
 * it is idempotent, so the retry finds what the first attempt did.
 */
export const lifecycleStepActivities = proxyActivities<Pick<BillingActivities, 'carryOutLifecycleSteps'>>({
  taskQueue: TASK_QUEUES.billing,
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
});
