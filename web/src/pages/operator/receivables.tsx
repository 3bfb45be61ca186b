// Overdue invoices by age, and what each subscription's workflow will do next
// (suspension, termination) with its time, as the API answers.
import { Anchor, Badge, SimpleGrid, Card, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { gql } from '../../api.ts';
import { ErrorText, Loading, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { formatMoney, useLocale, useT } from '../../i18n.ts';

const Receivables = graphql(`
  query Receivables {
    operatorInvoices(overdue: true, first: 100) {
      edges { node {
        id number status total { amountMinor currency } dueAt daysOverdue customerName
        organization { id name status customerCode }
        subscription { id status upcoming { at type detail } }
      } }
    }
  }
`);

const BUCKETS = [
  { max: 7, tr: '0–7 gün', en: '0–7 days' },
  { max: 30, tr: '8–30 gün', en: '8–30 days' },
  { max: 60, tr: '31–60 gün', en: '31–60 days' },
  { max: Infinity, tr: '60+ gün', en: '60+ days' },
];

export function ReceivablesPage() {
  const t = useT();
  const { locale } = useLocale();
  const query = useQuery({ queryKey: ['receivables'], queryFn: () => gql(Receivables) });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const invoices = query.data.operatorInvoices.edges.map((e) => e.node).sort((a, b) => b.daysOverdue - a.daysOverdue);
  const bucketOf = (days: number) => BUCKETS.findIndex((b) => days <= b.max);
  return (
    <Page title={t('Alacaklar', 'Receivables')}>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {BUCKETS.map((b, index) => {
          const inBucket = invoices.filter((i) => bucketOf(i.daysOverdue) === index);
          const totals = new Map<string, number>();
          for (const i of inBucket) totals.set(i.total.currency, (totals.get(i.total.currency) ?? 0) + i.total.amountMinor);
          return (
            <Card withBorder key={b.en}>
              <Text size="sm" c="dimmed">{t(b.tr, b.en)}</Text>
              <Text fw={700}>{inBucket.length}</Text>
              <Text size="sm">{[...totals].map(([currency, amountMinor]) => formatMoney(locale, { currency, amountMinor })).join(' · ') || '—'}</Text>
            </Card>
          );
        })}
      </SimpleGrid>
      <Section title={t('Gecikmiş faturalar', 'Overdue invoices')}>
        <Table striped data-testid="receivables">
          <Table.Thead><Table.Tr><Table.Th>{t('Fatura', 'Invoice')}</Table.Th><Table.Th>{t('Müşteri', 'Customer')}</Table.Th><Table.Th>{t('Tutar', 'Total')}</Table.Th><Table.Th>{t('Vade', 'Due')}</Table.Th><Table.Th>{t('Gecikme', 'Overdue')}</Table.Th><Table.Th>{t('Sıradaki adım', 'Next step')}</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {invoices.map((i) => {
              const next = i.subscription?.upcoming.find((u) => /SUSPEN|TERMINAT|RETRY|CHARGE/i.test(u.type)) ?? i.subscription?.upcoming[0];
              return (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.number}</Table.Td>
                  <Table.Td><Anchor component={Link} to={`/operator/organizations/${i.organization.id}`}>{i.organization.name}</Anchor> <StatusBadge status={i.organization.status} /></Table.Td>
                  <Table.Td>{formatMoney(locale, i.total)}</Table.Td>
                  <Table.Td><When at={i.dueAt} /></Table.Td>
                  <Table.Td><Badge color={i.daysOverdue > 30 ? 'red' : 'orange'} variant="dot">{t(`${i.daysOverdue} gün`, `${i.daysOverdue} d`)}</Badge></Table.Td>
                  <Table.Td>{next ? <>{next.type} · <When at={next.at} /></> : i.subscription ? <StatusBadge status={i.subscription.status} /> : '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {invoices.length === 0 ? <Text c="dimmed">{t('Gecikmiş fatura yok.', 'No overdue invoices.')}</Text> : null}
      </Section>
    </Page>
  );
}
