import type { Client } from '@temporalio/client';
import type { Logger } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { TICKET_SIGNALS, ticketWorkflowId, type SlaExtension, type SlaTargets, type TicketEvent, type TicketWorkflowInput } from './workflows/contracts.ts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import type { FederationReader } from './federation.ts';
import type { AnnouncementDoc, SlaPolicyDoc, SupportModels } from './models.ts';

/** SUP-3: used when the organisation has no plan with a policy (or billing cannot be asked). */
export const DEFAULT_SLA_TARGETS: SlaTargets = { firstResponse: 'PT3H', nextResponse: 'PT3H', warnBefore: 'PT30M' };

/** Subscriptions whose plan decides the SLA, best first. */
const PLAN_STATUS_ORDER = ['ACTIVE', 'TRIALING', 'PAST_DUE', 'SUSPENDED'];

export interface AutoCloseSettings {
  /** calendar time in ANSWERED before the ticket closes itself (SUP-2) */
  after: string;
  /** how long before closing the customer is warned */
  warning: string;
}

/** The targets of the organisation's plan: sla_policies by the plan code billing reports. */
export async function slaTargetsFor(models: SupportModels, federation: FederationReader, organizationId: string, logger: Logger): Promise<{ targets: SlaTargets; planCode: string | null }> {
  let planCode: string | null = null;
  try {
    const subscriptions = await federation.subscriptions(organizationId);
    const ranked = subscriptions
      .filter((s) => PLAN_STATUS_ORDER.includes(s.status) && s.planCode)
      .sort((a, b) => PLAN_STATUS_ORDER.indexOf(a.status) - PLAN_STATUS_ORDER.indexOf(b.status));
    planCode = ranked[0]?.planCode ?? null;
  } catch (error) {
    logger.warn({ err: error, organizationId }, 'billing did not answer; the default SLA applies');
  }
  const policy = planCode ? await models.SlaPolicy.findOne({ planCode }).lean<SlaPolicyDoc>() : null;
  const targets = policy ? { firstResponse: policy.firstResponse, nextResponse: policy.nextResponse, warnBefore: policy.warnBefore } : DEFAULT_SLA_TARGETS;
  return { targets, planCode };
}

/** Announcement windows covering `at` that extend response targets (SUP-4). */
export async function extensionsAt(models: SupportModels, at: Date): Promise<SlaExtension[]> {
  const windows = await models.Announcement.find({ startsAt: { $lte: at }, endsAt: { $gt: at }, extraBusinessTime: { $ne: null } }).lean<AnnouncementDoc[]>();
  return windows
    .filter((a) => a.extraBusinessTime)
    .map((a) => ({ from: a.startsAt.toISOString(), to: a.endsAt.toISOString(), extraBusinessTime: a.extraBusinessTime!, announcementId: a._id.toString() }));
}

export interface TicketClock {
  start(input: TicketWorkflowInput): Promise<void>;
  /**
   * Tells the ticket's workflow what happened. A workflow that has ended (the
   * ticket was closed, then reopened by a reply) is started again from `input`.
   */
  signal(input: TicketWorkflowInput, event: TicketEvent): Promise<void>;
}

export function temporalTicketClock(client: Client, logger: Logger): TicketClock {
  const options = (input: TicketWorkflowInput) => ({ taskQueue: TASK_QUEUES.workflows, workflowId: ticketWorkflowId(input.ticketId), args: [input] as [TicketWorkflowInput] });
  return {
    async start(input) {
      await startWorkflowOnce(client, 'ticketWorkflow', options(input));
    },
    async signal(input, event) {
      if (event.kind === 'CLOSED') {
        try {
          await client.workflow.getHandle(ticketWorkflowId(input.ticketId)).signal(TICKET_SIGNALS.event, event);
        } catch (error) {
          // nothing runs any more (auto-closed, or never started): nothing to stop
          if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
          logger.debug({ ticketId: input.ticketId }, 'no ticket workflow to close');
        }
        return;
      }
      await client.workflow.signalWithStart('ticketWorkflow', {
        // If no run is live (closed, then reopened by a reply), the new run starts from the reply: nothing is
        // due until the reply is applied, which sets the next-response target (not a new first response).
        ...options({ ...input, openedAt: event.at, reopened: true }),
        signal: TICKET_SIGNALS.event,
        signalArgs: [event],
      });
    },
  };
}
