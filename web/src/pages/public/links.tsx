// The pages e-mails link to. Each works from a cold browser: the token in the
// URL is all it needs (accepting an invitation into an existing login also asks
// for that login).
import { Alert, Anchor, Button, Checkbox, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { fieldErrors, gql } from '../../api.ts';
import { Loading, Messages, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import type { AcceptInvitationInput } from '../../gql/graphql.ts';
import { useLocale, useT } from '../../i18n.ts';
import { startSession, useMe } from '../../session.tsx';
import { AuthCard, CurrentLegalDocuments } from './auth.tsx';

const VerifyEmail = graphql(`
  mutation VerifyEmail($token: String!) { verifyEmail(token: $token) { accessToken refreshToken expiresAt userErrors { code field message } } }
`);
const ResetPassword = graphql(`
  mutation ResetPassword($token: String!, $password: String!) { resetPassword(token: $token, newPassword: $password) { accessToken refreshToken expiresAt userErrors { code field message } } }
`);
const ConfirmEmailChange = graphql(`
  mutation ConfirmEmailChange($token: String!) { confirmEmailChange(token: $token) { user { email } userErrors { code field message } } }
`);
const AcceptInvitation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken refreshToken expiresAt userErrors { code field message } } }
`);
const Unsubscribe = graphql(`
  mutation Unsubscribe($token: String!) { unsubscribe(token: $token) }
`);
const LegalDocument = graphql(`
  query LegalDocument($id: ID!) { legalDocumentVersion(id: $id) { id kind version locale effectiveAt publishedAt awaitingBinding contentHash body } }
