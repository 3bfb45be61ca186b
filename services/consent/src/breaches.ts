import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isValidObjectId } from 'mongoose';
import { createTranslator } from '@omurga/shared';
import { BREACH_QUERIES, BREACH_SIGNALS, BREACH_WINDOWS_MS, breachWorkflowId, type BoardNotifiedSignal, type BreachClockInput, type BreachClockState, type BreachRole, type BreachState, type ControllerNotifiedSignal } from './workflows/contracts/breaches.ts';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { appendBreachEvent, breachClockKey } from './breach-activities.ts';
import type { BreachDoc, BreachEventDoc, ConsentModels } from './models.ts';

// Stable codes are the contract; texts may change.
export const breachMessages = createTranslator({
  BREACH_NOT_FOUND: { tr: 'İhlal kaydı bulunamadı.', en: 'Breach not found.' },
  BREACH_CLOSED: { tr: 'İhlal kaydı kapatılmış.', en: 'The breach has been closed.' },
  DETECTED_IN_FUTURE: { tr: 'Tespit zamanı gelecekte olamaz.', en: 'The detection time cannot be in the future.' },
  NOT_AFFECTED: { tr: 'Bu müşteri ihlalden etkilenenler arasında değil.', en: 'This customer is not among those affected by the breach.' },
});

export const DESCRIPTION_MAX = 5000;

export interface ReportBreachInput {
  detectedAt: Date;
  role: BreachRole;
  description: string;
  affectedOrganizationIds: string[];
  reportedBy: string | null;
  now: Date;
}

export type BreachFailure = { code: string; field: string[] };
export type BreachResult = { ok: true; breach: BreachDoc } | ({ ok: false } & BreachFailure);

const fail = (code: string, field: string[]): BreachResult => ({ ok: false, code, field });

export async function findBreach(models: ConsentModels, breachId: string): Promise<BreachDoc | null> {
  return isValidObjectId(breachId) ? models.Breach.findById(breachId).lean<BreachDoc>() : null;
}

/**
 * CON-8: records a breach (OPEN) and starts the workflow that runs its clocks:
 * 72 hours to notify the Board and, as processor, 24 hours per affected customer.
 */
export async function reportBreach(models: ConsentModels, temporal: Client, input: ReportBreachInput): Promise<BreachResult> {
  const description = input.description.trim();
  if (!description) return fail('REQUIRED', ['input', 'description']);
  if (description.length > DESCRIPTION_MAX) return fail('TOO_LONG', ['input', 'description']);
  if (Number.isNaN(input.detectedAt.getTime())) return fail('INVALID_VALUE', ['input', 'detectedAt']);
  if (input.detectedAt > input.now) return fail('DETECTED_IN_FUTURE', ['input', 'detectedAt']);
  const affectedOrganizationIds = [...new Set(input.affectedOrganizationIds)];
  // A processor breach is about customers' data: each affected customer has a 24-hour clock [003 Ek-1 §4.1.5].
  if (input.role === 'PROCESSOR' && affectedOrganizationIds.length === 0) return fail('REQUIRED', ['input', 'affectedOrganizationIds']);

  const created = await models.Breach.create({
    detectedAt: input.detectedAt,
    role: input.role,
    description,
    affectedOrganizationIds,
    status: 'OPEN',
    reportedBy: input.reportedBy,
  });
  const breachId = created._id.toString();
  const workflowInput: BreachClockInput = {
    breachId,
    detectedAt: input.detectedAt.toISOString(),
    role: input.role,
    affectedOrganizationIds,
  };
  try {
    await temporal.workflow.start('breachClockWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: breachWorkflowId(breachId),
      args: [workflowInput],
    });
  } catch (error) {
    // Without its workflow nobody would keep the clocks; the DPO reports again.
    await models.Breach.deleteOne({ _id: created._id });
    throw error;
  }
  await appendBreachEvent(models, { key: `${breachId}:REPORTED`, breachId, kind: 'REPORTED', at: input.now });
  return { ok: true, breach: created.toObject() as BreachDoc };
}

/** Loads an open breach for an operator step, or says why the step cannot be taken. */
async function openBreach(models: ConsentModels, breachId: string): Promise<BreachResult> {
  const breach = await findBreach(models, breachId);
  if (!breach) return fail('BREACH_NOT_FOUND', ['breachId']);
  if (breach.status === 'CLOSED') return fail('BREACH_CLOSED', ['breachId']);
  return { ok: true, breach };
}

