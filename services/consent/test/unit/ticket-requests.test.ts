import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { dataSubjectRequestWorkflowId } from '../../src/workflows/contracts/requests.ts';
import type { TicketToDataSubjectRequestInput } from '@omurga/shared/contracts';
import type { ConsentModels } from '../../src/models.ts';
import { requestIdForTicket, ticketRequestActivities, ticketRequestResolvers } from '../../src/ticket-requests.ts';

const DAY_MS = 86_400_000;

const input: TicketToDataSubjectRequestInput = {
  ticketId: '65f0c0ffee0000000000abcd',
  userId: 'user-1',
  kind: 'ACCESS',
  receivedAt: '2026-11-02T09:15:00.000Z',
  details: 'Destek talebi DST-2026-000042: Kişisel verilerim\n\nVerilerimin kopyasını istiyorum.',
};

/** The consent models and Temporal client the activity touches; `existing` is a request an earlier attempt stored. */
function fakes(existing: Record<string, unknown> | null = null) {
  const created: Record<string, unknown>[] = [];
  const starts: { name: string; options: Record<string, unknown> }[] = [];
  const key = randomBytes(32);
  const models = {
    SubjectKey: { findById: () => ({ lean: async () => ({ _id: 'user-1', key }) }) },
    DataSubjectRequest: {
      async create(doc: Record<string, unknown>) {
        if (existing) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
        created.push(doc);
        const stored = { ...doc, _id: new Types.ObjectId(doc._id as string) };
        return { _id: stored._id, toObject: () => stored };
      },
      findById: () => ({ lean: async () => existing }),
      async deleteOne() {},
    },
  } as unknown as ConsentModels;
  const temporal = {
    workflow: {
      async start(name: string, options: Record<string, unknown>) {
        starts.push({ name, options });
        if (existing && existing.started) throw Object.assign(new Error('already started'), { name: 'WorkflowExecutionAlreadyStartedError' });
      },
    },
  } as unknown as Client;
  return { models, temporal, created, starts };
}

describe('data-subject requests converted from tickets (SUP-8, CON-5)', () => {
  it('SUP-8: the request ID derives from the ticket ID: the same ticket always gives the same valid ObjectId', () => {
    const id = requestIdForTicket(input.ticketId);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(requestIdForTicket(input.ticketId)).toBe(id);
    expect(requestIdForTicket('65f0c0ffee0000000000abce')).not.toBe(id);
  });

  it('CON-5/SUP-8: records the request as received when the ticket was opened, sealed, linked to the ticket, with its deadline workflow', async () => {
    const { models, temporal, created, starts } = fakes();
    const result = await ticketRequestActivities(models, temporal).createDataSubjectRequestFromTicket(input);
    const requestId = requestIdForTicket(input.ticketId);
    expect(result).toEqual({ requestId });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ _id: requestId, userId: 'user-1', kind: 'ACCESS', status: 'RECEIVED', sourceTicketId: input.ticketId });
    expect((created[0]!.receivedAt as Date).toISOString()).toBe(input.receivedAt);
    expect((created[0]!.dueAt as Date).getTime() - Date.parse(input.receivedAt)).toBe(30 * DAY_MS);
    // CON-6: the transcript names people; it is stored sealed with the person's key.
    expect(created[0]!.details).toMatch(/^sk1:/);
    expect(created[0]!.details).not.toContain('Verilerimin');
    expect(starts).toEqual([
      expect.objectContaining({
        name: 'dataSubjectRequestWorkflow',
        options: expect.objectContaining({
          workflowId: dataSubjectRequestWorkflowId(requestId),
          args: [{ requestId, userId: 'user-1', kind: 'ACCESS', receivedAt: input.receivedAt, dueAt: new Date(Date.parse(input.receivedAt) + 30 * DAY_MS).toISOString() }],
        }),
      }),
    ]);
  });

  it('SUP-8: a retry finds the request already recorded and answers with it, making sure its workflow runs without starting a second one', async () => {
    const requestId = requestIdForTicket(input.ticketId);
    const existing = {
      _id: new Types.ObjectId(requestId),
      userId: 'user-1',
      kind: 'ACCESS',
      status: 'RECEIVED',
      receivedAt: new Date(input.receivedAt),
      dueAt: new Date(Date.parse(input.receivedAt) + 30 * DAY_MS),
      started: true,
    };
    const { models, temporal, starts } = fakes(existing);
    expect(await ticketRequestActivities(models, temporal).createDataSubjectRequestFromTicket(input)).toEqual({ requestId });
    expect(starts).toHaveLength(1);
    expect(starts[0]!.options).toMatchObject({ workflowId: dataSubjectRequestWorkflowId(requestId), workflowIdReusePolicy: 'REJECT_DUPLICATE' });

    // Once the DPO moved it on, its workflow surely runs: nothing is started.
    const moved = fakes({ ...existing, status: 'IDENTITY_VERIFIED' });
    expect(await ticketRequestActivities(moved.models, moved.temporal).createDataSubjectRequestFromTicket(input)).toEqual({ requestId });
    expect(moved.starts).toEqual([]);
  });

  it('SUP-8: an unknown kind or a bad instant fails for good (non-retryable), recording nothing', async () => {
    const { models, temporal, created } = fakes();
    const activities = ticketRequestActivities(models, temporal);
    await expect(activities.createDataSubjectRequestFromTicket({ ...input, kind: 'PORTABILITY' as never })).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    await expect(activities.createDataSubjectRequestFromTicket({ ...input, receivedAt: 'yesterday' })).rejects.toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(created).toEqual([]);
  });

  it('SUP-8: a request points back at its ticket; one submitted directly has none', () => {
    const { sourceTicket } = ticketRequestResolvers.DataSubjectRequest;
    expect(sourceTicket({ sourceTicketId: input.ticketId })).toEqual({ __typename: 'Ticket', id: input.ticketId });
    expect(sourceTicket({ sourceTicketId: null })).toBeNull();
    expect(sourceTicket({})).toBeNull();
  });
});
