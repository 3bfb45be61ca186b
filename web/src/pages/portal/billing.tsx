// Invoices (PDF), their corrections (credit notes, refunds, voids: issue 15), paying an overdue invoice, prepaid balances and top-up.
import { Alert, Button, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { gql } from '../../api.ts';
import { DownloadButton, ErrorText, Loading, Messages, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { formatMicros, formatMoney, useLocale, useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';

const Billing = graphql(`
  query PortalBilling($id: ID!) {
    organization(id: $id) {
      id
      invoices(first: 100) {
        edges {
          node {
            id number status total { amountMinor currency } issuedAt dueAt paidAt pdfUrl ublUrl ettn
            creditNotes { id number total { amountMinor currency } pdfUrl ublUrl }
            refunds { id status amount { amountMinor currency } }
          }
        }
      }
      prepaidBalances { amountMicros currency }
    }
  }
`);

const PayWithCard = graphql(`
  mutation PayWithCard($organizationId: ID!, $token: String!) {
    setPaymentMethod(organizationId: $organizationId, paymentMethodToken: $token) { ok userErrors { code field message } }
  }
`);

const TopUp = graphql(`
  mutation PurchasePrepaidCredit($organizationId: ID!, $amount: PriceInput!, $idempotencyKey: String!) {
    purchasePrepaidCredit(organizationId: $organizationId, amount: $amount, idempotencyKey: $idempotencyKey) {
      balance { amountMicros currency }
      userErrors { code field message }
    }
  }
`);

export function BillingPage() {
  const t = useT();
  const { locale } = useLocale();
  const { membership } = useCustomer();
  const orgId = membership.organization.id;
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['billing', orgId], queryFn: () => gql(Billing, { id: orgId }) });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const invoices = query.data.organization?.invoices.edges.map((e) => e.node) ?? [];
  const overdue = invoices.filter((i) => i.status === 'OPEN' && Date.parse(i.dueAt) < Date.now());
  return (
    <Page title={t('Faturalar ve bakiye', 'Invoices and balance')}>
      {overdue.length ? <PayOverdue organizationId={orgId} count={overdue.length} onPaid={() => client.invalidateQueries({ queryKey: ['billing', orgId] })} /> : null}
      <Section title={t('Faturalar', 'Invoices')}>
        {invoices.length === 0 ? (
          <Text c="dimmed">{t('Henüz fatura yok.', 'No invoices yet.')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('Numara', 'Number')}</Table.Th>
                <Table.Th>{t('Durum', 'Status')}</Table.Th>
                <Table.Th>{t('Tutar', 'Total')}</Table.Th>
                <Table.Th>{t('Düzenleme', 'Issued')}</Table.Th>
                <Table.Th>{t('Son ödeme', 'Due')}</Table.Th>
                <Table.Th>{t('Ödendi', 'Paid')}</Table.Th>
                <Table.Th>PDF</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoices.map((i) => (
                <Table.Tr key={i.id} data-testid="invoice-row">
                  <Table.Td>{i.number}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={i.status} />
                    {i.refunds.some((r) => r.status === 'SUCCEEDED') ? (
                      <Text size="xs" data-testid="invoice-refunded">
                        {t('İade edildi', 'Refunded')}:{' '}
                        {formatMoney(locale, { currency: i.total.currency, amountMinor: i.refunds.filter((r) => r.status === 'SUCCEEDED').reduce((sum, r) => sum + r.amount.amountMinor, 0) })}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{formatMoney(locale, i.total)}</Table.Td>
                  <Table.Td><When at={i.issuedAt} /></Table.Td>
                  <Table.Td><When at={i.dueAt} /></Table.Td>
                  <Table.Td><When at={i.paidAt} /></Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <DownloadButton path={i.pdfUrl} fileName={`${i.number}.pdf`} label={t(`${i.number} PDF indir`, `Download ${i.number} PDF`)} />
                      {i.ettn ? <DownloadButton path={i.ublUrl} fileName={`${i.number}.xml`} label={t(`${i.number} e-Fatura XML indir`, `Download ${i.number} e-invoice XML`)} /> : null}
                    </Group>
                    {i.creditNotes.map((note) => (
                      <Group gap="xs" mt={4} key={note.id} data-testid="credit-note">
                        <Text size="xs">
                          {t('İade faturası', 'Credit note')} {note.number}: {formatMoney(locale, note.total)}
                        </Text>
                        <DownloadButton path={note.pdfUrl} fileName={`${note.number}.pdf`} label={t(`${note.number} PDF indir`, `Download ${note.number} PDF`)} />
                        <DownloadButton path={note.ublUrl} fileName={`${note.number}.xml`} label={t(`${note.number} e-Fatura XML indir`, `Download ${note.number} e-invoice XML`)} />
                      </Group>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text size="xs" c="dimmed">
          {t('Havale/EFT ile ödemede açıklamaya fatura numarasını yazın.', 'When paying by bank transfer, put the invoice number in the description.')}
        </Text>
      </Section>
      <Section title={t('Ön ödemeli bakiye', 'Prepaid balance')}>
        {query.data.organization?.prepaidBalances.length ? (
          <Group>
            {query.data.organization.prepaidBalances.map((b) => (
              <Text key={b.currency} fw={600} data-testid="prepaid-balance">{formatMicros(locale, b.amountMicros, b.currency)}</Text>
            ))}
          </Group>
        ) : (
          <Text c="dimmed">{t('Ön ödemeli bakiye yok.', 'No prepaid balance.')}</Text>
        )}
        {['OWNER', 'ADMIN', 'BILLING'].includes(membership.role) ? <TopUpForm organizationId={orgId} onDone={() => client.invalidateQueries({ queryKey: ['billing', orgId] })} /> : null}
      </Section>
    </Page>
  );
}

function PayOverdue({ organizationId, count, onPaid }: { organizationId: string; count: number; onPaid: () => void }) {
  const t = useT();
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [ok, setOk] = useState(false);
  return (
    <Alert color="orange" title={t(`${count} gecikmiş fatura`, `${count} overdue invoice(s)`)}>
      <Stack gap="xs">
        <Text size="sm">{t('Kartla ödemek için kart anahtarını girin; gecikmiş tahsilat hemen yeniden denenir.', 'To pay by card, enter the card token; the overdue charge is retried at once.')}</Text>
        <Group align="flex-end">
          <TextInput label={t('Kart anahtarı', 'Card token')} value={token} onChange={(e) => setToken(e.currentTarget.value)} />
          <Button
            onClick={async () => {
              const { setPaymentMethod } = await gql(PayWithCard, { organizationId, token });
              setErrors(setPaymentMethod.userErrors.map((e) => e.message));
              setOk(setPaymentMethod.ok);
              if (setPaymentMethod.ok) setTimeout(onPaid, 3000);
            }}
          >
            {t('Kartla öde', 'Pay by card')}
          </Button>
        </Group>
        {ok ? <Text role="status" c="green">{t('Ödeme deneniyor.', 'The payment is being taken.')}</Text> : null}
        <Messages errors={errors} />
      </Stack>
    </Alert>
  );
}

function TopUpForm({ organizationId, onDone }: { organizationId: string; onDone: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [amount, setAmount] = useState<number | string>(100);
  const [currency, setCurrency] = useState('USD');
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<string>();
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <NumberInput label={t('Yükleme tutarı', 'Top-up amount')} min={1} decimalScale={2} value={amount} onChange={setAmount} error={errors.amountMinor ?? errors.amount} />
        <Select label={t('Para birimi', 'Currency')} value={currency} onChange={(v) => setCurrency(v ?? 'USD')} data={['USD', 'TRY']} w={110} error={errors.currency} />
        <Button
          onClick={async () => {
            const { purchasePrepaidCredit } = await gql(TopUp, { organizationId, amount: { currency, amountMinor: Math.round(Number(amount) * 100) }, idempotencyKey: key });
            const byField: Record<string, string> = {};
            for (const e of purchasePrepaidCredit.userErrors) byField[e.field?.at(-1) ?? 'general'] = e.message;
            setErrors(byField);
            if (purchasePrepaidCredit.balance) {
              setResult(formatMicros(locale, purchasePrepaidCredit.balance.amountMicros, purchasePrepaidCredit.balance.currency));
              setKey(crypto.randomUUID());
              onDone();
            }
          }}
        >
          {t('Kayıtlı kartla yükle', 'Top up with the card on file')}
        </Button>
      </Group>
      {result ? <Text role="status" c="green">{t('Yeni bakiye', 'New balance')}: {result}</Text> : null}
      <Messages errors={errors.general ? [errors.general] : []} />
    </Stack>
  );
}
