import { describe, expect, it } from 'vitest';
import type { LifecycleState } from '../../src/lifecycle/index.ts';
import { creditNoteIssuedEvent, webhookEventsFor, type RecordedEntry } from '../../src/workflows/webhook-events.ts';

const AT = '2026-12-07T10:00:00.000Z';
const state = {
  subscriptionId: 'sub1',
  organizationId: 'org1',
  planCode: 'PRO',
  period: { index: 2, kind: 'PAID', planCode: 'PRO' },
  invoice: { id: 'inv1', number: 'OMR2026000000007', totalMinor: 1200_00, currency: 'TRY', dueAt: Date.parse(AT), paid: false, attempts: 2 },
} as unknown as LifecycleState;
const entry = (event: string, detail: string | null, status: RecordedEntry['status'] = null, previousStatus: RecordedEntry['status'] = 'ACTIVE'): RecordedEntry => ({
  event,
  detail,
  status,
  previousStatus,
  sequenceKey: 'run-1',
});
const types = (e: RecordedEntry) => webhookEventsFor(e, state, AT).map((event) => [event.type, event.id]);

describe("billing's webhook events from the subscription history (issue 15)", () => {
  it('names invoice events by the invoice number, so a repeated entry gives the same id', () => {
    expect(types(entry('INVOICE_ISSUED', 'OMR2026000000007 120000 TRY'))).toEqual([['invoice.issued', 'evt_invoice_issued_sub1_OMR2026000000007']]);
    expect(types(entry('PAYMENT_RECOVERED', 'OMR2026000000007', 'ACTIVE', 'PAST_DUE'))).toEqual([['invoice.paid', 'evt_invoice_paid_sub1_OMR2026000000007']]);
    expect(webhookEventsFor(entry('INVOICE_PAID', 'OMR2026000000007'), state, AT)[0]).toMatchObject({
      organizationId: 'org1',
      occurredAt: AT,
      data: { subscriptionId: 'sub1', invoiceId: 'inv1', invoiceNumber: 'OMR2026000000007', totalMinor: 1200_00, currency: 'TRY' },
    });
  });

  it('turns dunning into payment.failed, past_due, overdue, suspended and terminated', () => {
    expect(types(entry('PAYMENT_FAILED', 'attempt 2: DECLINED', 'PAST_DUE', 'ACTIVE'))).toEqual([
      ['payment.failed', 'evt_payment_failed_sub1_OMR2026000000007_2'],
      ['subscription.past_due', 'evt_subscription_past_due_sub1_run-1'],
    ]);
    // Still past due: no second past_due event.
    expect(types(entry('PAYMENT_OVERDUE', 'OMR2026000000007', 'PAST_DUE', 'PAST_DUE'))).toEqual([['invoice.overdue', 'evt_invoice_overdue_sub1_OMR2026000000007']]);
    expect(types(entry('SUSPENDED', 'NON_PAYMENT', 'SUSPENDED', 'PAST_DUE'))).toEqual([['subscription.suspended', 'evt_subscription_suspended_sub1_run-1']]);
    expect(types(entry('TERMINATED', 'NON_PAYMENT', 'TERMINATED', 'SUSPENDED'))).toEqual([['subscription.terminated', 'evt_subscription_terminated_sub1_end']]);
    expect(types(entry('TRIAL_ENDED', 'TRIAL_ENDED_WITHOUT_PAYMENT_METHOD', 'CANCELED', 'TRIALING'))).toEqual([['subscription.canceled', 'evt_subscription_canceled_sub1_end']]);
    expect(types(entry('PERIOD_STARTED', 'PRO v1'))).toEqual([['subscription.renewed', 'evt_subscription_renewed_sub1_2']]);
    expect(types(entry('STATUS_CHANGED', null, 'ACTIVE', 'TRIALING'))).toEqual([]);
  });

  it('describes an issued credit note under an id of its own', () => {
    expect(creditNoteIssuedEvent({ creditNoteId: 'cn1', number: 'IAD2026000000001', invoiceId: 'inv1', organizationId: 'org1', totalMinor: -100_00, currency: 'TRY', issuedAt: AT })).toEqual({
      id: 'evt_credit_note_issued_cn1',
      type: 'credit_note.issued',
      organizationId: 'org1',
      occurredAt: AT,
      data: { creditNoteId: 'cn1', number: 'IAD2026000000001', invoiceId: 'inv1', totalMinor: -100_00, currency: 'TRY' },
    });
  });
});
