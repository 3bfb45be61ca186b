// The data protection officer's board: requests by deadline (KVKK art. 13,
// 30 days), breaches with their 72 h / 24 h clocks, destruction records and
// the data inventory; and the pages DPO e-mails link to.
import { Anchor, Badge, Button, Group, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { gql } from '../../api.ts';
import { DownloadButton, ErrorText, Loading, Messages, Page, ReasonAction, Section, StatusBadge, When } from '../../components/common.tsx';
import { TemporalLink } from '../../components/temporal.tsx';
import { graphql } from '../../gql/index.ts';
import { relativeTo, useLocale, useT } from '../../i18n.ts';

const Board = graphql(`
  query DpoBoard {
    dataSubjectRequests { id kind status receivedAt dueAt answeredAt user { id email } }
    breaches { id detectedAt role status description clocks { clock organizationId dueAt status notifiedAt } }
    destructionRecords(first: 20) { id subjectKind subjectId reason method completedAt retainUntil }
    dataInventory { service collection fields purpose legalBasis retention recipients }
  }
`);
const RequestDetail = graphql(`
  query DataSubjectRequestDetail($id: ID!) {
    dataSubjectRequest(id: $id) {
      id kind status receivedAt dueAt answeredAt details workflowId
      user { id email firstName lastName }
      events { kind at status day reason answerRef }
      export { id status downloadUrl }
    }
  }
`);
const Verify = graphql(`mutation VerifyDsr($id: ID!) { verifyDataSubjectRequestIdentity(id: $id) { request { id status } userErrors { code field message } } }`);
const Start = graphql(`mutation StartDsr($id: ID!) { startDataSubjectRequest(id: $id) { request { id status } userErrors { code field message } } }`);
const Answer = graphql(`mutation AnswerDsr($id: ID!, $answer: String) { answerDataSubjectRequest(id: $id, answer: $answer) { request { id status } userErrors { code field message } } }`);
const Reject = graphql(`mutation RejectDsr($id: ID!, $reason: String!) { rejectDataSubjectRequest(id: $id, reason: $reason) { request { id status } userErrors { code field message } } }`);
const BreachDetail = graphql(`
  query BreachDetail($id: ID!) {
    breach(id: $id) { id detectedAt role status description affectedOrganizationIds boardReference closedAt workflowId
      clocks { clock organizationId dueAt status notifiedAt reference }
      events { kind at clock organizationId stage status dueAt reference } }
  }
`);
const BoardNotified = graphql(`mutation RecordBoardNotification($id: ID!, $reference: String!) { recordBoardNotification(breachId: $id, reference: $reference) { breach { id } userErrors { code field message } } }`);
const ControllerNotified = graphql(`mutation RecordControllerNotification($id: ID!, $organizationId: ID!) { recordControllerNotification(breachId: $id, organizationId: $organizationId) { breach { id } userErrors { code field message } } }`);
const EndUserRequestDetail = graphql(`
  query EndUserRequestDetail($id: ID!) { endUserRequest(id: $id) { id organizationId receivedAt dueAt summary forwardedAt forwardedRecipients acknowledgedAt workflowId } }
`);

function Countdown({ dueAt, done }: { dueAt: string; done?: boolean }) {
  const { locale } = useLocale();
  const late = Date.parse(dueAt) < Date.now();
  return <Badge color={done ? 'green' : late ? 'red' : 'blue'} variant="dot">{relativeTo(locale, dueAt)}</Badge>;
}

export function DpoPage() {
  const t = useT();
  const query = useQuery({ queryKey: ['dpo'], queryFn: () => gql(Board) });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const d = query.data;
  return (
    <Page title={t('KVKK (DPO)', 'Data protection (DPO)')}>
      <Tabs defaultValue="requests" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="requests">{t('Başvurular', 'Requests')}</Tabs.Tab>
          <Tabs.Tab value="breaches">{t('İhlaller', 'Breaches')}</Tabs.Tab>
          <Tabs.Tab value="destruction">{t('İmha kayıtları', 'Destruction records')}</Tabs.Tab>
          <Tabs.Tab value="inventory">{t('Veri envanteri', 'Data inventory')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="requests" pt="md">
          <Table striped data-testid="dsr-board">
            <Table.Thead><Table.Tr><Table.Th>{t('Kişi', 'Person')}</Table.Th><Table.Th>{t('Tür', 'Kind')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>{t('Alındı', 'Received')}</Table.Th><Table.Th>{t('Son gün (30 gün)', 'Deadline (30 days)')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {d.dataSubjectRequests.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><Anchor component={Link} to={`/operator/data-subject-requests/${r.id}`}>{r.user.email}</Anchor></Table.Td>
                  <Table.Td>{r.kind}</Table.Td>
                  <Table.Td><StatusBadge status={r.status} /></Table.Td>
                  <Table.Td><When at={r.receivedAt} /></Table.Td>
                  <Table.Td><When at={r.dueAt} /> <Countdown dueAt={r.dueAt} done={!!r.answeredAt} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="breaches" pt="md">
          <Stack>
            {d.breaches.map((b) => (
              <Group key={b.id}>
                <Anchor component={Link} to={`/operator/breaches/${b.id}`}>{b.description.slice(0, 80)}</Anchor>
                <StatusBadge status={b.status} />
                {b.clocks.map((c, i) => <Text key={i} size="sm">{c.clock === 'BOARD' ? t('Kurul 72 sa', 'Board 72 h') : t('Müşteri 24 sa', 'Customer 24 h')}: <Countdown dueAt={c.dueAt} done={c.status !== 'OPEN'} /></Text>)}
              </Group>
            ))}
            {d.breaches.length === 0 ? <Text c="dimmed">{t('Kayıtlı ihlal yok.', 'No breaches recorded.')}</Text> : null}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="destruction" pt="md">
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Konu', 'Subject')}</Table.Th><Table.Th>{t('Neden', 'Reason')}</Table.Th><Table.Th>{t('Yöntem', 'Method')}</Table.Th><Table.Th>{t('Tamamlandı', 'Completed')}</Table.Th><Table.Th>{t('Saklama sonu', 'Kept until')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {d.destructionRecords.map((r) => (
                <Table.Tr key={r.id}><Table.Td>{r.subjectKind} {r.subjectId}</Table.Td><Table.Td>{r.reason}</Table.Td><Table.Td>{r.method}</Table.Td><Table.Td><When at={r.completedAt} /></Table.Td><Table.Td><When at={r.retainUntil} /></Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="inventory" pt="md">
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Servis', 'Service')}</Table.Th><Table.Th>{t('Koleksiyon', 'Collection')}</Table.Th><Table.Th>{t('Alanlar', 'Fields')}</Table.Th><Table.Th>{t('Amaç', 'Purpose')}</Table.Th><Table.Th>{t('Hukuki sebep', 'Legal basis')}</Table.Th><Table.Th>{t('Saklama', 'Retention')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {d.dataInventory.map((e) => (
                <Table.Tr key={`${e.service}/${e.collection}`}><Table.Td>{e.service}</Table.Td><Table.Td>{e.collection}</Table.Td><Table.Td>{e.fields.join(', ')}</Table.Td><Table.Td>{e.purpose}</Table.Td><Table.Td>{e.legalBasis}</Table.Td><Table.Td>{e.retention}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}

export function DataSubjectRequestPage() {
  const t = useT();
  const { id = '' } = useParams();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['dsr', id], queryFn: () => gql(RequestDetail, { id }), refetchInterval: (q) => (q.state.data?.dataSubjectRequest?.export?.status === 'PREPARING' ? 2000 : false) });
  const [errors, setErrors] = useState<string[]>([]);
  const step = async (run: () => Promise<readonly { message: string }[]>) => {
    setErrors((await run()).map((e) => e.message));
    await client.invalidateQueries({ queryKey: ['dsr', id] });
  };
  if (query.isPending) return <Loading />;
  const r = query.data?.dataSubjectRequest;
  if (!r) return <ErrorText error={query.error ?? new Error(t('Başvuru bulunamadı.', 'Request not found.'))} />;
  return (
    <Page title={`${r.kind} · ${r.user.email}`} actions={<StatusBadge status={r.status} />}>
      <Text>{t('Alındı', 'Received')}: <When at={r.receivedAt} /> · {t('Yasal son gün', 'Legal deadline')}: <strong data-testid="dsr-due"><When at={r.dueAt} /></strong> <Countdown dueAt={r.dueAt} done={!!r.answeredAt} /></Text>
      {r.details ? <Text style={{ whiteSpace: 'pre-wrap' }}>{r.details}</Text> : null}
      <TemporalLink workflowId={r.workflowId} />
      <Group>
        {r.status === 'RECEIVED' ? <Button onClick={() => step(async () => (await gql(Verify, { id })).verifyDataSubjectRequestIdentity.userErrors)}>{t('Kimlik doğrulandı', 'Identity verified')}</Button> : null}
        {r.status === 'IDENTITY_VERIFIED' ? <Button onClick={() => step(async () => (await gql(Start, { id })).startDataSubjectRequest.userErrors)}>{t('İşleme başla', 'Start')}</Button> : null}
        {r.status === 'IN_PROGRESS' ? <Button onClick={() => step(async () => (await gql(Answer, { id, answer: null })).answerDataSubjectRequest.userErrors)}>{t('Yanıtla', 'Answer')}</Button> : null}
        {!['ANSWERED', 'REJECTED'].includes(r.status) ? <ReasonAction label={t('Reddet', 'Reject')} color="red" onConfirm={async (reason) => step(async () => (await gql(Reject, { id, reason })).rejectDataSubjectRequest.userErrors)} /> : null}
        {r.export?.downloadUrl ? <DownloadButton path={r.export.downloadUrl} fileName={`kvkk-${r.id}.json`} label={t('Dışa aktarımı indir', 'Download the export')} /> : null}
      </Group>
      <Messages errors={errors} />
      <Section title={t('Olaylar', 'Events')}>
        {r.events.map((e, i) => <Text key={i} size="sm"><When at={e.at} /> · {e.kind} {e.status ?? ''} {e.day ? `(${t('gün', 'day')} ${e.day})` : ''} {e.reason ?? ''}</Text>)}
      </Section>
    </Page>
  );
}

export function BreachPage() {
  const t = useT();
  const { id = '' } = useParams();
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['breach', id], queryFn: () => gql(BreachDetail, { id }) });
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  if (query.isPending) return <Loading />;
  const b = query.data?.breach;
  if (!b) return <ErrorText error={query.error ?? new Error(t('İhlal bulunamadı.', 'Breach not found.'))} />;
  const refresh = () => client.invalidateQueries({ queryKey: ['breach', id] });
  return (
    <Page title={t('Veri ihlali', 'Data breach')} actions={<StatusBadge status={b.status} />}>
      <Text>{b.description}</Text>
      <Text size="sm">{t('Tespit', 'Detected')}: <When at={b.detectedAt} /> · {b.role}</Text>
      <TemporalLink workflowId={b.workflowId} />
      <Table>
        <Table.Thead><Table.Tr><Table.Th>{t('Saat', 'Clock')}</Table.Th><Table.Th>{t('Son', 'Due')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
        <Table.Tbody>
          {b.clocks.map((c, i) => (
            <Table.Tr key={i}>
              <Table.Td>{c.clock === 'BOARD' ? t('Kurul (72 saat)', 'Board (72 h)') : `${t('Müşteri (24 saat)', 'Customer (24 h)')} ${c.organizationId ?? ''}`}</Table.Td>
              <Table.Td><When at={c.dueAt} /> <Countdown dueAt={c.dueAt} done={c.status !== 'OPEN'} /></Table.Td>
              <Table.Td>{c.status} {c.notifiedAt ? <When at={c.notifiedAt} /> : null}</Table.Td>
              <Table.Td>
                {c.status === 'OPEN' && c.clock === 'CONTROLLER' && c.organizationId ? (
                  <Button size="xs" onClick={async () => { setErrors((await gql(ControllerNotified, { id, organizationId: c.organizationId! })).recordControllerNotification.userErrors.map((e) => e.message)); await refresh(); }}>{t('Bildirildi', 'Notified')}</Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {b.clocks.some((c) => c.clock === 'BOARD' && c.status === 'OPEN') ? (
        <Group align="flex-end">
          <TextInput label={t('Kurul bildirim referansı', 'Board notification reference')} value={reference} onChange={(e) => setReference(e.currentTarget.value)} />
          <Button disabled={!reference.trim()} onClick={async () => { setErrors((await gql(BoardNotified, { id, reference })).recordBoardNotification.userErrors.map((e) => e.message)); await refresh(); }}>{t('Kurula bildirildi', 'Board notified')}</Button>
        </Group>
      ) : null}
      <Messages errors={errors} />
    </Page>
  );
}

export function EndUserRequestPage() {
  const t = useT();
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['eur', id], queryFn: () => gql(EndUserRequestDetail, { id }) });
  if (query.isPending) return <Loading />;
  const r = query.data?.endUserRequest;
  if (!r) return <ErrorText error={query.error ?? new Error(t('Başvuru bulunamadı.', 'Request not found.'))} />;
  return (
    <Page title={t('Son kullanıcı başvurusu', 'End-user request')}>
      <Text>{r.summary}</Text>
      <Text size="sm">{t('Alındı', 'Received')}: <When at={r.receivedAt} /> · {t('İletim son günü (48 saat)', 'Forward by (48 h)')}: <When at={r.dueAt} /> <Countdown dueAt={r.dueAt} done={!!r.forwardedAt} /></Text>
      <Text size="sm">{t('İletildi', 'Forwarded')}: <When at={r.forwardedAt} /> ({r.forwardedRecipients ?? 0}) · {t('Müşteri onayı', 'Acknowledged')}: <When at={r.acknowledgedAt} /></Text>
      <Anchor component={Link} to={`/operator/organizations/${r.organizationId}`}>{t('Müşteri', 'Customer')}</Anchor>
      <TemporalLink workflowId={r.workflowId} />
    </Page>
  );
}
