/**
 * Task queues. The workflow worker polls WORKFLOWS; each service that owns
 * data registers its own activities on its own queue, so a workflow changes a
 * service's data only through that service's code.
 */
export const TASK_QUEUES = {
  workflows: 'omurga-workflows',
  accounts: 'accounts',
  billing: 'billing',
  consent: 'consent',
  support: 'support',
} as const;
