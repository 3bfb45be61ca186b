// One organisation's 360° view, by the operator's roles, with the actions that
// change it (each asks for a reason, which the audit log keeps).
import { Alert, Anchor, Badge, Card, Code, Group, Select, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { gql } from '../../api.ts';
import { DownloadButton, ErrorText, LifecycleTimeline, Loading, Page, ReasonAction, Section, StatusBadge, When } from '../../components/common.tsx';
import { TemporalLink } from '../../components/temporal.tsx';
import { graphql } from '../../gql/index.ts';
import type { SuspensionReason } from '../../gql/graphql.ts';
import { formatMoney, relativeTo, useLocale, useT } from '../../i18n.ts';
import { useOperator } from '../../layout.tsx';

const Organization360 = graphql(`
  query Organization360($id: ID!, $billing: Boolean!, $support: Boolean!, $dpo: Boolean!, $admin: Boolean!) {
    organization(id: $id) {
      id name customerCode customerType status suspensionReason taxId taxOffice nationalId partnerCode createdAt
      suspensions { reason note since }
      statusHistory { from to reason at }
      members { role since user { id email firstName lastName emailVerified
        consents @include(if: $dpo) { channel purpose granted changedAt }
        dataSubjectRequests @include(if: $dpo) { id kind status dueAt receivedAt }
      } }
      documentRequests { id kinds status deadline }
      licensedResources { id kind value status heldUntil }
      subscriptions { id status currency workflowId trialEndsAt currentPeriodEnd cancelEffectiveAt plan { code name } history { at type detail } upcoming { at type detail } }
      invoices(first: 50) @include(if: $billing) { edges { node { id number status total { amountMinor currency } issuedAt dueAt paidAt daysOverdue pdfUrl ublUrl ettn paymentReference payments { attempt status declineCode at amount { amountMinor currency } } creditNotes { id number total { amountMinor currency } pdfUrl } refunds { id status amount { amountMinor currency } } creditableTotal { amountMinor } refundableAmount { amountMinor } voided { reason by } } } }
      tickets(first: 20) @include(if: $support) { edges { node { id number subject status slaBreached responseDueAt firstResponseDueAt } } }
      dataExports @include(if: $dpo) { id status createdAt downloadUrl }
      endUserRequests @include(if: $dpo) { id summary receivedAt dueAt acknowledgedAt }
    }
    operatorAuditLog(targetId: $id, first: 50) @include(if: $admin) { edges { node { id action actorRoles at before after } } }
  }
`);

const Suspend = graphql(`mutation SuspendOrganization($id: ID!, $reason: String!, $note: String) { suspendOrganization(id: $id, reason: $reason, note: $note) { id status } }`);
const Reinstate = graphql(`mutation ReinstateOrganization($id: ID!, $reason: SuspensionReason, $note: String) { reinstateOrganization(id: $id, reason: $reason, note: $note) { id status } }`);
const Terminate = graphql(`mutation TerminateOrganization($id: ID!, $reason: String!) { terminateOrganization(id: $id, reason: $reason) { id status } }`);
const RecordPayment = graphql(`mutation RecordInvoicePayment($id: ID!, $reference: String!) { recordInvoicePayment(invoiceId: $id, reference: $reference) { invoice { id status paidAt } userErrors { code field message } } }`);
const VoidInvoice = graphql(`mutation VoidInvoice($id: ID!, $reason: String!) { voidInvoice(invoiceId: $id, reason: $reason) { invoice { id status } userErrors { code field message } } }`);
const CreditInFull = graphql(`mutation IssueCreditNote($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { creditNote { id number } userErrors { code field message } } }`);
const RefundInFull = graphql(`mutation RefundInvoicePayment($input: RefundInvoicePaymentInput!) { refundInvoicePayment(input: $input) { refund { id status } userErrors { code field message } } }`);
const Chargeback = graphql(`mutation ReportChargeback($id: ID!, $reason: String!) { reportChargeback(invoiceId: $id, reason: $reason) { invoice { id status } userErrors { code field message } } }`);

const SUSPENSION_REASONS = ['NON_PAYMENT', 'MISSING_DOCUMENTS', 'ABUSE', 'CHARGEBACK', 'TERMS_VIOLATION'] as const;

function failIfErrors(errors: readonly { message: string }[]) {
  if (errors.length) throw new Error(errors.map((e) => e.message).join(' '));
}

export function Organization360Page() {
  const t = useT();
  const { locale } = useLocale();
  const { id = '' } = useParams();
  const { has } = useOperator();
  const client = useQueryClient();
  const flags = { billing: has('BILLING_ADMIN'), support: has('SUPPORT_AGENT'), dpo: has('DPO'), admin: has('SUPER_ADMIN') };
  const query = useQuery({ queryKey: ['org360', id], queryFn: () => gql(Organization360, { id, ...flags }) });
  const [suspendReason, setSuspendReason] = useState<string>('NON_PAYMENT');
  const [liftReason, setLiftReason] = useState<string | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['org360', id] });
  if (query.isPending) return <Loading />;
  if (query.error || !query.data.organization) return <ErrorText error={query.error ?? new Error(t('Bulunamadı', 'Not found'))} />;
  const org = query.data.organization;
  const invoices = org.invoices?.edges.map((e) => e.node) ?? [];
  const maySuspend = has('SUPPORT_AGENT', 'BILLING_ADMIN');
  return (
    <Page
      title={org.name}
      actions={
        <Group>
          <StatusBadge status={org.status} />
          {maySuspend && org.status !== 'TERMINATED' ? (
            <ReasonAction
              label={t('Askıya al', 'Suspend')}
              color="orange"
              description={<Select label={t('Askı nedeni', 'Suspension reason')} value={suspendReason} onChange={(v) => setSuspendReason(v ?? 'NON_PAYMENT')} data={[...SUSPENSION_REASONS]} />}
              onConfirm={async (note) => { await gql(Suspend, { id, reason: suspendReason, note }); await refresh(); }}
            />
          ) : null}
          {maySuspend && org.status === 'SUSPENDED' ? (
            <ReasonAction
              label={t('Askıyı kaldır', 'Reinstate')}
              color="green"
              description={<Select label={t('Kaldırılacak askı', 'Suspension to lift')} value={liftReason} onChange={setLiftReason} clearable placeholder={t('Hepsi', 'All')} data={org.suspensions.map((x) => x.reason)} />}
              onConfirm={async (note) => { await gql(Reinstate, { id, reason: (liftReason as SuspensionReason | null) ?? null, note }); await refresh(); }}
            />
          ) : null}
          {has('SUPER_ADMIN') && org.status !== 'TERMINATED' ? (
            <ReasonAction label={t('Sözleşmeyi feshet', 'Terminate')} color="red" onConfirm={async (reason) => { await gql(Terminate, { id, reason }); await refresh(); }} />
          ) : null}
        </Group>
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Text size="sm">{t('Müşteri kodu', 'Customer code')}: <Code>{org.customerCode}</Code></Text>
        <Text size="sm">{org.customerType} · {org.taxId ? `VKN ${org.taxId} (${org.taxOffice})` : org.nationalId ? `TCKN ${org.nationalId}` : ''}</Text>
        <Text size="sm">{t('Açılış', 'Opened')}: <When at={org.createdAt} /></Text>
      </SimpleGrid>
      {org.suspensions.map((s, i) => (
        <Alert key={i} color="orange">{t('Askıda', 'Suspended')}: {s.reason} {s.note ? `— ${s.note}` : ''} (<When at={s.since} />)</Alert>
      ))}
      <Tabs defaultValue="subscriptions" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="subscriptions">{t('Abonelikler', 'Subscriptions')}</Tabs.Tab>
          {flags.billing ? <Tabs.Tab value="invoices">{t('Faturalar ve ödemeler', 'Invoices and payments')}</Tabs.Tab> : null}
          <Tabs.Tab value="members">{t('Üyeler', 'Members')}</Tabs.Tab>
          {flags.support ? <Tabs.Tab value="tickets">{t('Talepler', 'Tickets')}</Tabs.Tab> : null}
          {flags.dpo ? <Tabs.Tab value="privacy">{t('KVKK', 'Privacy')}</Tabs.Tab> : null}
          <Tabs.Tab value="history">{t('Geçmiş', 'History')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="subscriptions" pt="md">
          <Stack>
            {org.subscriptions.map((s) => (
              <Card withBorder key={s.id} data-testid="operator-subscription">
                <Group justify="space-between"><Text fw={600}>{s.plan.name} ({s.currency})</Text><StatusBadge status={s.status} /></Group>
                <TemporalLink workflowId={s.workflowId} />
                <LifecycleTimeline history={s.history} upcoming={s.upcoming} label={t('Abonelik zaman çizelgesi', 'Subscription timeline')} />
              </Card>
            ))}
            {org.subscriptions.length === 0 ? <Text c="dimmed">{t('Abonelik yok.', 'No subscriptions.')}</Text> : null}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="invoices" pt="md">
          <Table striped>
            <Table.Thead><Table.Tr><Table.Th>{t('Numara', 'Number')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>{t('Tutar', 'Total')}</Table.Th><Table.Th>{t('Vade', 'Due')}</Table.Th><Table.Th>{t('Ödemeler', 'Payments')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {invoices.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.number}</Table.Td>
                  <Table.Td><StatusBadge status={i.status} /> {i.daysOverdue ? <Badge color="red" variant="dot">{t(`${i.daysOverdue} gün gecikmiş`, `${i.daysOverdue} days overdue`)}</Badge> : null}</Table.Td>
                  <Table.Td>{formatMoney(locale, i.total)}</Table.Td>
                  <Table.Td><When at={i.dueAt} /></Table.Td>
                  <Table.Td>
                    <When at={i.paidAt} /> {i.paymentReference ? <Text size="xs">{i.paymentReference}</Text> : null}
                    {i.payments.map((p) => (
                      <Text size="xs" key={p.attempt}>#{p.attempt} {p.status} {p.declineCode ?? ''} · <When at={p.at} /></Text>
                    ))}
                    {i.refunds.map((r) => (
                      <Text size="xs" key={r.id}>{t('İade', 'Refund')} {r.status} {formatMoney(locale, r.amount)}</Text>
                    ))}
                    {i.creditNotes.map((n) => (
                      <Text size="xs" key={n.id} data-testid="operator-credit-note">{t('İade faturası', 'Credit note')} {n.number} {formatMoney(locale, n.total)}</Text>
                    ))}
                    {i.voided ? <Text size="xs">{t('İptal', 'Voided')}: {i.voided.reason}</Text> : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <DownloadButton path={i.pdfUrl} fileName={`${i.number}.pdf`} label="PDF" />
                      {i.ettn ? <DownloadButton path={i.ublUrl} fileName={`${i.number}.xml`} label="UBL-TR XML" /> : null}
                      {i.status === 'OPEN' ? <ReasonAction label={t('Havaleyi kaydet', 'Record transfer')} description={<Text size="sm">{t('Gerekçe alanına banka dekontunun referansını yazın.', 'Put the bank reference of the transfer as the reason.')}</Text>} onConfirm={async (reference) => { failIfErrors((await gql(RecordPayment, { id: i.id, reference })).recordInvoicePayment.userErrors); await refresh(); }} /> : null}
                      {i.status === 'OPEN' ? <ReasonAction label={t('Faturayı iptal et', 'Void invoice')} color="red" description={<Text size="sm">{t('Numara kullanılmış kalır; tahsilat durur.', 'The number stays used; collection stops.')}</Text>} onConfirm={async (reason) => { failIfErrors((await gql(VoidInvoice, { id: i.id, reason })).voidInvoice.userErrors); await refresh(); }} /> : null}
                      {i.status === 'PAID' && i.creditableTotal.amountMinor > 0 ? <ReasonAction label={t('Kalanın tamamına iade faturası', 'Credit note for the rest')} onConfirm={async (reason) => { failIfErrors((await gql(CreditInFull, { input: { invoiceId: i.id, reason, idempotencyKey: crypto.randomUUID() } })).issueCreditNote.userErrors); await refresh(); }} /> : null}
                      {i.refundableAmount.amountMinor > 0 ? <ReasonAction label={t('Kart ödemesini iade et', 'Refund card payment')} color="red" description={<Text size="sm">{formatMoney(locale, { currency: i.total.currency, amountMinor: i.refundableAmount.amountMinor })}</Text>} onConfirm={async (reason) => { failIfErrors((await gql(RefundInFull, { input: { invoiceId: i.id, reason, idempotencyKey: crypto.randomUUID() } })).refundInvoicePayment.userErrors); await refresh(); }} /> : null}
                      {i.status === 'PAID' ? <ReasonAction label={t('Ters ibraz', 'Chargeback')} color="red" onConfirm={async (reason) => { failIfErrors((await gql(Chargeback, { id: i.id, reason })).reportChargeback.userErrors); await refresh(); }} /> : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="members" pt="md">
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Ad', 'Name')}</Table.Th><Table.Th>{t('E-posta', 'E-mail')}</Table.Th><Table.Th>{t('Rol', 'Role')}</Table.Th><Table.Th>{t('Üyelik', 'Since')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {org.members.map((m) => (
                <Table.Tr key={m.user.id}><Table.Td>{m.user.firstName} {m.user.lastName}</Table.Td><Table.Td>{m.user.email} {m.user.emailVerified ? '' : `(${t('doğrulanmadı', 'unverified')})`}</Table.Td><Table.Td>{m.role}</Table.Td><Table.Td><When at={m.since} /></Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {org.licensedResources.length ? <Section title={t('Lisanslı kaynaklar', 'Licensed resources')}>{org.licensedResources.map((r) => <Text key={r.id} size="sm">{r.kind} {r.value} · {r.status} {r.heldUntil ? <When at={r.heldUntil} /> : null}</Text>)}</Section> : null}
          {org.documentRequests.length ? <Section title={t('Belge talepleri', 'Document requests')}>{org.documentRequests.map((d) => <Text key={d.id} size="sm">{d.kinds.join(', ')} · {d.status} · {t('son gün', 'deadline')} <When at={d.deadline} /></Text>)}</Section> : null}
        </Tabs.Panel>
        <Tabs.Panel value="tickets" pt="md">
          <Table>
            <Table.Tbody>
              {org.tickets?.edges.map(({ node }) => (
                <Table.Tr key={node.id}>
                  <Table.Td><Anchor component={Link} to={`/operator/tickets/${node.id}`}>{node.number}</Anchor></Table.Td>
                  <Table.Td>{node.subject}</Table.Td>
                  <Table.Td><StatusBadge status={node.status} /></Table.Td>
                  <Table.Td c={node.slaBreached ? 'red' : undefined}>{node.responseDueAt ?? node.firstResponseDueAt ? relativeTo(locale, (node.responseDueAt ?? node.firstResponseDueAt)!) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="privacy" pt="md">
          <Stack>
            {org.members.map((m) => (
              <Card withBorder key={m.user.id}>
                <Text fw={600}>{m.user.email}</Text>
                <Text size="sm">{t('İzinler', 'Consents')}: {m.user.consents?.filter((c) => c.granted).map((c) => `${c.purpose}/${c.channel}`).join(', ') || '—'}</Text>
                {m.user.dataSubjectRequests?.map((r) => (
                  <Text size="sm" key={r.id}><Anchor component={Link} to={`/operator/data-subject-requests/${r.id}`}>{r.kind}</Anchor> · {r.status} · {t('son gün', 'due')} <When at={r.dueAt} /></Text>
                ))}
              </Card>
            ))}
            {org.endUserRequests?.map((r) => <Text key={r.id} size="sm"><Anchor component={Link} to={`/operator/end-user-requests/${r.id}`}>{r.summary}</Anchor> · <When at={r.receivedAt} /></Text>)}
            {org.dataExports?.map((x) => <Group key={x.id}><Text size="sm">{t('Dışa aktarım', 'Export')} <When at={x.createdAt} /> · {x.status}</Text>{x.downloadUrl ? <DownloadButton path={x.downloadUrl} fileName={`export-${x.id}.json`} label={t('İndir', 'Download')} /> : null}</Group>)}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <Section title={t('Durum geçmişi', 'Status history')}>
            {org.statusHistory.map((h, i) => <Text key={i} size="sm"><When at={h.at} /> · {h.from ?? '—'} → {h.to} {h.reason ? `(${h.reason})` : ''}</Text>)}
          </Section>
          {query.data.operatorAuditLog ? (
            <Section title={t('Denetim kaydı', 'Audit log')}>
              {query.data.operatorAuditLog.edges.map(({ node }) => <Text key={node.id} size="sm"><When at={node.at} /> · {node.action} · {node.actorRoles.join(', ')} · {node.after}</Text>)}
            </Section>
          ) : null}
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
