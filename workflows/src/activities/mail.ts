import type { Mailer } from '@omurga/shared';
import type { EmailMessage } from '@omurga/shared/temporal';

export function mailActivities(mailer: Mailer) {
  return {
    async deliverEmail(message: EmailMessage): Promise<{ messageId: string }> {
      return mailer.send(message);
    },
  };
}
export type MailActivities = ReturnType<typeof mailActivities>;
