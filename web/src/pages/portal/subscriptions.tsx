// Plans, trials, the subscription's timeline (the workflow's `upcoming`), plan
// change and cancellation with their effective dates, and the payment method.
import { Alert, Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { gql } from '../../api.ts';
import { ErrorText, LifecycleTimeline, Loading, Messages, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import type { PortalSubscriptionsQuery } from '../../gql/graphql.ts';
import { formatDateTime, formatMoney, useLocale, useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';

const Subscriptions = graphql(`
  query PortalSubscriptions($id: ID!) {
    plans { id code name version interval prices { amountMinor currency } policy { code trialPeriod trialRequiresPaymentMethod collectionMethod cancellationNotice billingPeriod } }
    organization(id: $id) {
      id
      status
      subscriptions {
        id status currency trialEndsAt currentPeriodStart currentPeriodEnd cancelAtPeriodEnd cancelEffectiveAt cancelNowEffectiveAt noticeFreeCancellationUntil pendingPlanCode
        plan { code name prices { amountMinor currency } }
        history { at type detail }
        upcoming { at type detail }
      }
    }
  }
`);

const StartSubscription = graphql(`
  mutation StartSubscription($input: StartSubscriptionInput!) {
    startSubscription(input: $input) { subscription { id status trialEndsAt } userErrors { code field message } }
  }
`);
const ChangePlan = graphql(`
  mutation ChangePlan($id: ID!, $planCode: String!) {
    changePlan(id: $id, planCode: $planCode) { subscription { id pendingPlanCode currentPeriodEnd } userErrors { code field message } }
  }
`);
const CancelSubscription = graphql(`
  mutation CancelSubscription($id: ID!) {
    cancelSubscription(id: $id) { subscription { id cancelEffectiveAt } userErrors { code field message } }
  }
`);
const SetPaymentMethod = graphql(`
  mutation SetPaymentMethod($organizationId: ID!, $token: String!) {
    setPaymentMethod(organizationId: $organizationId, paymentMethodToken: $token) { ok userErrors { code field message } }
  }
`);

// Issue 15: the card is typed on the payment provider's page; with a subscription, it starts once the card is saved.
const StartCardCapture = graphql(`
  mutation StartCardCapture($input: CardCaptureInput!) {
    startCardCapture(input: $input) { session { pageUrl } userErrors { code field message } }
  }
`);
async function addCardOnProviderPage(input: { organizationId: string; subscription?: { planCode: string; currency: string } }): Promise<string[]> {
  const { startCardCapture } = await gql(StartCardCapture, { input });
  if (startCardCapture.session) window.location.assign(startCardCapture.session.pageUrl);
  return startCardCapture.userErrors.map((e) => e.message);
}

const ConfirmSubscription = graphql(`
  mutation ConfirmSubscription($id: ID!, $planCode: String) {
    confirmSubscription(id: $id, planCode: $planCode) { subscription { id status } userErrors { code field message } }
  }
`);
async function confirmSubscription(id: string, planCode: string | null): Promise<string[]> {
  const data = await gql(ConfirmSubscription, { id, planCode });
  return data.confirmSubscription.userErrors.map((e) => e.message);
}

type Data = PortalSubscriptionsQuery;
type Sub = NonNullable<Data['organization']>['subscriptions'][number];
type Plan = Data['plans'][number];

export function SubscriptionsPage() {
  const t = useT();
  const { membership } = useCustomer();
  const orgId = membership.organization.id;
  const client = useQueryClient();
  const query = useQuery({
    queryKey: ['subscriptions', orgId],
    queryFn: () => gql(Subscriptions, { id: orgId }),
    // The workflow fills the timeline a moment after a change; look again shortly.
    refetchInterval: (q) => (q.state.data?.organization?.subscriptions.some((s) => !s.upcoming.length && !['CANCELED', 'TERMINATED'].includes(s.status)) ? 2000 : false),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['subscriptions', orgId] });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorText error={query.error} />;
  const data = query.data;
  const subscriptions = data.organization?.subscriptions ?? [];
  const live = subscriptions.filter((s) => !['CANCELED', 'TERMINATED'].includes(s.status));
  const mayManage = ['OWNER', 'ADMIN', 'BILLING'].includes(membership.role);
  return (
    <Page title={t('Abonelikler', 'Subscriptions')}>
      {membership.organization.status === 'SUSPENDED' ? (
        <Alert color="orange" role="status">
          {t('Hesabınız askıda. Faturalarınızı görebilir, ödeme yapabilir, verinizi dışa aktarabilir ve KVKK başvurusu yapabilirsiniz.', 'Your account is suspended. You can still read and pay invoices, export your data and file a KVKK request.')}
        </Alert>
      ) : null}
      {live.map((s) => (
        <SubscriptionCard key={s.id} subscription={s} plans={data.plans} mayManage={mayManage} onChange={refresh} />
      ))}
      {mayManage ? <PaymentMethod organizationId={orgId} /> : null}
      <Section title={t('Planlar', 'Plans')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {data.plans.map((plan) => (
            <PlanCard key={plan.id} plan={plan} organizationId={orgId} disabled={!mayManage || live.length > 0} onStarted={refresh} />
          ))}
        </SimpleGrid>
      </Section>
      {subscriptions.length > live.length ? (
        <Section title={t('Geçmiş abonelikler', 'Past subscriptions')}>
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Plan', 'Plan')}</Table.Th><Table.Th>{t('Durum', 'Status')}</Table.Th><Table.Th>{t('Bitiş', 'Ended')}</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {subscriptions.filter((s) => !live.includes(s)).map((s) => (
                <Table.Tr key={s.id}><Table.Td>{s.plan.name}</Table.Td><Table.Td><StatusBadge status={s.status} /></Table.Td><Table.Td><When at={s.cancelEffectiveAt ?? s.currentPeriodEnd} /></Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      ) : null}
    </Page>
  );
}

function PlanCard({ plan, organizationId, disabled, onStarted }: { plan: Plan; organizationId: string; disabled: boolean; onStarted: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [currency, setCurrency] = useState(plan.prices[0]?.currency ?? 'TRY');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const interval = plan.interval === 'YEAR' ? t('yıllık', 'yearly') : plan.interval === 'MONTH' ? t('aylık', 'monthly') : plan.interval === 'DAYS_30' ? t('30 günlük', 'per 30 days') : plan.policy.billingPeriod;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{plan.name}</Text>
          <Badge variant="dot">{interval}</Badge>
        </Group>
        <Text size="sm">{plan.prices.map((p) => formatMoney(locale, p)).join(' · ')}</Text>
        <Text size="xs" c="dimmed">
          {plan.policy.trialPeriod ? t(`Deneme süresi ${plan.policy.trialPeriod}`, `Trial ${plan.policy.trialPeriod}`) : t('Deneme yok', 'No trial')} · {plan.code}
        </Text>
        {plan.prices.length > 1 ? <Select aria-label={t('Para birimi', 'Currency')} size="xs" value={currency} onChange={(v) => setCurrency(v ?? currency)} data={plan.prices.map((p) => p.currency)} /> : null}
        <Messages errors={errors} />
        <Button
          size="xs"
          disabled={disabled}
          loading={busy}
          onClick={async () => {
            setBusy(true);
            try {
              const { startSubscription } = await gql(StartSubscription, { input: { organizationId, planCode: plan.code, currency } });
              // A policy that requires a card [000 §4.5]: add it on the provider's page, which starts the subscription after.
              if (startSubscription.userErrors.some((e) => e.code === 'PAYMENT_METHOD_REQUIRED')) {
                setErrors(await addCardOnProviderPage({ organizationId, subscription: { planCode: plan.code, currency } }));
                return;
              }
              setErrors(startSubscription.userErrors.map((e) => e.message));
              if (!startSubscription.userErrors.length) onStarted();
            } catch (e) {
              setErrors([(e as Error).message]);
            } finally {
              setBusy(false);
            }
          }}
        >
          {plan.policy.trialPeriod ? t('Denemeyi başlat', 'Start trial') : t('Abone ol', 'Subscribe')}
        </Button>
      </Stack>
    </Card>
  );
}

function SubscriptionCard({ subscription: s, plans, mayManage, onChange }: { subscription: Sub; plans: readonly Plan[]; mayManage: boolean; onChange: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const [target, setTarget] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'change' | 'cancel' | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [answer, setAnswer] = useState<string>();
  const run = async (action: () => Promise<{ userErrors: readonly { message: string }[] } & Record<string, unknown>>, done: (result: Record<string, unknown>) => string) => {
    setErrors([]);
    try {
      const result = await action();
      if (result.userErrors.length) setErrors(result.userErrors.map((e) => e.message));
      else {
        setAnswer(done(result));
        setDialog(null);
        onChange();
      }
    } catch (e) {
      setErrors([(e as Error).message]);
    }
  };
  return (
    <Card withBorder data-testid="subscription">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>{s.plan.name}</Text>
          <StatusBadge status={s.status} />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Text size="sm">{t('Deneme bitişi', 'Trial ends')}: <When at={s.trialEndsAt} /></Text>
          <Text size="sm">{t('Dönem', 'Period')}: <When at={s.currentPeriodStart} /> – <When at={s.currentPeriodEnd} /></Text>
          {s.cancelAtPeriodEnd ? <Text size="sm" c="orange">{t('İptal tarihi', 'Cancels on')}: <When at={s.cancelEffectiveAt} /></Text> : null}
          {s.pendingPlanCode ? <Text size="sm">{t('Dönem sonunda geçilecek plan', 'Switches at period end to')}: {s.pendingPlanCode}</Text> : null}
        </SimpleGrid>
        {answer ? <Alert color="green" role="status">{answer}</Alert> : null}
        <Messages errors={errors} />
        <LifecycleTimeline history={s.history} upcoming={s.upcoming} label={t('Abonelik zaman çizelgesi', 'Subscription timeline')} />
        {mayManage ? (
          <Group>
            {s.status === 'TRIALING' ? (
              <Button size="xs" onClick={() => run(async () => ({ userErrors: (await confirmSubscription(s.id, null)).map((message) => ({ message })) }), () => t('Aboneliğiniz onaylandı.', 'Your subscription is confirmed.'))}>
                {t('Aboneliği onayla', 'Confirm subscription')}
              </Button>
            ) : null}
            <Button size="xs" variant="default" onClick={() => setDialog('change')}>{t('Plan değiştir', 'Change plan')}</Button>
            {!s.cancelAtPeriodEnd ? <Button size="xs" variant="default" color="red" onClick={() => setDialog('cancel')}>{t('İptal et', 'Cancel')}</Button> : null}
          </Group>
        ) : null}
      </Stack>
      <Modal opened={dialog === 'change'} onClose={() => setDialog(null)} title={t('Plan değiştir', 'Change plan')}>
        <Stack>
          <Select label={t('Yeni plan', 'New plan')} value={target} onChange={setTarget} data={plans.filter((p) => p.code !== s.plan.code).map((p) => ({ value: p.code, label: p.name }))} />
          <Text size="sm">{t('Geçerlilik tarihi (mevcut dönemin sonu)', 'Takes effect (end of the current period)')}: <When at={s.currentPeriodEnd ?? s.trialEndsAt} /></Text>
          <Messages errors={errors} />
          <Button disabled={!target} onClick={() => run(async () => (await gql(ChangePlan, { id: s.id, planCode: target! })).changePlan, (r) => `${t('Plan değişikliği kaydedildi; geçerlilik', 'Plan change recorded; effective')} ${formatDateTime(locale, (r.subscription as { currentPeriodEnd?: string } | null)?.currentPeriodEnd)}`)}>
            {t('Onayla', 'Confirm')}
          </Button>
        </Stack>
      </Modal>
      <Modal opened={dialog === 'cancel'} onClose={() => setDialog(null)} title={t('Aboneliği iptal et', 'Cancel the subscription')}>
        <Stack>
          <Text size="sm">
            {t('Sözleşmenizin bildirim süresi', 'Your contract’s notice')}: {plans.find((p) => p.code === s.plan.code)?.policy.cancellationNotice ?? '—'}.{' '}
            {s.noticeFreeCancellationUntil ? t('Bildirim süresiz iptal hakkınız var.', 'You may cancel without notice.') : ''}
          </Text>
          <Text size="sm" fw={600} data-testid="cancel-effective">{t('İptal şu tarihte geçerli olur', 'The cancellation takes effect on')}: <When at={s.cancelNowEffectiveAt} /></Text>
          <Messages errors={errors} />
          <Button color="red" data-testid="confirm-cancel" onClick={() => run(async () => (await gql(CancelSubscription, { id: s.id })).cancelSubscription, (r) => `${t('İptal kaydedildi; geçerlilik', 'Cancellation recorded; effective')} ${formatDateTime(locale, (r.subscription as { cancelEffectiveAt?: string } | null)?.cancelEffectiveAt)}`)}>
            {t('İptali onayla', 'Confirm cancellation')}
          </Button>
        </Stack>
      </Modal>
    </Card>
  );
}

function PaymentMethod({ organizationId }: { organizationId: string }) {
  const t = useT();
  const [token, setToken] = useState('');
  const [state, setState] = useState<{ ok?: boolean; errors: string[] }>({ errors: [] });
  return (
    <Section title={t('Ödeme yöntemi', 'Payment method')}>
      <Text size="sm" c="dimmed">
        {t('Kart bilgileri ödeme kuruluşunda saklanır; buraya yalnızca kuruluşun verdiği kart anahtarı girilir.', 'Card details stay with the payment provider; enter the card token it issued.')}
      </Text>
      <Group align="flex-end">
        <TextInput label={t('Kart anahtarı', 'Card token')} value={token} onChange={(e) => setToken(e.currentTarget.value)} error={state.errors[0]} />
        <Button
          onClick={async () => {
            const { setPaymentMethod } = await gql(SetPaymentMethod, { organizationId, token });
            setState({ ok: setPaymentMethod.ok, errors: setPaymentMethod.userErrors.map((e) => e.message) });
          }}
        >
          {t('Kaydet', 'Save')}
        </Button>
      </Group>
      {state.ok ? <Text c="green" role="status">{t('Ödeme yöntemi kaydedildi; gecikmiş bir ödeme varsa hemen yeniden denenir.', 'Payment method saved; an overdue charge is retried now.')}</Text> : null}
      <Group>
        <Button variant="light" onClick={async () => setState({ errors: await addCardOnProviderPage({ organizationId }) })}>
          {t('Kart ekle (ödeme kuruluşunun sayfasında)', "Add a card (on the payment provider's page)")}
        </Button>
      </Group>
    </Section>
  );
}
