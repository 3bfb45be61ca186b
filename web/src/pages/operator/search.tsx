// Find a customer by name, customer code, VKN/TCKN, e-mail or invoice number.
import { Anchor, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { gql } from '../../api.ts';
import { ErrorText, Loading, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { formatMoney, useLocale, useT } from '../../i18n.ts';
import { useOperator } from '../../layout.tsx';

const SearchOrganizations = graphql(`
  query SearchOrganizations($query: String, $after: String) {
    operatorOrganizations(query: $query, first: 25, after: $after) {
      edges { node { id name customerCode customerType status taxId nationalId createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);
const SearchInvoices = graphql(`
  query SearchInvoices($number: String!) {
    operatorInvoices(number: $number, first: 5) { edges { node { id number status total { amountMinor currency } dueAt customerName organization { id } } } }
  }
`);

export function SearchPage() {
  const t = useT();
  const { locale } = useLocale();
  const { has } = useOperator();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [text, setText] = useState(query);
  const [after, setAfter] = useState<string | null>(null);
  const organizations = useQuery({ queryKey: ['search', query, after], queryFn: () => gql(SearchOrganizations, { query: query || null, after }) });
  const looksLikeInvoice = /^[A-Z]{2,}\d{6,}$/i.test(query.trim());
  const invoices = useQuery({ queryKey: ['search-invoices', query], queryFn: () => gql(SearchInvoices, { number: query.trim() }), enabled: looksLikeInvoice && has('BILLING_ADMIN') });
  return (
    <Page title={t('Müşteri ara', 'Find customers')}>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setAfter(null);
          setParams(text ? { q: text } : {});
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('Ad, müşteri kodu, VKN/TCKN, e-posta ya da fatura numarası', 'Name, customer code, VKN/TCKN, e-mail or invoice number')} value={text} onChange={(e) => setText(e.currentTarget.value)} w={480} />
          <Button type="submit">{t('Ara', 'Search')}</Button>
        </Group>
      </form>
      {invoices.data?.operatorInvoices.edges.length ? (
        <Section title={t('Fatura', 'Invoice')}>
          {invoices.data.operatorInvoices.edges.map(({ node }) => (
            <Text key={node.id}>
              <Anchor component={Link} to={`/operator/organizations/${node.organization.id}`}>{node.number}</Anchor> · {node.customerName} · {formatMoney(locale, node.total)} · <StatusBadge status={node.status} />
            </Text>
          ))}
        </Section>
      ) : null}
      {organizations.isPending ? <Loading /> : organizations.error ? <ErrorText error={organizations.error} /> : (
        <Section title={t('Organizasyonlar', 'Organisations')}>
          <Table striped data-testid="search-results">
            <Table.Thead><Table.Tr><Table.Th>{t('Ad', 'Name')}</Table.Th><Table.Th>{t('Kod', 'Code')}</Table.Th><Table.Th>VKN / TCKN</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>{t('Açılış', 'Opened')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {organizations.data.operatorOrganizations.edges.map(({ node }) => (
                <Table.Tr key={node.id}>
                  <Table.Td><Anchor component={Link} to={`/operator/organizations/${node.id}`}>{node.name}</Anchor></Table.Td>
                  <Table.Td>{node.customerCode}</Table.Td>
                  <Table.Td>{node.taxId ?? node.nationalId ?? '—'}</Table.Td>
                  <Table.Td><StatusBadge status={node.status} /></Table.Td>
                  <Table.Td><When at={node.createdAt} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {organizations.data.operatorOrganizations.pageInfo.hasNextPage ? <Button variant="default" onClick={() => setAfter(organizations.data.operatorOrganizations.pageInfo.endCursor ?? null)}>{t('Sonraki sayfa', 'Next page')}</Button> : null}
        </Section>
      )}
    </Page>
  );
}