/** The Board has been notified (KVKK Board decision 2019/10); the workflow decides whether that met the clock. */
export async function recordBoardNotification(models: ConsentModels, temporal: Client, breachId: string, reference: string, now: Date) {
  const found = await openBreach(models, breachId);
  if (!found.ok) return found;
  if (!reference.trim()) return fail('REQUIRED', ['reference']);
  const payload: BoardNotifiedSignal = { at: now.toISOString(), reference: reference.trim() };
  await temporal.workflow.getHandle(breachWorkflowId(breachId)).signal(BREACH_SIGNALS.boardNotified, payload);
  // As in the workflow, the first notification wins.
  await models.Breach.updateOne({ _id: breachId, boardReference: null }, { $set: { boardReference: payload.reference } });
  await appendBreachEvent(models, { key: `${breachId}:BOARD_NOTIFIED`, breachId, kind: 'BOARD_NOTIFIED', reference: payload.reference, at: now });
  return { ok: true as const, breach: (await findBreach(models, breachId))! };
}

/** An affected customer (the controller) has been notified [003 Ek-1 §4.1.5]. */
export async function recordControllerNotification(models: ConsentModels, temporal: Client, breachId: string, organizationId: string, now: Date) {
  const found = await openBreach(models, breachId);
  if (!found.ok) return found;
  if (found.breach.role !== 'PROCESSOR' || !found.breach.affectedOrganizationIds.includes(organizationId)) {
    return fail('NOT_AFFECTED', ['organizationId']);
  }
  const payload: ControllerNotifiedSignal = { organizationId, at: now.toISOString() };
  await temporal.workflow.getHandle(breachWorkflowId(breachId)).signal(BREACH_SIGNALS.controllerNotified, payload);
  await appendBreachEvent(models, {
    key: `${breachId}:CONTROLLER_NOTIFIED:${organizationId}`,
    breachId,
    kind: 'CONTROLLER_NOTIFIED',
    clock: 'CONTROLLER',
    organizationId,
    at: now,
  });
  return found;
}

/** The DPO closes the register entry; the workflow stops escalating and ends. */
export async function closeBreach(models: ConsentModels, temporal: Client, breachId: string, now: Date): Promise<BreachResult> {
  const found = await openBreach(models, breachId);
  if (!found.ok) return found;
  try {
    await temporal.workflow.getHandle(breachWorkflowId(breachId)).signal(BREACH_SIGNALS.closed);
  } catch (error) {
    // A workflow already gone has nothing left to stop.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  await models.Breach.updateOne({ _id: breachId, status: 'OPEN' }, { $set: { status: 'CLOSED', closedAt: now } });
  await appendBreachEvent(models, { key: `${breachId}:CLOSED`, breachId, kind: 'CLOSED', at: now });
  return { ok: true, breach: (await findBreach(models, breachId))! };
}

export async function listBreaches(models: ConsentModels): Promise<BreachDoc[]> {
  return models.Breach.find().sort({ detectedAt: -1, _id: 1 }).lean<BreachDoc[]>();
}

export async function breachEvents(models: ConsentModels, breachId: string): Promise<BreachEventDoc[]> {
  return models.BreachEvent.find({ breachId }).sort({ at: 1, _id: 1 }).lean<BreachEventDoc[]>();
}

type StoredClockRecord = { clock: string; organizationId?: string | null; status: 'MET' | 'MISSED'; at: Date };

/**
 * The clocks as stored: every clock the breach has, OPEN unless the workflow
 * has recorded its outcome. Used when the workflow cannot be queried.
 */
export function storedClocks(breach: BreachDoc): BreachClockState[] {
  const detectedAtMs = new Date(breach.detectedAt).getTime();
  // lean() gives the Map as a plain object.
  const records = (breach.clockRecords ?? {}) as unknown as Record<string, StoredClockRecord | undefined>;
  const clock = (kind: 'BOARD' | 'CONTROLLER', windowMs: number, organizationId?: string): BreachClockState => {
    const record = records[breachClockKey(kind, organizationId)];
    const state: BreachClockState = {
      clock: kind,
      organizationId,
      dueAt: new Date(detectedAtMs + windowMs).toISOString(),
      status: record?.status ?? 'OPEN',
    };
    if (record?.status === 'MET') state.notifiedAt = new Date(record.at).toISOString();
    if (kind === 'BOARD' && breach.boardReference) state.reference = breach.boardReference;
    return state;
  };
  return [
    clock('BOARD', BREACH_WINDOWS_MS.BOARD),
    ...(breach.role === 'PROCESSOR' ? breach.affectedOrganizationIds.map((id) => clock('CONTROLLER', BREACH_WINDOWS_MS.CONTROLLER, id)) : []),
  ];
}

/** The clocks as the workflow sees them (breachState query); the stored records if it cannot answer. */
export async function breachClocks(temporal: Client, breach: BreachDoc): Promise<BreachClockState[]> {
  try {
    const state = await temporal.workflow.getHandle(breachWorkflowId(breach._id.toString())).query<BreachState>(BREACH_QUERIES.breachState);
    return state.clocks;
  } catch {
    return storedClocks(breach);
  }
}
