// Charts: recurring revenue by plan and currency, the dunning funnel, and SLA
// compliance per week (the share of tickets whose SLA clock was not breached).
import { BarChart, LineChart } from '@mantine/charts';
import { SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { gql } from '../../api.ts';
import { ErrorText, Loading, Page, Section } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { formatMoney, useLocale, useT } from '../../i18n.ts';
import { useOperator } from '../../layout.tsx';

const BillingMetrics = graphql(`
  query BillingMetrics {
    billingMetrics { mrr { planCode currency subscriptions mrrMinor arrMinor } dunning { failed recovered suspended terminated open } }
  }
`);
const SlaTickets = graphql(`
  query SlaTickets { supportTickets(first: 100) { edges { node { id createdAt slaBreached } } } }
`);

/** Monday of the ISO week, as YYYY-MM-DD. */
function weekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

export function MetricsPage() {
  const t = useT();
  const { has } = useOperator();
  return (
    <Page title={t('Göstergeler', 'Metrics')}>
      {has('BILLING_ADMIN') ? <Revenue /> : null}
      {has('SUPPORT_AGENT') ? <SlaCompliance /> : null}
      <Text size="xs" c="dimmed">{t('Tutarlar kuruş/cent cinsinden API’den gelir; grafikler ana birimde gösterir.', 'Amounts come from the API in minor units; charts show major units.')}</Text>
    </Page>
  );
}

function Revenue() {
  const t = useT();
  const { locale } = useLocale();
  const query = useQuery({ queryKey: ['billing-metrics'], queryFn: () => gql(BillingMetrics) });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const { mrr, dunning } = query.data.billingMetrics;
  const currencies = [...new Set(mrr.map((l) => l.currency))];
  return (
    <>
      <Section title={t('Aylık / yıllık yinelenen gelir (plan ve para birimine göre)', 'MRR / ARR by plan and currency')}>
        <SimpleGrid cols={{ base: 1, md: currencies.length > 1 ? 2 : 1 }}>
          {currencies.map((currency) => (
            <Stack key={currency} gap={4}>
              <Text fw={600}>{currency}</Text>
              <BarChart
                h={240}
                data={mrr.filter((l) => l.currency === currency).map((l) => ({ plan: l.planCode, MRR: l.mrrMinor / 100, ARR: l.arrMinor / 100 }))}
                dataKey="plan"
                series={[{ name: 'MRR', color: 'indigo.7' }, { name: 'ARR', color: 'teal.8' }]}
                role="img"
                aria-label={`MRR/ARR ${currency}`}
              />
            </Stack>
          ))}
        </SimpleGrid>
        <Table>
          <Table.Thead><Table.Tr><Table.Th>{t('Plan', 'Plan')}</Table.Th><Table.Th>{t('Abonelik', 'Subscriptions')}</Table.Th><Table.Th>MRR</Table.Th><Table.Th>ARR</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {mrr.map((l) => (
              <Table.Tr key={`${l.planCode}/${l.currency}`}><Table.Td>{l.planCode}</Table.Td><Table.Td>{l.subscriptions}</Table.Td><Table.Td>{formatMoney(locale, { amountMinor: l.mrrMinor, currency: l.currency })}</Table.Td><Table.Td>{formatMoney(locale, { amountMinor: l.arrMinor, currency: l.currency })}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section title={t('Tahsilat hunisi', 'Dunning funnel')}>
        <BarChart
          h={220}
          data={[
            { stage: t('Başarısız', 'Failed'), count: dunning.failed },
            { stage: t('Kurtarıldı', 'Recovered'), count: dunning.recovered },
            { stage: t('Sürüyor', 'In collection'), count: dunning.open },
            { stage: t('Askıda', 'Suspended'), count: dunning.suspended },
            { stage: t('Feshedildi', 'Terminated'), count: dunning.terminated },
          ]}
          dataKey="stage"
          series={[{ name: 'count', label: t('Fatura', 'Invoices'), color: 'orange.8' }]}
          role="img"
          aria-label={t('Tahsilat hunisi', 'Dunning funnel')}
        />
      </Section>
    </>
  );
}

function SlaCompliance() {
  const t = useT();
  const query = useQuery({ queryKey: ['sla-tickets'], queryFn: () => gql(SlaTickets) });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const weeks = new Map<string, { total: number; met: number }>();
  for (const { node } of query.data.supportTickets.edges) {
    const week = weekOf(node.createdAt);
    const w = weeks.get(week) ?? { total: 0, met: 0 };
    w.total += 1;
    if (!node.slaBreached) w.met += 1;
    weeks.set(week, w);
  }
  const data = [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([week, w]) => ({ week, compliance: Math.round((100 * w.met) / w.total) }));
  return (
    <Section title={t('Haftalık SLA uyumu (%)', 'SLA compliance per week (%)')}>
      <LineChart h={220} data={data} dataKey="week" yAxisProps={{ domain: [0, 100] }} series={[{ name: 'compliance', label: t('Uyum %', 'Compliance %'), color: 'green.8' }]} role="img" aria-label={t('Haftalık SLA uyumu', 'SLA compliance per week')} />
    </Section>
  );
}
