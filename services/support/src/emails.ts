import type { Client } from '@temporalio/client';
import type { Locale, Logger } from '@omurga/shared';
import { startEmailWorkflow } from '@omurga/shared/temporal';

/**
 * Support's e-mails in Turkish and English, handed to the durable
 * sendEmailWorkflow. The workflow ID is derived from `key`, so the same
 * e-mail is sent once however often an activity or request is retried.
 */
export type SupportEmailKind = 'AGENT_REPLIED' | 'AUTO_CLOSE_WARNING' | 'TICKET_CLOSED' | 'SLA_ESCALATION' | 'ABUSE_FLAGGED';

export interface SupportEmailParams {
  number: string;
  subject: string;
  /** the agent's reply */
  body?: string;
  /** ISO instant */
  closesAt?: string;
  stage?: string;
  dueAt?: string;
  terms?: string;
}

const TIME_FORMAT: Record<Locale, Intl.DateTimeFormat> = {
  tr: new Intl.DateTimeFormat('tr-TR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Istanbul' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Istanbul' }),
};
const when = (iso: string | undefined, locale: Locale) => (iso ? `${TIME_FORMAT[locale].format(new Date(iso))} (${locale === 'tr' ? 'TSİ' : 'Turkey time'})` : '');
const lines = (...parts: (string | false | undefined)[]) => parts.filter((p): p is string => typeof p === 'string').join('\n');

type Template = (p: SupportEmailParams, locale: Locale) => { subject: string; text: string };

const TEMPLATES: Record<SupportEmailKind, Record<Locale, Template>> = {
  AGENT_REPLIED: {
    tr: (p) => ({ subject: `[${p.number}] Talebiniz yanıtlandı: ${p.subject}`, text: lines('Merhaba,', '', `${p.number} numaralı talebinize yanıt verdik:`, '', p.body ?? '', '', 'Yanıtlamak için panelinizdeki talebi açabilirsiniz.') }),
    en: (p) => ({ subject: `[${p.number}] Your ticket was answered: ${p.subject}`, text: lines('Hello,', '', `We replied to ticket ${p.number}:`, '', p.body ?? '', '', 'You can reply from the ticket in your panel.') }),
  },
  AUTO_CLOSE_WARNING: {
    tr: (p, l) => ({ subject: `[${p.number}] Talebiniz yakında kapanacak`, text: lines('Merhaba,', '', `${p.number} numaralı talebiniz yanıt bekliyor. Yanıt vermezseniz ${when(p.closesAt, l)} tarihinde otomatik olarak kapatılacak.`) }),
    en: (p, l) => ({ subject: `[${p.number}] Your ticket will close soon`, text: lines('Hello,', '', `Ticket ${p.number} is waiting for your reply. Unless you reply, it closes automatically on ${when(p.closesAt, l)}.`) }),
  },
  TICKET_CLOSED: {
    tr: (p) => ({ subject: `[${p.number}] Talebiniz kapatıldı`, text: lines('Merhaba,', '', `${p.number} numaralı "${p.subject}" talebiniz kapatıldı.`, 'Hizmetimizi panelden 1-5 arası puanlayabilirsiniz; yanıt yazarak talebi yeniden açabilirsiniz.') }),
    en: (p) => ({ subject: `[${p.number}] Your ticket was closed`, text: lines('Hello,', '', `Ticket ${p.number} "${p.subject}" has been closed.`, 'You can rate our support from 1 to 5 in your panel, or reply to reopen the ticket.') }),
  },
  SLA_ESCALATION: {
    tr: (p, l) => ({ subject: `[${p.number}] SLA ${p.stage === 'BREACHED' ? 'aşıldı' : 'uyarısı'}`, text: lines(`${p.number} "${p.subject}"`, `Yanıt süresi: ${when(p.dueAt, l)}`, `Aşama: ${p.stage ?? ''}`) }),
    en: (p, l) => ({ subject: `[${p.number}] SLA ${p.stage === 'BREACHED' ? 'breached' : 'warning'}`, text: lines(`${p.number} "${p.subject}"`, `Response due: ${when(p.dueAt, l)}`, `Stage: ${p.stage ?? ''}`) }),
  },
  ABUSE_FLAGGED: {
    tr: (p) => ({ subject: `[${p.number}] Uygunsuz ifade incelemesi`, text: lines(`${p.number} "${p.subject}" talebindeki bir müşteri mesajı uygunsuz ifade içeriyor olabilir.`, `Eşleşen: ${p.terms ?? ''}`, 'Karar bir operatöre aittir; otomatik işlem yapılmadı.') }),
    en: (p) => ({ subject: `[${p.number}] Abusive language review`, text: lines(`A customer message on ${p.number} "${p.subject}" may contain abusive language.`, `Matched: ${p.terms ?? ''}`, 'An operator decides; nothing was done automatically.') }),
  },
};

export function renderSupportEmail(kind: SupportEmailKind, locale: Locale, params: SupportEmailParams) {
  return TEMPLATES[kind][locale](params, locale);
}

export interface SupportMailer {
  send(input: { key: string; kind: SupportEmailKind; to: string; locale: Locale; params: SupportEmailParams }): Promise<void>;
}

export function temporalSupportMailer(client: Client, logger: Logger): SupportMailer {
  return {
    async send({ key, kind, to, locale, params }) {
      const rendered = renderSupportEmail(kind, locale, params);
      const outcome = await startEmailWorkflow(client, `support/${key}`, { to, subject: rendered.subject, text: rendered.text });
      if (outcome === 'ALREADY_STARTED') logger.debug({ key }, 'support e-mail already sent');
    },
  };
}
