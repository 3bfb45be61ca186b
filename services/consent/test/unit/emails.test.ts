import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@omurga/shared';
import { configuredDpoContacts, createConsentOutbox, renderConsentEmail } from '../../src/emails.ts';
import { addressKey } from '@omurga/shared/temporal';

interface Started {
  workflowId: string;
  message: { to: string; subject: string; text: string };
}

/** A Temporal client that records sendEmailWorkflow starts and, like the server, refuses a second start of the same ID. */
function fakeTemporal(failWith?: Error) {
  const started: Started[] = [];
  const client = {
    workflow: {
      async start(_name: string, options: { workflowId: string; args: [Started['message']] }) {
        if (failWith) throw failWith;
        if (started.some((s) => s.workflowId === options.workflowId)) {
          throw Object.assign(new Error('already started'), { name: 'WorkflowExecutionAlreadyStartedError' });
        }
        started.push({ workflowId: options.workflowId, message: options.args[0] });
      },
    },
  } as unknown as Client;
  return { client, started };
}

const warnings: unknown[] = [];
const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;

const breachParams = {
  breachId: 'br-1',
  clock: 'BOARD',
  organizationId: '',
  stage: 'ONE_HOUR_LEFT',
  dueAt: '2026-03-01T09:00:00.000Z',
  link: 'https://app.test/operator/breaches/br-1',
};

describe('consent e-mails (CON-5, CON-8)', () => {
  it('CON-8: sends each address once per key, in its own language, and a retried send starts nothing new', async () => {
    const temporal = fakeTemporal();
    const outbox = createConsentOutbox({ temporal: temporal.client, publicAppUrl: 'https://app.test/', logger, fallbackDpo: [] });
    const to = [
      { email: 'DPO@omurga.test', locale: 'tr' as const },
      { email: 'dpo@omurga.test', locale: 'en' as const },
      { email: 'second@omurga.test', locale: 'en' as const },
    ];

    expect(await outbox.send('BREACH_ESCALATION', 'breach/br-1/BOARD/ONE_HOUR_LEFT', to, breachParams)).toBe(2);
    expect(await outbox.send('BREACH_ESCALATION', 'breach/br-1/BOARD/ONE_HOUR_LEFT', to, breachParams)).toBe(2);

    expect(temporal.started.map((s) => s.workflowId)).toEqual([
      `email/consent/breach/br-1/BOARD/ONE_HOUR_LEFT/${addressKey('dpo@omurga.test')}`,
      `email/consent/breach/br-1/BOARD/ONE_HOUR_LEFT/${addressKey('second@omurga.test')}`,
    ]);
    const [tr, en] = temporal.started.map((s) => s.message);
    expect(tr).toMatchObject({ to: 'dpo@omurga.test', subject: 'İhlal br-1: son bir saat kaldı' });
    expect(tr!.text).toContain('Son tarih: 1 Mart 2026 12:00 (TSİ)');
    expect(en).toMatchObject({ to: 'second@omurga.test', subject: 'Breach br-1: one hour left' });
    expect(en!.text).toContain('Deadline: 1 March 2026 at 12:00 (Turkish time)');
    expect(en!.text).toContain('https://app.test/operator/breaches/br-1');
  });

  it('CON-5: DPO alerts fall back to CONSENT_DPO_EMAIL only when accounts listed nobody', () => {
    const fallbackDpo = configuredDpoContacts({ CONSENT_DPO_EMAIL: ' kvkk@omurga.test ' });
    expect(fallbackDpo).toEqual([{ email: 'kvkk@omurga.test', locale: 'tr' }]);
    expect(configuredDpoContacts({})).toEqual([]);

    const outbox = createConsentOutbox({ temporal: fakeTemporal().client, publicAppUrl: 'https://app.test', logger, fallbackDpo });
    expect(outbox.toDpo([])).toEqual(fallbackDpo);
    expect(outbox.toDpo([{ email: 'dpo@omurga.test', locale: 'en' }])).toEqual([{ email: 'dpo@omurga.test', locale: 'en' }]);
    expect(outbox.operatorLink('/operator/data-subject-requests/r1')).toBe('https://app.test/operator/data-subject-requests/r1');
  });

  it('CON-5: the reminder names the request, its kind, the day and the due date; the escalation says it is overdue', () => {
    const reminder = renderConsentEmail('DSR_REMINDER', 'en', { requestId: 'r1', kind: 'ERASURE', day: '27', dueAt: '2026-03-01T09:00:00.000Z', link: 'L' });
    expect(reminder.subject).toBe('Reminder: data-subject request r1 (day 27)');
    expect(reminder.text).toContain('(ERASURE) was received 27 days ago');
    expect(reminder.text).toContain('by 1 March 2026 at 12:00 (Turkish time)');
    const escalation = renderConsentEmail('DSR_ESCALATION', 'tr', { requestId: 'r1', kind: 'ERASURE', dueAt: '2026-03-01T09:00:00.000Z', link: 'L' });
    expect(escalation.subject).toBe('Süresi doldu: ilgili kişi başvurusu r1');
  });

  it('CON-8: a failure to start the e-mail workflow is thrown, so the activity is retried rather than the e-mail lost', async () => {
    const outbox = createConsentOutbox({ temporal: fakeTemporal(new Error('temporal unavailable')).client, publicAppUrl: 'https://app.test', logger, fallbackDpo: [] });
    await expect(outbox.send('BREACH_ESCALATION', 'k', [{ email: 'dpo@omurga.test', locale: 'tr' }], breachParams)).rejects.toThrow('temporal unavailable');
  });
});
