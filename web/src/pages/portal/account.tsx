// The signed-in person: profile, e-mail change (ACC-8), sign-out.
import { Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, gql } from '../../api.ts';
import { Messages, Page, Section } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';
import { useSignOut } from '../../session.tsx';

const RequestEmailChange = graphql(`
  mutation RequestEmailChange($email: String!, $password: String!) { requestEmailChange(newEmail: $email, password: $password) { ok userErrors { code field message } } }
`);

export function AccountPage() {
  const t = useT();
  const { me } = useCustomer();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ byField: {}, general: [] });
  const [sent, setSent] = useState(false);
  return (
    <Page title={t('Hesabım', 'My account')}>
      <Text>{me.firstName} {me.lastName} · {me.email} {me.emailVerified ? '' : `(${t('doğrulanmadı', 'not verified')})`}</Text>
      <Section title={t('E-posta değişikliği', 'Change e-mail')}>
        <Stack maw={420}>
          <TextInput label={t('Yeni e-posta', 'New e-mail')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.byField.newEmail} />
          <PasswordInput label={t('Parolanız', 'Your password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={errors.byField.password} />
          <Messages errors={errors.general} />
          {sent ? <Text role="status" c="green">{t('Yeni adrese bir onay bağlantısı gönderdik.', 'We sent a confirmation link to the new address.')}</Text> : null}
          <Button onClick={async () => { const { requestEmailChange } = await gql(RequestEmailChange, { email, password }); setErrors(fieldErrors(requestEmailChange.userErrors)); setSent(requestEmailChange.ok); }}>{t('Bağlantı gönder', 'Send link')}</Button>
        </Stack>
      </Section>
      <Section title={t('Oturum', 'Session')}>
        <Group>
          <Button variant="default" onClick={async () => { await signOut(); navigate('/sign-in'); }}>{t('Bu oturumu kapat', 'Sign out of this session')}</Button>
        </Group>
        <Text size="xs" c="dimmed">{t('Parola sıfırlama tüm oturumlarınızı kapatır.', 'Resetting your password ends all your sessions.')}</Text>
      </Section>
    </Page>
  );
}
