// The signed-in person: profile, e-mail change (ACC-8), sign-out.
import { Badge, Button, Group, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { fieldErrors, gql } from '../../api.ts';
import { Messages, Page, Section, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import { useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';
import { useSignOut } from '../../session.tsx';

const Sessions = graphql(`
  query MySessions { me { id sessions { id startedAt lastUsedAt expiresAt ip userAgent current } } }
`);
const EndSession = graphql(`
  mutation EndSession($id: ID!) { endSession(id: $id) { ok userErrors { code field message } } }
`);

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
  const client = useQueryClient();
  const sessions = useQuery({ queryKey: ['sessions'], queryFn: () => gql(Sessions) });
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
      <Section title={t('Oturumlar', 'Sessions')}>
        <Table data-testid="sessions">
          <Table.Thead><Table.Tr><Table.Th>{t('Başlangıç', 'Started')}</Table.Th><Table.Th>{t('Son kullanım', 'Last used')}</Table.Th><Table.Th>IP</Table.Th><Table.Th>{t('Tarayıcı', 'Browser')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {sessions.data?.me?.sessions.map((session) => (
              <Table.Tr key={session.id}>
                <Table.Td><When at={session.startedAt} /> {session.current ? <Badge variant="dot">{t('bu oturum', 'this session')}</Badge> : null}</Table.Td>
                <Table.Td><When at={session.lastUsedAt} /></Table.Td>
                <Table.Td>{session.ip ?? '—'}</Table.Td>
                <Table.Td>{session.userAgent?.slice(0, 60) ?? '—'}</Table.Td>
                <Table.Td>{session.current ? null : <Button size="compact-xs" variant="default" onClick={async () => { await gql(EndSession, { id: session.id }); await client.invalidateQueries({ queryKey: ['sessions'] }); }}>{t('Kapat', 'End')}</Button>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group>
          <Button variant="default" onClick={async () => { await signOut(); navigate('/sign-in'); }}>{t('Bu oturumu kapat', 'Sign out of this session')}</Button>
        </Group>
        <Text size="xs" c="dimmed">{t('Parola sıfırlama tüm oturumlarınızı kapatır.', 'Resetting your password ends all your sessions.')}</Text>
      </Section>
    </Page>
  );
}
