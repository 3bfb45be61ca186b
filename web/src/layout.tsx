import { AppShell, Burger, Button, Group, NavLink, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { Loading } from './components/common.tsx';
import { useLocale, useT } from './i18n.ts';
import { useMe, useSignOut, type Me } from './session.tsx';

export function LocaleSwitch() {
  const { locale, setLocale } = useLocale();
  return (
    <Group gap={4} role="group" aria-label="Dil / Language">
      <Button size="compact-sm" variant={locale === 'tr' ? 'filled' : 'subtle'} onClick={() => setLocale('tr')} aria-pressed={locale === 'tr'} lang="tr">
        TR
      </Button>
      <Button size="compact-sm" variant={locale === 'en' ? 'filled' : 'subtle'} onClick={() => setLocale('en')} aria-pressed={locale === 'en'} lang="en">
        EN
      </Button>
    </Group>
  );
}

function Shell({ nav, header, children }: { nav: { to: string; label: string }[]; header?: ReactNode; children: ReactNode }) {
  const t = useT();
  const [opened, { toggle }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('Menü', 'Menu')} />
            <Text fw={700} component={Link} to="/">
              Omurga
            </Text>
            {header}
          </Group>
          <Group>
            <LocaleSwitch />
            <Button
              size="compact-sm"
              variant="default"
              onClick={async () => {
                await signOut();
                navigate('/sign-in');
              }}
            >
              {t('Çıkış', 'Sign out')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('Bölümler', 'Sections')}>
        {nav.map((item) => (
          <NavLink key={item.to} component={Link} to={item.to} label={item.label} active={location.pathname === item.to} aria-current={location.pathname === item.to ? 'page' : undefined} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <main>{children}</main>
      </AppShell.Main>
    </AppShell>
  );
}

export function PublicLayout() {
  return (
    <div>
      <Group justify="flex-end" p="sm" component="header">
        <LocaleSwitch />
      </Group>
      <main>
        <Outlet />
      </main>
    </div>
  );
}

type Membership = Me['memberships'][number];
const OrganizationContext = createContext<{ me: Me; membership: Membership } | null>(null);

/** The signed-in customer and the organisation they are working on. */
export function useCustomer() {
  const value = useContext(OrganizationContext);
  if (!value) throw new Error('useCustomer outside the portal');
  return value;
}

const ORG_KEY = 'omurga.organization';

export function PortalLayout() {
  const t = useT();
  const { me, loading, signedIn } = useMe();
  const location = useLocation();
  const [chosen, setChosen] = useState(() => localStorage.getItem(ORG_KEY));
  if (!signedIn) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (loading || !me) return <Loading />;
  if (me.operatorRoles.length) return <Navigate to="/operator" replace />;
  const membership = me.memberships.find((m) => m.organization.id === chosen) ?? me.memberships[0];
  const nav = [
    { to: '/portal', label: t('Abonelikler', 'Subscriptions') },
    { to: '/portal/billing', label: t('Faturalar ve bakiye', 'Invoices and balance') },
    { to: '/portal/support', label: t('Destek', 'Support') },
    { to: '/portal/privacy', label: t('Gizlilik ve KVKK', 'Privacy and KVKK') },
    { to: '/portal/organization', label: t('Organizasyon', 'Organisation') },
    { to: '/portal/account', label: t('Hesabım', 'My account') },
  ];
  const picker =
    me.memberships.length > 1 ? (
      <Select
        aria-label={t('Organizasyon', 'Organisation')}
        size="xs"
        value={membership?.organization.id ?? null}
        onChange={(id) => {
          if (!id) return;
          localStorage.setItem(ORG_KEY, id);
          setChosen(id);
        }}
        data={me.memberships.map((m) => ({ value: m.organization.id, label: `${m.organization.name} (${m.organization.customerCode})` }))}
      />
    ) : membership ? (
      <Text size="sm" c="dimmed">
        {membership.organization.name} · {membership.organization.customerCode}
      </Text>
    ) : null;
  return (
    <Shell nav={nav} header={picker}>
      {membership ? (
        <OrganizationContext.Provider value={{ me, membership }}>
          <Outlet />
        </OrganizationContext.Provider>
      ) : (
        <Text>{t('Henüz bir organizasyona üye değilsiniz.', 'You are not a member of any organisation yet.')}</Text>
      )}
    </Shell>
  );
}

const OperatorContext = createContext<Me | null>(null);
export function useOperator() {
  const value = useContext(OperatorContext);
  if (!value) throw new Error('useOperator outside the back office');
  return { me: value, has: (...roles: string[]) => value.operatorRoles.some((r) => r === 'SUPER_ADMIN' || roles.includes(r)) };
}

export function OperatorLayout() {
  const t = useT();
  const { me, loading, signedIn } = useMe();
  const location = useLocation();
  if (!signedIn) return <Navigate to={`/operator/sign-in?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (loading || !me) return <Loading />;
  if (!me.operatorRoles.length) return <Navigate to="/portal" replace />;
  const roles = new Set(me.operatorRoles);
  const any = (...r: string[]) => roles.has('SUPER_ADMIN') || r.some((x) => roles.has(x as never));
  const nav = [
    { to: '/operator', label: t('Müşteri ara', 'Find customers'), show: true },
    { to: '/operator/receivables', label: t('Alacaklar', 'Receivables'), show: any('BILLING_ADMIN') },
    { to: '/operator/support', label: t('Destek kuyruğu', 'Support queue'), show: any('SUPPORT_AGENT') },
    { to: '/operator/dpo', label: t('KVKK (DPO)', 'Data protection (DPO)'), show: any('DPO') },
    { to: '/operator/metrics', label: t('Göstergeler', 'Metrics'), show: any('BILLING_ADMIN', 'SUPPORT_AGENT') },
  ].filter((n) => n.show);
  return (
    <OperatorContext.Provider value={me}>
      <Shell nav={nav} header={<Text size="sm" c="dimmed">{t('Operatör', 'Operator')} · {me.operatorRoles.join(', ')}</Text>}>
        <Outlet />
      </Shell>
    </OperatorContext.Provider>
  );
}
