import nodemailer from 'nodemailer';
import type { PlatformConfig } from './config.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** stable id so a retried delivery can be recognised by the receiving side */
  messageId?: string;
  /** extra header lines, e.g. List-Unsubscribe (RFC 2369, RFC 8058) */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * SMTP delivery. Local runs point SMTP_URL at the mail catcher. Connections
 * are pooled (up to 5, each reused for 100 messages) unless SMTP_URL says
 * otherwise (`?pool=false`, `&maxConnections=…`), so a burst of renewal
 * e-mails does not open one connection per message.
 */
export function createMailer(config: PlatformConfig): Mailer {
  const transport = nodemailer.createTransport(pooledSmtpUrl(config.mail.smtpUrl));
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: config.mail.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.messageId ? { messageId: message.messageId } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/** SMTP_URL with `pool=true` unless it says how to pool itself. */
export function pooledSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return url.href;
}
