// Support tickets (open, reply, attach, rate) and announcements.
import { Alert, Anchor, Button, FileInput, Group, Paper, Rating, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { fieldErrors, gql } from '../../api.ts';
import { DownloadButton, ErrorText, Loading, Messages, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { relativeTo, useLocale, useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';

const Tickets = graphql(`
  query PortalTickets($id: ID!) {
    announcements { id title body startsAt endsAt }
    organization(id: $id) { id tickets(first: 50) { edges { node { id number subject status priority department createdAt firstResponseDueAt responseDueAt } } } }
  }
`);
const OpenTicket = graphql(`
  mutation OpenTicket($input: OpenTicketInput!) { openTicket(input: $input) { ticket { id number } userErrors { code field message } } }
`);
export const TicketDetail = graphql(`
  query TicketDetail($id: ID!) {
    ticket(id: $id) {
      id number subject status priority department createdAt closedAt firstResponseDueAt responseDueAt slaBreached workflowId flaggedForAbuse
      organization { id name customerCode }
      messages { id body fromOperator internal createdAt }
      attachments { id fileName contentType size downloadPath createdAt }
      rating { rating comment ratedAt }
    }
  }
`);
const Reply = graphql(`
  mutation ReplyToTicket($id: ID!, $body: String!) { replyToTicket(ticketId: $id, body: $body) { ticket { id status } userErrors { code field message } } }
`);
const Attach = graphql(`
  mutation AddTicketAttachment($input: TicketAttachmentInput!) { addTicketAttachment(input: $input) { attachment { id fileName } userErrors { code field message } } }
`);
const Rate = graphql(`
  mutation RateTicket($id: ID!, $rating: Int!, $comment: String) { rateTicket(ticketId: $id, rating: $rating, comment: $comment) { ticket { id rating { rating } } userErrors { code field message } } }
`);
const Close = graphql(`
  mutation CloseTicket($id: ID!) { closeTicket(ticketId: $id) { ticket { id status } userErrors { code field message } } }
`);

const DEPARTMENTS = ['TECHNICAL', 'BILLING', 'SALES', 'INSTALLATION', 'ABUSE'];

export function SupportPage() {
  const t = useT();
  const { locale } = useLocale();
  const { membership } = useCustomer();
  const orgId = membership.organization.id;
  const navigate = useNavigate();
  const query = useQuery({ queryKey: ['tickets', orgId], queryFn: () => gql(Tickets, { id: orgId }) });
  const [form, setForm] = useState({ subject: '', body: '', department: 'TECHNICAL', priority: 'NORMAL' });
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ byField: {}, general: [] });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const tickets = query.data.organization?.tickets.edges.map((e) => e.node) ?? [];
  return (
    <Page title={t('Destek', 'Support')}>
      {query.data.announcements.map((a) => (
        <Alert key={a.id} color="blue" title={a.title}>
          {a.body} (<When at={a.startsAt} /> – <When at={a.endsAt} />)
        </Alert>
      ))}
      <Section title={t('Talepleriniz', 'Your tickets')}>
        {tickets.length === 0 ? <Text c="dimmed">{t('Henüz talep yok.', 'No tickets yet.')}</Text> : (
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Numara', 'Number')}</Table.Th><Table.Th>{t('Konu', 'Subject')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>{t('Yanıt hedefi', 'Response due')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {tickets.map((ticket) => (
                <Table.Tr key={ticket.id}>
                  <Table.Td><Anchor component={Link} to={`/portal/support/${ticket.id}`}>{ticket.number}</Anchor></Table.Td>
                  <Table.Td>{ticket.subject}</Table.Td>
                  <Table.Td><StatusBadge status={ticket.status} /></Table.Td>
                  <Table.Td>{ticket.responseDueAt ?? ticket.firstResponseDueAt ? relativeTo(locale, (ticket.responseDueAt ?? ticket.firstResponseDueAt)!) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section title={t('Yeni talep', 'New ticket')}>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const { openTicket } = await gql(OpenTicket, { input: { organizationId: orgId, subject: form.subject, body: form.body, department: form.department, priority: form.priority as 'NORMAL' } });
            if (openTicket.ticket) navigate(`/portal/support/${openTicket.ticket.id}`);
            else setErrors(fieldErrors(openTicket.userErrors));
          }}
        >
          <Stack>
            <TextInput label={t('Konu', 'Subject')} required value={form.subject} onChange={(e) => setForm({ ...form, subject: e.currentTarget.value })} error={errors.byField.subject} />
            <Group grow>
              <Select label={t('Bölüm', 'Department')} value={form.department} onChange={(v) => setForm({ ...form, department: v ?? 'TECHNICAL' })} data={DEPARTMENTS} error={errors.byField.department} />
              <Select label={t('Öncelik', 'Priority')} value={form.priority} onChange={(v) => setForm({ ...form, priority: v ?? 'NORMAL' })} data={['LOW', 'NORMAL', 'HIGH', 'URGENT']} />
            </Group>
            <Textarea label={t('Açıklama', 'Description')} required minRows={4} value={form.body} onChange={(e) => setForm({ ...form, body: e.currentTarget.value })} error={errors.byField.body} />
            <Messages errors={errors.general} />
            <Button type="submit">{t('Talep aç', 'Open ticket')}</Button>
          </Stack>
        </form>
      </Section>
    </Page>
  );
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** One ticket's conversation, shared by the portal and the back office. */
export function TicketConversation({ id, agent = false }: { id: string; agent?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['ticket', id], queryFn: () => gql(TicketDetail, { id }) });
  const [body, setBody] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [rating, setRating] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  const refresh = () => client.invalidateQueries({ queryKey: ['ticket', id] });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const ticket = query.data.ticket;
  if (!ticket) return <Text>{t('Talep bulunamadı.', 'Ticket not found.')}</Text>;
  const due = ticket.responseDueAt ?? ticket.firstResponseDueAt;
  return (
    <Page title={`${ticket.number} · ${ticket.subject}`} actions={<StatusBadge status={ticket.status} />}>
      <Group>
        <Text size="sm">{t('Bölüm', 'Department')}: {ticket.department}</Text>
        <Text size="sm">{t('Öncelik', 'Priority')}: {ticket.priority}</Text>
        {due ? <Text size="sm" c={ticket.slaBreached ? 'red' : undefined}>{t('Yanıt hedefi', 'Response due')}: <When at={due} /> ({relativeTo(locale, due)})</Text> : null}
      </Group>
      <Stack gap="xs">
        {ticket.messages.map((m) => (
          <Paper key={m.id} withBorder p="sm" bg={m.internal ? 'yellow.0' : m.fromOperator ? 'gray.0' : undefined}>
            <Text size="xs" c="dimmed">{m.fromOperator ? t('Destek ekibi', 'Support team') : t('Müşteri', 'Customer')}{m.internal ? ` · ${t('iç not', 'internal note')}` : ''} · <When at={m.createdAt} /></Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{m.body}</Text>
          </Paper>
        ))}
      </Stack>
      <Section title={t('Ekler', 'Attachments')}>
        {ticket.attachments.map((a) => (
          <Group key={a.id} data-testid="attachment">
            <Text size="sm">{a.fileName} ({Math.ceil(a.size / 1024)} KB)</Text>
            <DownloadButton path={a.downloadPath} fileName={a.fileName} label={t(`${a.fileName} indir`, `Download ${a.fileName}`)} />
          </Group>
        ))}
        {ticket.status !== 'CLOSED' ? (
          <Group align="flex-end">
            <FileInput label={t('Dosya ekle (PDF, PNG, JPEG, metin; en çok 10 MB)', 'Attach a file (PDF, PNG, JPEG, text; up to 10 MB)')} value={file} onChange={setFile} clearable w={360} />
            <Button
              disabled={!file}
              onClick={async () => {
                const { addTicketAttachment } = await gql(Attach, { input: { ticketId: id, fileName: file!.name, contentType: file!.type || null, contentBase64: await toBase64(file!) } });
                setErrors(addTicketAttachment.userErrors.map((e) => e.message));
                if (addTicketAttachment.attachment) {
                  setFile(null);
                  await refresh();
                }
              }}
            >
              {t('Yükle', 'Upload')}
            </Button>
          </Group>
        ) : null}
      </Section>
      {ticket.status !== 'CLOSED' ? (
        <Section title={t('Yanıt yaz', 'Reply')}>
          <Textarea aria-label={t('Yanıtınız', 'Your reply')} minRows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
          <Group>
            <Button
              disabled={!body.trim()}
              onClick={async () => {
                const { replyToTicket } = await gql(Reply, { id, body });
                setErrors(replyToTicket.userErrors.map((e) => e.message));
                if (!replyToTicket.userErrors.length) {
                  setBody('');
                  await refresh();
                }
              }}
            >
              {t('Gönder', 'Send')}
            </Button>
            {!agent ? <Button variant="default" onClick={async () => { await gql(Close, { id }); await refresh(); }}>{t('Talebi kapat', 'Close ticket')}</Button> : null}
          </Group>
        </Section>
      ) : null}
      {!agent && ['ANSWERED', 'CLOSED'].includes(ticket.status) ? (
        <Section title={t('Değerlendirme', 'Rating')}>
          {ticket.rating ? <Rating value={ticket.rating.rating} readOnly aria-label={t('Puanınız', 'Your rating')} /> : (
            <Group>
              <Rating value={rating} onChange={setRating} aria-label={t('Puan verin', 'Rate')} />
              <Button size="xs" disabled={!rating} onClick={async () => { const { rateTicket } = await gql(Rate, { id, rating, comment: null }); setErrors(rateTicket.userErrors.map((e) => e.message)); await refresh(); }}>{t('Puanla', 'Rate')}</Button>
            </Group>
          )}
        </Section>
      ) : null}
      <Messages errors={errors} />
    </Page>
  );
}

export function TicketPage() {
  const { id = '' } = useParams();
  return <TicketConversation id={id} />;
}
