import { setTimeout as sleep } from 'node:timers/promises';

export interface CaughtEmail {
  id: string;
  subject: string;
  text: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

/** Reads messages from the mail catcher's HTTP API (MailDev). */
export async function waitForEmail(mailCatcherUrl: string, match: (mail: CaughtEmail) => boolean, timeoutMs = 20_000): Promise<CaughtEmail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${mailCatcherUrl}/email`);
    const found = ((await response.json()) as CaughtEmail[]).find(match);
    if (found) return found;
    await sleep(250);
  }
  throw new Error(`no matching e-mail arrived within ${timeoutMs}ms`);
}
