export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  /** extra header lines, e.g. List-Unsubscribe (RFC 2369, RFC 8058) */
  headers?: Record<string, string>;
}

export const emailWorkflowId = (key: string) => `email/${key}`;
