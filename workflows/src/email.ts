export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
}

export const emailWorkflowId = (key: string) => `email/${key}`;
