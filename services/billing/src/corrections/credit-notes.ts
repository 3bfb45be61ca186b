import { randomUUID } from 'node:crypto';
import { issueNumbered } from '../invoices/numbering.ts';
import type { BillingModels, CreditNoteDoc, InvoiceDoc, InvoiceLine } from '../models/index.ts';
import { minorToMicros } from '../money.ts';
import { planCredit, type CreditRequest } from './creditable.ts';
import { auditCorrection, holdOnInvoice, sameRequest, type CorrectionActor, type CorrectionFailure } from './holds.ts';

export interface IssueCreditNoteInput extends CreditRequest {
  invoiceId: string;
  reason: string;
  /** the operator's key: the same key again answers the same credit note */
  idempotencyKey: string;
}

type CreditHold = InvoiceDoc['credits'][number];

/**
 * Issues a credit note (iade faturası) for all or part of a paid invoice
 * (issue 15): an operator's decision, never automatic [000 §4.9, 003 §7.4].
 * The credit is first held on the invoice (so concurrent notes cannot credit
 * more than the invoice), then the note takes the next number of its own
 * series. Repeating the request with the same key, even after a crash
 * between the two steps, answers the same note and takes no second number.
 */
export async function issueCreditNote(
  deps: { models: BillingModels; prefix: string },
  input: IssueCreditNoteInput,
  actor: CorrectionActor,
): Promise<{ ok: true; creditNote: CreditNoteDoc; invoice: InvoiceDoc } | CorrectionFailure> {
  const { models } = deps;
  const key = `credit-note/${input.invoiceId}/${input.idempotencyKey}`;
  const request = JSON.stringify({ lines: (input.lines ?? []).map((l) => ({ index: l.index, amountMinor: l.amountMinor ?? null })), amountMinor: input.amountMinor ?? null });

  const held = await holdOnInvoice<CreditHold>(models, input.invoiceId, 'credits', (invoice) => {
    const existing = sameRequest(invoice.credits, key, request);
    if (existing === 'reused') return { ok: false, code: 'IDEMPOTENCY_KEY_REUSED', field: ['idempotencyKey'] };
    if (existing) return { ok: true, hold: existing, existing: true };
    if (invoice.status !== 'PAID') return { ok: false, code: 'INVOICE_NOT_CREDITABLE', field: ['invoiceId'] };
    const plan = planCredit(invoice, invoice.credits ?? [], input);
    if (!plan.ok) return plan;
    return { ok: true, existing: false, hold: { key, request, lines: plan.lines, taxMinor: plan.taxMinor, at: new Date() } as CreditHold };
  });
  if (!held.ok) return held;
  const { hold, invoice } = held;

  const currency = invoice.currency;
  const lines: InvoiceLine[] = hold.lines.map(({ index, amountMinor }) => {
    const billed = invoice.lines[index]!;
    const whole = amountMinor === billed.amount.amountMinor;
    return {
      kind: billed.kind,
      code: billed.code,
      description: billed.description,
      // a part of a line is credited as one unit of that part
      quantity: whole ? billed.quantity : 1,
      unitAmountMicros: whole ? billed.unitAmountMicros : minorToMicros(amountMinor, currency),
      amount: { amountMinor, currency },
    };
  });
  const subtotalMinor = lines.reduce((sum, line) => sum + line.amount.amountMinor, 0);
  const creditNote = await issueNumbered<CreditNoteDoc>(
    models.CreditNote,
    {
      organizationId: invoice.organizationId,
      invoiceId: invoice._id,
      invoiceNumber: invoice.number,
      invoiceIssuedAt: invoice.issuedAt,
      key,
      ettn: randomUUID(),
      currency,
      lines,
      lineIndexes: hold.lines.map((l) => l.index),
      subtotal: { amountMinor: subtotalMinor, currency },
      taxRateBasisPoints: invoice.taxRateBasisPoints,
      tax: { amountMinor: hold.taxMinor, currency },
      total: { amountMinor: subtotalMinor + hold.taxMinor, currency },
      exchangeRate: invoice.exchangeRate ?? null,
      customer: invoice.customer ?? null,
      issued: { ...actor, reason: input.reason, at: hold.at },
      issuedAt: hold.at,
    } as unknown as Omit<CreditNoteDoc, '_id' | 'series' | 'sequence' | 'number'>,
    { prefix: deps.prefix, issuedAt: hold.at },
  );
  await auditCorrection(models, {
    action: 'CREDIT_NOTE_ISSUED',
    invoice,
    targetId: creditNote._id.toString(),
    actor,
    reason: input.reason,
    detail: { number: creditNote.number, total: creditNote.total },
    at: hold.at,
  });
  return { ok: true, creditNote, invoice: (await models.Invoice.findById(invoice._id).lean<InvoiceDoc>())! };
}
