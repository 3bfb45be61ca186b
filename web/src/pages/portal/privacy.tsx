// KVKK: consents per purpose and channel, accepted legal texts, data-subject
// requests with their deadlines, data exports, and (for the customer as
// controller) the end-user requests forwarded to it.
import { Anchor, Badge, Button, Group, Select, Stack, Switch, Table, Text, Textarea } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { gql } from '../../api.ts';
import { DownloadButton, ErrorText, Loading, Messages, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { relativeTo, useLocale, useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';

const Privacy = graphql(`
  query PortalPrivacy {
    me {
      id
      consents { channel purpose granted changedAt }
      legalAcceptances { kind version locale acceptedAt method documentVersion { id } }
      dataSubjectRequests { id kind status receivedAt dueAt answeredAt export { id status downloadUrl expiresAt } }
    }
  }
`);
const OrganizationPrivacy = graphql(`
  query PortalOrganizationPrivacy($id: ID!) {
    organization(id: $id) {
      id
      dataExports { id status createdAt readyAt expiresAt downloadUrl }
      endUserRequests { id receivedAt dueAt summary forwardedAt acknowledgedAt }
    }
  }
`);
const SetConsent = graphql(`
  mutation SetConsent($channel: ConsentChannel!, $purpose: String!, $granted: Boolean!) { setConsent(channel: $channel, purpose: $purpose, granted: $granted) { channel purpose granted } }
`);
const SubmitRequest = graphql(`
  mutation SubmitDataSubjectRequest($kind: DataSubjectRequestKind!, $details: String) { submitDataSubjectRequest(kind: $kind, details: $details) { request { id dueAt } userErrors { code field message } } }
`);
const RequestExport = graphql(`
  mutation RequestOrganizationExport($id: ID!) { requestOrganizationExport(organizationId: $id) { export { id status } userErrors { code field message } } }
`);
const Acknowledge = graphql(`
  mutation AcknowledgeForwardedRequest($id: ID!) { acknowledgeForwardedRequest(id: $id) { request { id acknowledgedAt } userErrors { code field message } } }
`);

const PURPOSES = ['marketing', 'product-news', 'surveys'] as const;
const CHANNELS = ['EMAIL', 'SMS', 'PHONE', 'PUSH'] as const;
const KINDS = ['ACCESS', 'INFORMATION', 'RECTIFICATION', 'ERASURE', 'RECIPIENTS', 'OBJECTION', 'COMPENSATION'] as const;

/**
 * Shows the choice at once; the ledger's answer (after the refetch) is what
 * stays. The switch is held while its change is saved: a second flip landing
 * before the first one's refetch would otherwise be overwritten by it.
 */
function ConsentSwitch({ label, granted, onChange }: { label: string; granted: boolean; onChange: (granted: boolean) => Promise<void> }) {
  const [pending, setPending] = useState<boolean | null>(null);
  return (
    <Switch
      aria-label={label}
      aria-busy={pending !== null}
      disabled={pending !== null}
      checked={pending ?? granted}
      onChange={async (e) => {
        const value = e.currentTarget.checked;
        setPending(value);
        try {
          await onChange(value);
        } finally {
          setPending(null);
        }
      }}
    />
  );
}

export function PrivacyPage() {
  const t = useT();
  const { locale } = useLocale();
  const { membership } = useCustomer();
  const client = useQueryClient();
  const manager = ['OWNER', 'ADMIN'].includes(membership.role);
  const query = useQuery({
    queryKey: ['privacy'],
    queryFn: () => gql(Privacy),
    refetchInterval: (q) => (q.state.data?.me?.dataSubjectRequests.some((r) => r.export?.status === 'PREPARING') ? 2000 : false),
  });
  const org = useQuery({
    queryKey: ['org-privacy', membership.organization.id],
    queryFn: () => gql(OrganizationPrivacy, { id: membership.organization.id }),
    enabled: manager,
    refetchInterval: (q) => (q.state.data?.organization?.dataExports.some((e) => e.status === 'PREPARING') ? 2000 : false),
  });
  const [kind, setKind] = useState<(typeof KINDS)[number]>('ACCESS');
  const [details, setDetails] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  if (query.isPending) return <Loading />;
  if (query.error || !query.data.me) return <ErrorText error={query.error} />;
  const me = query.data.me;
  const granted = (channel: string, purpose: string) => me.consents.some((c) => c.channel === channel && c.purpose === purpose && c.granted);
  const kindLabel: Record<string, string> = {
    ACCESS: t('Verilerimin bir kopyası', 'A copy of my data'), INFORMATION: t('Bilgi talebi', 'Information'), RECTIFICATION: t('Düzeltme', 'Rectification'),
    ERASURE: t('Silme', 'Erasure'), RECIPIENTS: t('Aktarılan taraflar', 'Recipients'), OBJECTION: t('İtiraz', 'Objection'), COMPENSATION: t('Tazminat', 'Compensation'),
  };
  return (
    <Page title={t('Gizlilik ve KVKK', 'Privacy and KVKK')}>
      <Section title={t('İzinler (ticari ileti)', 'Consents (commercial messages)')}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('Amaç', 'Purpose')}</Table.Th>
              {CHANNELS.map((c) => <Table.Th key={c}>{c}</Table.Th>)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PURPOSES.map((purpose) => (
              <Table.Tr key={purpose}>
                <Table.Td>{purpose}</Table.Td>
                {CHANNELS.map((channel) => (
                  <Table.Td key={channel}>
                    <ConsentSwitch
                      label={`${purpose} ${channel}`}
                      granted={granted(channel, purpose)}
                      onChange={async (value) => {
                        await gql(SetConsent, { channel, purpose, granted: value });
                        await client.invalidateQueries({ queryKey: ['privacy'] });
                      }}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>

      <Section title={t('KVKK başvuruları', 'Data-subject requests (KVKK)')}>
        <Table data-testid="dsr-table">
          <Table.Thead><Table.Tr><Table.Th>{t('Tür', 'Kind')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>{t('Alındı', 'Received')}</Table.Th><Table.Th>{t('Yasal son gün (30 gün)', 'Legal deadline (30 days)')}</Table.Th><Table.Th>{t('Sonuç', 'Result')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {me.dataSubjectRequests.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{kindLabel[r.kind] ?? r.kind}</Table.Td>
                <Table.Td><StatusBadge status={r.status} /></Table.Td>
                <Table.Td><When at={r.receivedAt} /></Table.Td>
                <Table.Td><When at={r.dueAt} /> {r.answeredAt ? null : <Badge variant="dot">{relativeTo(locale, r.dueAt)}</Badge>}</Table.Td>
                <Table.Td>
                  {r.export?.downloadUrl ? <DownloadButton path={r.export.downloadUrl} fileName={`kvkk-${r.id}.json`} label={t('Verilerimi indir', 'Download my data')} /> : r.export ? r.export.status : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const { submitDataSubjectRequest } = await gql(SubmitRequest, { kind, details: details || null });
            setErrors(submitDataSubjectRequest.userErrors.map((x) => x.message));
            if (submitDataSubjectRequest.request) {
              setDetails('');
              await client.invalidateQueries({ queryKey: ['privacy'] });
            }
          }}
        >
          <Group align="flex-end">
            <Select label={t('Başvuru türü', 'Request kind')} value={kind} onChange={(v) => setKind((v as typeof kind) ?? 'ACCESS')} data={KINDS.map((k) => ({ value: k, label: kindLabel[k]! }))} />
            <Textarea label={t('Açıklama (isteğe bağlı)', 'Details (optional)')} value={details} onChange={(e) => setDetails(e.currentTarget.value)} w={360} />
            <Button type="submit">{t('Başvuru yap', 'Submit request')}</Button>
          </Group>
          <Messages errors={errors} />
        </form>
      </Section>

      {manager ? (
        <Section
          title={t('Organizasyon verisinin dışa aktarımı', 'Organisation data export')}
          actions={<Button size="xs" variant="default" onClick={async () => { await gql(RequestExport, { id: membership.organization.id }); await client.invalidateQueries({ queryKey: ['org-privacy'] }); }}>{t('Dışa aktarım iste', 'Request an export')}</Button>}
        >
          {org.data?.organization?.dataExports.map((x) => (
            <Group key={x.id}>
              <Text size="sm"><When at={x.createdAt} /> · {x.status} · {t('son', 'until')} <When at={x.expiresAt} /></Text>
              {x.downloadUrl ? <DownloadButton path={x.downloadUrl} fileName={`export-${x.id}.json`} label={t('İndir', 'Download')} /> : null}
            </Group>
          ))}
        </Section>
      ) : null}

      {manager && org.data?.organization?.endUserRequests.length ? (
        <Section title={t('Son kullanıcı başvuruları (size iletilen)', 'End-user requests forwarded to you')}>
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Alındı', 'Received')}</Table.Th><Table.Th>{t('Özet', 'Summary')}</Table.Th><Table.Th>{t('İletildi', 'Forwarded')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {org.data.organization.endUserRequests.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td><When at={r.receivedAt} /></Table.Td>
                  <Table.Td>{r.summary}</Table.Td>
                  <Table.Td><When at={r.forwardedAt} /></Table.Td>
                  <Table.Td>{r.acknowledgedAt ? <When at={r.acknowledgedAt} /> : <Button size="xs" onClick={async () => { await gql(Acknowledge, { id: r.id }); await client.invalidateQueries({ queryKey: ['org-privacy'] }); }}>{t('Aldım', 'Acknowledge')}</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      ) : null}

      <Section title={t('Kabul ettiğiniz metinler', 'Accepted legal texts')}>
        <Stack gap={4}>
          {me.legalAcceptances.map((a, i) => (
            <Text key={i} size="sm">
              <Anchor component={Link} to={`/legal/${a.documentVersion.id}`}>{a.kind} v{a.version} ({a.locale})</Anchor> · <When at={a.acceptedAt} /> · {a.method}
            </Text>
          ))}
        </Stack>
      </Section>
    </Page>
  );
}
