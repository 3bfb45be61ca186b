// The agents' queue with SLA countdowns, and one ticket with agent tools.
import { Anchor, Badge, Button, Group, SegmentedControl, Table, Text, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { gql } from '../../api.ts';
import { ErrorText, Loading, Page, Section, StatusBadge } from '../../components/common.tsx';
import { TemporalLink } from '../../components/temporal.tsx';
import { graphql } from '../../gql/index.ts';
import type { TicketStatus } from '../../gql/graphql.ts';
import { relativeTo, useLocale, useT } from '../../i18n.ts';
import { TicketConversation } from '../portal/support.tsx';

const Queue = graphql(`
  query SupportQueue($status: TicketStatus) {
    supportTickets(status: $status, first: 100) {
      edges { node { id number subject status priority department slaBreached flaggedForAbuse firstResponseDueAt responseDueAt createdAt organization { id name customerCode } } }
    }
  }
`);
const Note = graphql(`mutation AddInternalNote($id: ID!, $body: String!) { addInternalNote(ticketId: $id, body: $body) { ticket { id } userErrors { code field message } } }`);
const Hold = graphql(`mutation SetTicketOnHold($id: ID!) { setTicketOnHold(ticketId: $id) { ticket { id status } userErrors { code field message } } }`);
const Resume = graphql(`mutation ResumeTicket($id: ID!) { resumeTicket(ticketId: $id) { ticket { id status } userErrors { code field message } } }`);
const WorkflowOfTicket = graphql(`query TicketWorkflow($id: ID!) { ticket(id: $id) { id workflowId status } }`);

export function SupportQueuePage() {
  const t = useT();
  const { locale } = useLocale();
  const [status, setStatus] = useState<string>('OPEN');
  const query = useQuery({ queryKey: ['queue', status], queryFn: () => gql(Queue, { status: status === 'ALL' ? null : (status as TicketStatus) }), refetchInterval: 30_000 });
  if (query.error) return <ErrorText error={query.error} />;
  const tickets = [...(query.data?.supportTickets.edges.map((e) => e.node) ?? [])].sort((a, b) => Date.parse(a.responseDueAt ?? a.firstResponseDueAt ?? '9999') - Date.parse(b.responseDueAt ?? b.firstResponseDueAt ?? '9999'));
  return (
    <Page title={t('Destek kuyruğu', 'Support queue')}>
      <SegmentedControl aria-label={t('Durum', 'Status')} value={status} onChange={setStatus} data={['OPEN', 'CUSTOMER_REPLY', 'ANSWERED', 'ON_HOLD', 'CLOSED', 'ALL']} />
      {query.isPending ? <Loading /> : (
        <Table striped>
          <Table.Thead><Table.Tr><Table.Th>{t('Numara', 'Number')}</Table.Th><Table.Th>{t('Müşteri', 'Customer')}</Table.Th><Table.Th>{t('Konu', 'Subject')}</Table.Th><Table.Th>{t('Öncelik', 'Priority')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>SLA</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {tickets.map((ticket) => {
              const due = ticket.responseDueAt ?? ticket.firstResponseDueAt;
              return (
                <Table.Tr key={ticket.id}>
                  <Table.Td><Anchor component={Link} to={`/operator/tickets/${ticket.id}`}>{ticket.number}</Anchor></Table.Td>
                  <Table.Td>{ticket.organization.name}</Table.Td>
                  <Table.Td>{ticket.subject} {ticket.flaggedForAbuse ? <Badge color="red" variant="dot">{t('kötüye kullanım?', 'abuse?')}</Badge> : null}</Table.Td>
                  <Table.Td>{ticket.priority}</Table.Td>
                  <Table.Td><StatusBadge status={ticket.status} /></Table.Td>
                  <Table.Td>{ticket.slaBreached ? <Badge color="red" variant="dot">{t('SLA aşıldı', 'SLA breached')}</Badge> : due ? <Text size="sm">{relativeTo(locale, due)}</Text> : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Page>
  );
}

export function OperatorTicketPage() {
  const t = useT();
  const { id = '' } = useParams();
  const client = useQueryClient();
  const info = useQuery({ queryKey: ['ticket-workflow', id], queryFn: () => gql(WorkflowOfTicket, { id }) });
  const [note, setNote] = useState('');
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: ['ticket', id] }), client.invalidateQueries({ queryKey: ['ticket-workflow', id] })]);
  return (
    <>
      <TicketConversation id={id} agent />
      <Section title={t('Ajan araçları', 'Agent tools')}>
        {info.data?.ticket ? <TemporalLink workflowId={info.data.ticket.workflowId} /> : null}
        <Textarea label={t('İç not (müşteri görmez)', 'Internal note (never shown to the customer)')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group>
          <Button variant="default" disabled={!note.trim()} onClick={async () => { await gql(Note, { id, body: note }); setNote(''); await refresh(); }}>{t('Not ekle', 'Add note')}</Button>
          {info.data?.ticket?.status === 'ON_HOLD' ? (
            <Button variant="default" onClick={async () => { await gql(Resume, { id }); await refresh(); }}>{t('Devam et', 'Resume')}</Button>
          ) : (
            <Button variant="default" onClick={async () => { await gql(Hold, { id }); await refresh(); }}>{t('Beklemeye al', 'Put on hold')}</Button>
          )}
        </Group>
      </Section>
    </>
  );
}
