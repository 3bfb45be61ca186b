// Members, roles, invitations and (for partners) API keys.
import { Alert, Button, Code, Group, MultiSelect, Select, Table, Text, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { gql } from '../../api.ts';
import { ErrorText, Loading, Messages, Page, Section, StatusBadge, When } from '../../components/common.tsx';
import { graphql } from '../../gql/index.ts';
import type { MemberRole } from '../../gql/graphql.ts';
import { useT } from '../../i18n.ts';
import { useCustomer } from '../../layout.tsx';

const Organization = graphql(`
  query PortalOrganization($id: ID!, $manager: Boolean!) {
    organization(id: $id) {
      id name customerCode customerType status partnerCode
      members { role since user { id email firstName lastName } }
      invitations @include(if: $manager) { id email role expiresAt }
      apiKeys @include(if: $manager) { id name prefix scopes createdAt lastUsedAt revokedAt }
    }
  }
`);
const Invite = graphql(`mutation InviteMember($id: ID!, $email: String!, $role: MemberRole!) { inviteMember(organizationId: $id, email: $email, role: $role) }`);
const ChangeRole = graphql(`mutation ChangeMemberRole($id: ID!, $userId: ID!, $role: MemberRole!) { changeMemberRole(organizationId: $id, userId: $userId, role: $role) { ok userErrors { code field message } } }`);
const Remove = graphql(`mutation RemoveMember($id: ID!, $userId: ID!) { removeMember(organizationId: $id, userId: $userId) { ok userErrors { code field message } } }`);
const CreateKey = graphql(`mutation CreateApiKey($id: ID!, $name: String!, $scopes: [String!]!) { createApiKey(organizationId: $id, name: $name, scopes: $scopes) { apiKey keyId userErrors { code field message } } }`);
const RevokeKey = graphql(`mutation RevokeApiKey($id: ID!, $keyId: ID!) { revokeApiKey(organizationId: $id, keyId: $keyId) { ok userErrors { code field message } } }`);

const ROLES: MemberRole[] = ['OWNER', 'ADMIN', 'BILLING', 'AGENT', 'READ_ONLY'];

export function OrganizationPage() {
  const t = useT();
  const { membership, me } = useCustomer();
  const id = membership.organization.id;
  const manager = ['OWNER', 'ADMIN'].includes(membership.role);
  const client = useQueryClient();
  const query = useQuery({ queryKey: ['organization', id, manager], queryFn: () => gql(Organization, { id, manager }) });
  const [invite, setInvite] = useState<{ email: string; role: MemberRole }>({ email: '', role: 'READ_ONLY' });
  const [key, setKey] = useState<{ name: string; scopes: string[] }>({ name: '', scopes: ['customers:read'] });
  const [secret, setSecret] = useState<string>();
  const [errors, setErrors] = useState<string[]>([]);
  const refresh = () => client.invalidateQueries({ queryKey: ['organization', id] });
  if (query.isPending) return <Loading />;
  if (query.error || !query.data.organization) return <ErrorText error={query.error} />;
  const org = query.data.organization;
  return (
    <Page title={org.name} actions={<StatusBadge status={org.status} />}>
      <Text size="sm">{t('Müşteri kodu', 'Customer code')}: <Code>{org.customerCode}</Code> · {org.customerType}{org.partnerCode ? ` · ${t('İş ortağı kodu', 'Partner code')}: ${org.partnerCode}` : ''}</Text>
      <Messages errors={errors} />
      <Section title={t('Üyeler', 'Members')}>
        <Table>
          <Table.Thead><Table.Tr><Table.Th>{t('Ad', 'Name')}</Table.Th><Table.Th>{t('E-posta', 'E-mail')}</Table.Th><Table.Th>{t('Rol', 'Role')}</Table.Th><Table.Th>{t('Üyelik', 'Since')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {org.members.map((m) => (
              <Table.Tr key={m.user.id}>
                <Table.Td>{m.user.firstName} {m.user.lastName}</Table.Td>
                <Table.Td>{m.user.email}</Table.Td>
                <Table.Td>
                  {manager && m.user.id !== me.id ? (
                    <Select aria-label={t(`${m.user.email} rolü`, `Role of ${m.user.email}`)} size="xs" value={m.role} data={ROLES} onChange={async (role) => { if (!role) return; const { changeMemberRole } = await gql(ChangeRole, { id, userId: m.user.id, role: role as MemberRole }); setErrors(changeMemberRole.userErrors.map((e) => e.message)); await refresh(); }} />
                  ) : m.role}
                </Table.Td>
                <Table.Td><When at={m.since} /></Table.Td>
                <Table.Td>{manager && m.user.id !== me.id ? <Button size="compact-xs" color="red" variant="subtle" onClick={async () => { const { removeMember } = await gql(Remove, { id, userId: m.user.id }); setErrors(removeMember.userErrors.map((e) => e.message)); await refresh(); }}>{t('Çıkar', 'Remove')}</Button> : null}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      {manager ? (
        <Section title={t('Davetler', 'Invitations')}>
          {org.invitations?.map((i) => <Text key={i.id} size="sm">{i.email} · {i.role} · {t('son', 'expires')} <When at={i.expiresAt} /></Text>)}
          <Group align="flex-end">
            <TextInput label={t('E-posta', 'E-mail')} type="email" value={invite.email} onChange={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
            <Select label={t('Rol', 'Role')} value={invite.role} data={ROLES} onChange={(v) => setInvite({ ...invite, role: (v as MemberRole) ?? 'READ_ONLY' })} />
            <Button onClick={async () => { try { await gql(Invite, { id, email: invite.email, role: invite.role }); setInvite({ ...invite, email: '' }); setErrors([]); await refresh(); } catch (e) { setErrors([(e as Error).message]); } }}>{t('Davet et', 'Invite')}</Button>
          </Group>
        </Section>
      ) : null}
      {manager && org.partnerCode ? (
        <Section title={t('API anahtarları (iş ortağı)', 'API keys (partner)')}>
          {secret ? <Alert color="yellow" title={t('Anahtar yalnızca bir kez gösterilir', 'The key is shown once')}><Code>{secret}</Code></Alert> : null}
          <Table>
            <Table.Thead><Table.Tr><Table.Th>{t('Ad', 'Name')}</Table.Th><Table.Th>Prefix</Table.Th><Table.Th>{t('Yetkiler', 'Scopes')}</Table.Th><Table.Th>{t('Son kullanım', 'Last used')}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
            <Table.Tbody>
              {org.apiKeys?.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>{k.name}</Table.Td><Table.Td><Code>{k.prefix}</Code></Table.Td><Table.Td>{k.scopes.join(', ')}</Table.Td><Table.Td><When at={k.lastUsedAt} /></Table.Td>
                  <Table.Td>{k.revokedAt ? <Text size="xs">{t('iptal', 'revoked')} <When at={k.revokedAt} /></Text> : <Button size="compact-xs" color="red" variant="subtle" onClick={async () => { await gql(RevokeKey, { id, keyId: k.id }); await refresh(); }}>{t('İptal et', 'Revoke')}</Button>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group align="flex-end">
            <TextInput label={t('Anahtar adı', 'Key name')} value={key.name} onChange={(e) => setKey({ ...key, name: e.currentTarget.value })} />
            <MultiSelect label={t('Yetkiler', 'Scopes')} value={key.scopes} onChange={(scopes) => setKey({ ...key, scopes })} data={['customers:read', 'customers:write']} />
            <Button onClick={async () => { const { createApiKey } = await gql(CreateKey, { id, name: key.name, scopes: key.scopes }); setErrors(createApiKey.userErrors.map((e) => e.message)); setSecret(createApiKey.apiKey ?? undefined); await refresh(); }}>{t('Anahtar oluştur', 'Create key')}</Button>
          </Group>
        </Section>
      ) : null}
    </Page>
  );
}
