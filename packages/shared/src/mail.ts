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

/** SMTP delivery. Local runs point SMTP_URL at the mail catcher. */
export function createMailer(config: PlatformConfig): Mailer {
  const transport = nodemailer.createTransport(config.mail.smtpUrl);
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
