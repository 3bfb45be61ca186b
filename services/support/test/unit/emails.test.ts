import { describe, expect, it } from 'vitest';
import { renderSupportEmail } from '../../src/emails.ts';

describe('support e-mails in the customer language', () => {
  it('renders the agent reply in Turkish and English with the ticket number', () => {
    const params = { number: 'DST-2026-000007', subject: 'Sunucu', body: 'Yeniden başlattık.' };
    const tr = renderSupportEmail('AGENT_REPLIED', 'tr', params);
    const en = renderSupportEmail('AGENT_REPLIED', 'en', params);
    expect(tr.subject).toContain('DST-2026-000007');
    expect(tr.subject).toContain('yanıtlandı');
    expect(tr.text).toContain('Yeniden başlattık.');
    expect(en.subject).toContain('answered');
  });

  it('shows the auto-close time in Turkish time', () => {
    const mail = renderSupportEmail('AUTO_CLOSE_WARNING', 'tr', { number: 'DST-2026-000007', subject: 'x', closesAt: '2026-03-02T09:00:00Z' });
    expect(mail.text).toContain('12:00');
    expect(mail.text).toContain('TSİ');
  });
});
