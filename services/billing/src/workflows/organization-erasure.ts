import { ParentClosePolicy, executeChild, sleep } from '@temporalio/workflow';
import type { OrganizationErasureInput } from './contracts.ts';
import { PERSONAL_DATA_ERASURE_WORKFLOW, personalDataErasureWorkflowId, type PersonalDataErasureInput } from '@omurga/shared/contracts';
import { parseInstant } from '@omurga/shared/workflow';

/**
 * CON-6 on the termination path: once the policy's deletion delay has passed
 * ([000 §7.5] at once, [002 §9] at termination), the organisation is erased
 * from every service by personalDataErasureWorkflow, which leaves the
 * destruction record. Started by billing (scheduleOrganizationErasure) under
 * ORGANIZATION_ERASURE_WORKFLOW with ID organizationErasureWorkflowId(organizationId).
 */
export async function organizationErasureWorkflow(input: OrganizationErasureInput): Promise<{ erasedAt: string }> {
  const eraseAt = parseInstant(input.eraseAt, 'eraseAt');
  await sleep(Math.max(0, eraseAt - Date.now()));
  const erasure: PersonalDataErasureInput = {
    erasureId: `termination/${input.organizationId}`,
    subject: { kind: 'ORGANIZATION', organizationId: input.organizationId },
    reason: 'TERMINATION',
  };
  await executeChild(PERSONAL_DATA_ERASURE_WORKFLOW, {
    workflowId: personalDataErasureWorkflowId(erasure.erasureId),
    args: [erasure],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  return { erasedAt: new Date(Date.now()).toISOString() };
}
