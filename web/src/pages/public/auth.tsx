// Sign-in, sign-up and password recovery: no session needed.
import { Anchor, Button, Checkbox, Group, Paper, PasswordInput, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { fieldErrors, gql } from '../../api.ts';
import { Messages } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { useLocale, useT } from '../../i18n.ts';
import { startSession } from '../../session.tsx';

const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) { accessToken refreshToken expiresAt user { id operatorRoles } userErrors { code field message } }
  }
`);

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { user { id email } organization { id customerCode } userErrors { code field message } }
  }
`);

export const CurrentLegalDocuments = graphql(`
  query CurrentLegalDocuments($locale: String!) { currentLegalDocuments(locale: $locale) { id kind version locale } }
`);

const RequestPasswordReset = graphql(`
  mutation RequestPasswordReset($email: String!) { requestPasswordReset(email: $email) }
`);

export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper withBorder shadow="sm" p="xl" maw={640} mx="auto" mt="xl">
      <Title order={1} size="h2" mb="md">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export function SignInPage({ operator = false }: { operator?: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const { logIn } = await gql(LogIn, { input: { email, password } });
      if (startSession(logIn)) {
        await client.invalidateQueries();
        navigate(params.get('next')?.startsWith('/') ? params.get('next')! : logIn.user?.operatorRoles.length ? '/operator' : '/portal');
      } else setErrors(logIn.userErrors.map((e) => e.message));
    } catch (e) {
      setErrors([(e as Error).message]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <AuthCard title={operator ? t('Operatör girişi', 'Operator sign-in') : t('Giriş yap', 'Sign in')}>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={t('E-posta', 'E-mail')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <PasswordInput label={t('Parola', 'Password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Messages errors={errors} />
          <Button type="submit" loading={busy}>
            {t('Giriş yap', 'Sign in')}
          </Button>
          <Group justify="space-between">
            <Anchor component={Link} to="/forgot-password">
              {t('Parolamı unuttum', 'Forgot password')}
            </Anchor>
            {operator ? null : (
              <Anchor component={Link} to="/sign-up">
                {t('Hesap oluştur', 'Create an account')}
              </Anchor>
            )}
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  return (
    <AuthCard title={t('Parola sıfırlama', 'Reset your password')}>
      {sent ? (
        <Text role="status">{t('Bu adrese kayıtlı bir hesap varsa sıfırlama bağlantısı gönderildi.', 'If an account uses this address, a reset link is on its way.')}</Text>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            await gql(RequestPasswordReset, { email });
            setSent(true);
          }}
        >
          <Stack>
            <TextInput label={t('E-posta', 'E-mail')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <Button type="submit">{t('Bağlantı gönder', 'Send link')}</Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}

type CustomerType = 'INDIVIDUAL' | 'SOLE_PROPRIETOR' | 'CORPORATE';

export function SignUpPage() {
  const t = useT();
  const { locale } = useLocale();
  const documents = useQuery({ queryKey: ['currentLegalDocuments', locale], queryFn: () => gql(CurrentLegalDocuments, { locale }) });
  const [form, setForm] = useState({
    firstName: '', lastName: '', email: '', password: '', phone: '', companyName: '',
    nationalId: '', taxId: '', taxOffice: '', line1: '', district: '', city: '', postalCode: '', country: 'TR',
  });
  const [customerType, setCustomerType] = useState<CustomerType>('CORPORATE');
  const [ageConfirmed, setAgeConfirmed] = useState(false);
  const [authorityConfirmed, setAuthorityConfirmed] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const [marketing, setMarketing] = useState(false);
  const [errors, setErrors] = useState<{ byField: Record<string, string>; general: string[] }>({ byField: {}, general: [] });
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.currentTarget.value });
  const field = (key: keyof typeof form, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={form[key]} onChange={set(key)} error={errors.byField[key]} {...extra} />
  );
  const binding = (documents.data?.currentLegalDocuments ?? []).filter((d) => d.kind === 'USER_AGREEMENT' || d.kind === 'INFORMATION_NOTICE');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const corporate = customerType === 'CORPORATE';
      const { signUp } = await gql(SignUp, {
        input: {
          firstName: form.firstName, lastName: form.lastName, email: form.email, password: form.password, phone: form.phone,
          companyName: form.companyName, customerType,
          nationalId: corporate ? null : form.nationalId || null,
          taxId: corporate ? form.taxId || null : null,
          taxOffice: corporate ? form.taxOffice || null : null,
          billingAddress: { line1: form.line1, district: form.district || null, city: form.city, postalCode: form.postalCode || null, country: form.country },
          ageConfirmed, authorityConfirmed: corporate ? authorityConfirmed : null,
          acceptedDocumentVersionIds: accepted ? binding.map((d) => d.id) : [],
          marketingEmailOptIn: marketing, locale,
        },
      });
      if (signUp.userErrors.length) setErrors(fieldErrors(signUp.userErrors));
      else setDone(signUp.user?.email ?? form.email);
    } catch (e) {
      setErrors({ byField: {}, general: [(e as Error).message] });
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <AuthCard title={t('Neredeyse bitti', 'Almost there')}>
        <Text role="status">{t(`${done} adresine bir doğrulama bağlantısı gönderdik. Bağlantıyı açarak hesabınızı etkinleştirin.`, `We sent a verification link to ${done}. Open it to activate your account.`)}</Text>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={t('Hesap oluştur', 'Create an account')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {field('firstName', t('Ad', 'First name'), { required: true, autoComplete: 'given-name' })}
            {field('lastName', t('Soyad', 'Last name'), { required: true, autoComplete: 'family-name' })}
            {field('email', t('E-posta', 'E-mail'), { required: true, type: 'email', autoComplete: 'email' })}
            {field('phone', t('Telefon', 'Phone'), { required: true, autoComplete: 'tel', placeholder: '+90 5xx xxx xx xx' })}
          </SimpleGrid>
          <PasswordInput label={t('Parola', 'Password')} required autoComplete="new-password" value={form.password} onChange={set('password')} error={errors.byField.password} />
          <div>
            <Text size="sm" fw={500} id="customer-type-label" mb={4}>
              {t('Müşteri tipi', 'Customer type')}
            </Text>
            <SegmentedControl
              aria-labelledby="customer-type-label"
              value={customerType}
              onChange={(v) => setCustomerType(v as CustomerType)}
              data={[
                { value: 'CORPORATE', label: t('Şirket (VKN)', 'Company (VKN)') },
                { value: 'SOLE_PROPRIETOR', label: t('Şahıs şirketi (TCKN)', 'Sole proprietor (TCKN)') },
                { value: 'INDIVIDUAL', label: t('Bireysel (TCKN)', 'Individual (TCKN)') },
              ]}
            />
          </div>
          {field('companyName', customerType === 'INDIVIDUAL' ? t('Fatura adı', 'Billing name') : t('Şirket unvanı', 'Company name'), { required: true })}
          {customerType === 'CORPORATE' ? (
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {field('taxId', t('Vergi kimlik numarası (VKN)', 'Tax number (VKN)'), { required: true, inputMode: 'numeric' })}
              {field('taxOffice', t('Vergi dairesi', 'Tax office'), { required: true })}
            </SimpleGrid>
          ) : (
            field('nationalId', t('T.C. kimlik numarası (TCKN)', 'Turkish ID number (TCKN)'), { required: true, inputMode: 'numeric' })
          )}
          {field('line1', t('Fatura adresi', 'Billing address'), { required: true, autoComplete: 'address-line1' })}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {field('district', t('İlçe', 'District'))}
            {field('city', t('İl', 'City'), { required: true })}
            {field('postalCode', t('Posta kodu', 'Postal code'))}
          </SimpleGrid>
          <Select label={t('Ülke', 'Country')} value={form.country} onChange={(v) => setForm({ ...form, country: v ?? 'TR' })} data={[{ value: 'TR', label: 'Türkiye' }, { value: 'DE', label: 'Deutschland' }, { value: 'GB', label: 'United Kingdom' }, { value: 'US', label: 'United States' }]} error={errors.byField.country} />
          <Checkbox label={t('18 yaşından büyüğüm', 'I am 18 or older')} checked={ageConfirmed} onChange={(e) => setAgeConfirmed(e.currentTarget.checked)} error={errors.byField.ageConfirmed} />
          {customerType === 'CORPORATE' ? (
            <Checkbox label={t('Şirketi temsile yetkiliyim', 'I may bind the company')} checked={authorityConfirmed} onChange={(e) => setAuthorityConfirmed(e.currentTarget.checked)} error={errors.byField.authorityConfirmed} />
          ) : null}
          <Checkbox
            checked={accepted}
            onChange={(e) => setAccepted(e.currentTarget.checked)}
            error={errors.byField.acceptedDocumentVersionIds}
            label={
              <>
                {t('Okudum, kabul ediyorum: ', 'I have read and accept: ')}
                {binding.map((d, i) => (
                  <span key={d.id}>
                    {i ? ', ' : ''}
                    <Anchor component={Link} to={`/legal/${d.id}`} target="_blank">
                      {d.kind === 'USER_AGREEMENT' ? t('Kullanıcı Sözleşmesi', 'User Agreement') : t('Aydınlatma Metni', 'Information Notice')} v{d.version}
                    </Anchor>
                  </span>
                ))}
              </>
            }
          />
          <Checkbox label={t('Kampanya ve haber e-postaları almak istiyorum (isteğe bağlı)', 'Send me offers and news by e-mail (optional)')} checked={marketing} onChange={(e) => setMarketing(e.currentTarget.checked)} />
          <Messages errors={[...errors.general, ...Object.entries(errors.byField).filter(([k]) => !['firstName', 'lastName', 'email', 'phone', 'password', 'companyName', 'taxId', 'taxOffice', 'nationalId', 'line1', 'city', 'district', 'postalCode', 'country', 'ageConfirmed', 'authorityConfirmed', 'acceptedDocumentVersionIds'].includes(k)).map(([, m]) => m)]} />
          <Button type="submit" loading={busy}>
            {t('Hesap oluştur', 'Create account')}
          </Button>
          <Anchor component={Link} to="/sign-in">
            {t('Zaten hesabım var', 'I already have an account')}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
