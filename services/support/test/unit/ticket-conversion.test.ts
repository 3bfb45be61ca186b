import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { TicketToDataSubjectRequestInput } from '@omurga/shared/contracts';
import type { TicketDoc } from '../../src/models.ts';
import { convertToDataSubjectRequest, customerTranscript, type DataSubjectRequestConversions } from '../../src/ticket-conversion.ts';
import type { Actor, TicketDeps } from '../../src/tickets.ts';

const opened = new Date('2026-11-02T09:15:00.000Z');
const at = (minutes: number) => new Date(opened.getTime() + minutes * 60_000);

function ticket(overrides: Partial<TicketDoc> = {}): TicketDoc {
  return {
    _id: new Types.ObjectId(),
    number: 'DST-2026-000042',
    subject: 'Kişisel verilerim',
    openedBy: 'user-1',
    openerLocale: 'tr',
    createdAt: opened,
    dataSubjectRequestId: null,
    messages: [
      { body: 'Verilerimin kopyasını istiyorum.', authorId: 'user-1', fromOperator: false, internal: false, createdAt: opened },
      { body: 'Dahili not: hukuka sor.', authorId: 'agent-1', fromOperator: true, internal: true, createdAt: at(5) },
      { body: 'Talebinizi aldık.', authorId: 'agent-1', fromOperator: true, internal: false, createdAt: at(10) },
    ],
    ...overrides,
  } as unknown as TicketDoc;
}

/** Only what convertToDataSubjectRequest reads before it starts the workflow; every refusal happens there. */
function depsFor(stored: TicketDoc | null, startResult = true) {
  const started: TicketToDataSubjectRequestInput[] = [];
  const conversions: DataSubjectRequestConversions = {
    async start(input) {
      started.push(input);
      return startResult;
    },
    async settle() {},
  };
  const models = { Ticket: { findById: () => ({ lean: async () => stored }) } };
  return { deps: { models, conversions } as unknown as TicketDeps, started };
}

const agent: Actor = { id: 'agent-1', agent: true, locale: 'tr' };

describe('ticket to data-subject request (SUP-8)', () => {
  it('SUP-8/SUP-7: the transcript holds the conversation the customer saw, never an internal note', () => {
    const text = customerTranscript(ticket());
    expect(text).toContain('DST-2026-000042: Kişisel verilerim');
    expect(text).toContain('Verilerimin kopyasını istiyorum.');
    expect(text).toContain('Talebinizi aldık.');
    expect(text).not.toContain('Dahili not');
    expect(text.indexOf('Verilerimin')).toBeLessThan(text.indexOf('Talebinizi'));
  });

  it('SUP-8: a long conversation is cut to the details limit, keeping its start (the request itself)', () => {
    const long = ticket({
      messages: [
        { body: 'İLK: verilerimi istiyorum.', authorId: 'user-1', fromOperator: false, internal: false, createdAt: opened },
        { body: 'x'.repeat(6000), authorId: 'user-1', fromOperator: false, internal: false, createdAt: at(1) },
      ] as TicketDoc['messages'],
    });
    const text = customerTranscript(long, 5000);
    expect(text).toHaveLength(5000);
    expect(text).toContain('İLK: verilerimi istiyorum.');
    expect(text.endsWith('[devamı kısaltıldı]')).toBe(true);
  });

  it('SUP-8: starts the conversion for the opener, received when the ticket was opened', async () => {
    const stored = ticket();
    const { deps, started } = depsFor(stored, false);
    await convertToDataSubjectRequest(deps, agent, stored._id.toString(), 'ACCESS');
    expect(started).toEqual([
      { ticketId: stored._id.toString(), userId: 'user-1', kind: 'ACCESS', receivedAt: opened.toISOString(), details: customerTranscript(stored) },
    ]);
  });

  it('SUP-8: a conversion already started (or linked) is ALREADY_CONVERTED', async () => {
    const stored = ticket();
    const { deps } = depsFor(stored, false);
    expect(await convertToDataSubjectRequest(deps, agent, stored._id.toString(), 'ACCESS')).toMatchObject({ ok: false, code: 'ALREADY_CONVERTED' });

    const linked = depsFor(ticket({ dataSubjectRequestId: 'abc' }));
    expect(await convertToDataSubjectRequest(linked.deps, agent, stored._id.toString(), 'ACCESS')).toMatchObject({ ok: false, code: 'ALREADY_CONVERTED' });
    expect(linked.started).toEqual([]);
  });

  it('SUP-8: a ticket a partner opened has no person to answer (OPENER_NOT_A_PERSON); nothing starts', async () => {
    const stored = ticket({ openedBy: 'partner:key-1' });
    const { deps, started } = depsFor(stored);
    expect(await convertToDataSubjectRequest(deps, agent, stored._id.toString(), 'ACCESS')).toMatchObject({ ok: false, code: 'OPENER_NOT_A_PERSON', field: ['ticketId'] });
    expect(started).toEqual([]);
  });

  it('SUP-8: a missing ticket or an unknown kind is refused before anything starts', async () => {
    const missing = depsFor(null);
    expect(await convertToDataSubjectRequest(missing.deps, agent, new Types.ObjectId().toString(), 'ACCESS')).toMatchObject({ ok: false, code: 'TICKET_NOT_FOUND' });
    expect(await convertToDataSubjectRequest(missing.deps, agent, 'not-an-id', 'ACCESS')).toMatchObject({ ok: false, code: 'TICKET_NOT_FOUND' });
    const stored = ticket();
    const bad = depsFor(stored);
    expect(await convertToDataSubjectRequest(bad.deps, agent, stored._id.toString(), 'PORTABILITY')).toMatchObject({ ok: false, code: 'INVALID_VALUE', field: ['kind'] });
    expect([...missing.started, ...bad.started]).toEqual([]);
  });
});