`);

function useToken() {
  const [params] = useSearchParams();
  return params.get('token') ?? '';
}

/** Runs a token mutation once on arrival (React's strict mode mounts twice). */
function useOnce<T>(run: () => Promise<T>) {
  const started = useRef(false);
  const mutation = useMutation({ mutationFn: run });
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    mutation.mutate();
  }, [mutation]);
  return mutation;
}

function Outcome({ ok, okText, errors }: { ok: boolean; okText: string; errors: string[] }) {
  const t = useT();
  return ok ? (
    <Stack>
      <Alert color="green" role="status">
        {okText}
      </Alert>
      <Anchor component={Link} to="/portal">
        {t('Panele git', 'Go to the panel')}
      </Anchor>
    </Stack>
  ) : (
    <Stack>
      <Messages errors={errors} />
      <Anchor component={Link} to="/sign-in">
        {t('Giriş sayfası', 'Sign-in page')}
      </Anchor>
    </Stack>
  );
}

export function VerifyEmailPage() {
  const t = useT();
  const token = useToken();
  const client = useQueryClient();
  const result = useOnce(async () => {
    const { verifyEmail } = await gql(VerifyEmail, { token });
    if (startSession(verifyEmail)) await client.invalidateQueries();
    return verifyEmail;
  });
  return (
    <AuthCard title={t('E-posta doğrulama', 'E-mail verification')}>
      {result.isPending ? <Loading /> : <Outcome ok={!!result.data?.accessToken} okText={t('E-posta adresiniz doğrulandı, oturumunuz açıldı.', 'Your e-mail address is verified and you are signed in.')} errors={[...(result.data?.userErrors.map((e) => e.message) ?? []), ...(result.error ? [result.error.message] : [])]} />}
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const t = useT();
  const token = useToken();
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ byField: {}, general: [] });
  const [done, setDone] = useState(false);
  return (
    <AuthCard title={t('Yeni parola', 'New password')}>
      {done ? (
        <Outcome ok okText={t('Parolanız değişti; diğer oturumlarınız kapatıldı.', 'Your password is changed; your other sessions are closed.')} errors={[]} />
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const { resetPassword } = await gql(ResetPassword, { token, password });
            if (startSession(resetPassword)) {
              await client.invalidateQueries();
              setDone(true);
            } else setErrors(fieldErrors(resetPassword.userErrors));
          }}
        >
          <Stack>
            <PasswordInput label={t('Yeni parola', 'New password')} autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={errors.byField.newPassword ?? errors.byField.password} />
            <Messages errors={[...errors.general, ...(errors.byField.token ? [errors.byField.token] : [])]} />
            <Button type="submit">{t('Parolayı kaydet', 'Save password')}</Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}

export function ConfirmEmailChangePage() {
  const t = useT();
  const token = useToken();
  const result = useOnce(() => gql(ConfirmEmailChange, { token }).then((d) => d.confirmEmailChange));
  return (
    <AuthCard title={t('E-posta değişikliği', 'E-mail change')}>
      {result.isPending ? <Loading /> : <Outcome ok={!!result.data?.user} okText={t(`E-posta adresiniz ${result.data?.user?.email} olarak değişti.`, `Your e-mail address is now ${result.data?.user?.email}.`)} errors={[...(result.data?.userErrors.map((e) => e.message) ?? []), ...(result.error ? [result.error.message] : [])]} />}
    </AuthCard>
  );
}

export function AcceptInvitationPage() {
  const t = useT();
  const { locale } = useLocale();
  const token = useToken();
  const location = useLocation();
  const client = useQueryClient();
  const { me } = useMe();
  const documents = useQuery({ queryKey: ['currentLegalDocuments', locale], queryFn: () => gql(CurrentLegalDocuments, { locale }) });
  const binding = (documents.data?.currentLegalDocuments ?? []).filter((d) => d.kind === 'USER_AGREEMENT' || d.kind === 'INFORMATION_NOTICE');
  const [form, setForm] = useState({ firstName: '', lastName: '', password: '' });
  const [age, setAge] = useState(false);
  const [authority, setAuthority] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ byField: {}, general: [] });
  const [done, setDone] = useState(false);
  async function accept(input: AcceptInvitationInput) {
    const { acceptInvitation } = await gql(AcceptInvitation, { input: { ...input, token } });
    if (startSession(acceptInvitation)) {
      await client.invalidateQueries();
      setDone(true);
    } else setErrors(fieldErrors(acceptInvitation.userErrors));
  }
  if (done) return <AuthCard title={t('Davet', 'Invitation')}><Outcome ok okText={t('Davet kabul edildi.', 'Invitation accepted.')} errors={[]} /></AuthCard>;
  return (
    <AuthCard title={t('Daveti kabul et', 'Accept the invitation')}>
      <Stack>
        {me ? (
          <>
            <Text>{t(`${me.email} olarak kabul ediyorsunuz.`, `You accept as ${me.email}.`)}</Text>
            <Checkbox label={t('Şirketi temsile yetkiliyim (şirket sahipliği için)', 'I may bind the company (when becoming its owner)')} checked={authority} onChange={(e) => setAuthority(e.currentTarget.checked)} error={errors.byField.authorityConfirmed} />
            <Messages errors={[...errors.general, ...(errors.byField.token ? [errors.byField.token] : [])]} />
            <Button onClick={() => accept({ token, authorityConfirmed: authority })}>{t('Kabul et', 'Accept')}</Button>
          </>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void accept({ token, ...form, ageConfirmed: age, authorityConfirmed: authority, acceptedDocumentVersionIds: accepted ? binding.map((d) => d.id) : [] });
            }}
          >
            <Stack>
              <Text size="sm">
                {t('Hesabınız varsa ', 'If you already have an account, ')}
                <Anchor component={Link} to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}>
                  {t('giriş yapın', 'sign in')}
                </Anchor>
                {t('; yoksa bilgilerinizi girin.', '; otherwise fill in your details.')}
              </Text>
              <SimpleGrid cols={2}>
                <TextInput label={t('Ad', 'First name')} value={form.firstName} onChange={(e) => setForm({ ...form, firstName: e.currentTarget.value })} error={errors.byField.firstName} />
                <TextInput label={t('Soyad', 'Last name')} value={form.lastName} onChange={(e) => setForm({ ...form, lastName: e.currentTarget.value })} error={errors.byField.lastName} />
              </SimpleGrid>
              <PasswordInput label={t('Parola', 'Password')} autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} error={errors.byField.password} />
              <Checkbox label={t('18 yaşından büyüğüm', 'I am 18 or older')} checked={age} onChange={(e) => setAge(e.currentTarget.checked)} error={errors.byField.ageConfirmed} />
              <Checkbox label={t('Şirketi temsile yetkiliyim (şirket sahipliği için)', 'I may bind the company (when becoming its owner)')} checked={authority} onChange={(e) => setAuthority(e.currentTarget.checked)} error={errors.byField.authorityConfirmed} />
              <Checkbox
                checked={accepted}
                onChange={(e) => setAccepted(e.currentTarget.checked)}
                error={errors.byField.acceptedDocumentVersionIds}
                label={<>{t('Okudum, kabul ediyorum: ', 'I have read and accept: ')}{binding.map((d, i) => <span key={d.id}>{i ? ', ' : ''}<Anchor component={Link} to={`/legal/${d.id}`} target="_blank">{d.kind} v{d.version}</Anchor></span>)}</>}
              />
              <Messages errors={[...errors.general, ...(errors.byField.token ? [errors.byField.token] : [])]} />
              <Button type="submit">{t('Kabul et', 'Accept')}</Button>
            </Stack>
          </form>
        )}
      </Stack>
    </AuthCard>
  );
}

export function UnsubscribePage() {
  const t = useT();
  const token = useToken();
  const result = useMutation({ mutationFn: () => gql(Unsubscribe, { token }).then((d) => d.unsubscribe) });
  return (
    <AuthCard title={t('Abonelikten çık', 'Unsubscribe')}>
      <Stack>
        {result.isSuccess ? (
          <Alert color="green" role="status">
            {t('İzniniz geri alındı; bu konuda size bir daha ileti göndermeyeceğiz.', 'Your consent is withdrawn; we will not send you these messages again.')}
          </Alert>
        ) : (
          <>
            <Text>{t('Bu konudaki ticari iletileri almayı bırakmak için onaylayın. Giriş yapmanız gerekmez.', 'Confirm to stop receiving these commercial messages. No sign-in needed.')}</Text>
            <Messages errors={result.error ? [result.error.message] : []} />
            <Button onClick={() => result.mutate()} loading={result.isPending}>
              {t('Abonelikten çık', 'Unsubscribe')}
            </Button>
          </>
        )}
      </Stack>
    </AuthCard>
  );
}

export function LegalDocumentPage() {
  const t = useT();
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['legal', id], queryFn: () => gql(LegalDocument, { id }).then((d) => d.legalDocumentVersion) });
  const doc = query.data;
  return (
    <AuthCard title={doc ? `${doc.kind} · v${doc.version} (${doc.locale})` : t('Hukuki metin', 'Legal document')}>
      {query.isPending ? (
        <Loading />
      ) : !doc ? (
        <Messages errors={[query.error?.message ?? t('Belge bulunamadı.', 'Document not found.')]} />
      ) : (
        <Stack>
          <Text size="sm" c="dimmed">
            {t('Yürürlük', 'Effective')}: <When at={doc.effectiveAt} /> {doc.awaitingBinding ? `· ${t('bildirim süresinde, henüz bağlayıcı değil', 'in its notice period, not yet binding')}` : ''}
          </Text>
          <div>
            <Title order={2} size="h5" mb="xs">
              SHA-256 {doc.contentHash.slice(0, 16)}…
            </Title>
            <div style={{ whiteSpace: 'pre-wrap' }} data-testid="legal-body">
              {doc.body}
            </div>
          </div>
        </Stack>
      )}
    </AuthCard>
  );
}
