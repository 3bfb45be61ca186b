import { Alert, Badge, Button, Group, Loader, Modal, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { download } from '../api.ts';
import { formatDateTime, useLocale, useT } from '../i18n.ts';

/** A titled block: its heading with the actions beside it, then the content. */
function Titled({ title, actions, children, level, gap, component }: { title: string; actions?: ReactNode; children: ReactNode; level: 1 | 2; gap: 'md' | 'xs'; component?: 'section' }) {
  return (
    <Stack gap={gap} {...(component ? { component } : {})}>
      <Group justify="space-between">
        <Title order={level} size={level === 1 ? 'h2' : 'h4'}>
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}

export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  return <Titled {...props} level={1} gap="md" />;
}

export function Section(props: { title: string; children: ReactNode; actions?: ReactNode }) {
  return <Titled {...props} level={2} gap="xs" component="section" />;
}

export function Loading() {
  const t = useT();
  return <Loader role="status" aria-label={t('Yükleniyor', 'Loading')} />;
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

export function Messages({ errors }: { errors: readonly string[] }) {
  if (!errors.length) return null;
  return (
    <Alert color="red" role="alert">
      {errors.join(' ')}
    </Alert>
  );
}

export function When({ at }: { at: string | null | undefined }) {
  const { locale } = useLocale();
  return <time dateTime={at ?? undefined}>{formatDateTime(locale, at)}</time>;
}

const STATUS_COLORS: Record<string, string> = {
  ACTIVE: 'green', PAID: 'green', TRIALING: 'blue', OPEN: 'blue', PAST_DUE: 'orange', SUSPENDED: 'red', TERMINATED: 'gray', CANCELED: 'gray',
  PENDING_VERIFICATION: 'yellow', ANSWERED: 'green', CLOSED: 'gray', RECEIVED: 'yellow', IN_PROGRESS: 'blue', REJECTED: 'red', UNCOLLECTIBLE: 'red', VOID: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="dot">
      {status}
    </Badge>
  );
}

/** A lifecycle's events as a timeline: what happened, then what the workflow will do next (as the API answers). */
export function LifecycleTimeline({ history, upcoming, label }: { history: readonly { at: string; type: string; detail?: string | null }[]; upcoming: readonly { at: string; type: string; detail?: string | null }[]; label: string }) {
  const t = useT();
  const items = [...history.map((e) => ({ ...e, next: false })), ...upcoming.map((e) => ({ ...e, next: true }))];
  return (
    <Timeline active={history.length - 1} bulletSize={16} lineWidth={2} aria-label={label} data-testid="lifecycle-timeline">
      {items.map((e, i) => (
        <Timeline.Item key={i} title={e.type} lineVariant={e.next ? 'dashed' : 'solid'} data-upcoming={e.next ? 'true' : 'false'}>
          <Text size="sm" c="dimmed">
            <When at={e.at} /> {e.next ? `· ${t('planlanan', 'upcoming')}` : ''}
          </Text>
          {e.detail ? <Text size="sm">{e.detail}</Text> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

export function DownloadButton({ path, fileName, label }: { path: string; fileName: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <Group gap="xs">
      <Button
        variant="default"
        size="xs"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await download(path, fileName);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {label}
      </Button>
      {error ? <Text c="red" size="xs" role="alert">{(error as Error).message}</Text> : null}
    </Group>
  );
}

/** An operator action that must carry a reason: asks for it, then runs. */
export function ReasonAction({ label, color, onConfirm, description }: { label: string; color?: string; description?: ReactNode; onConfirm: (reason: string) => Promise<void> }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <>
      <Button size="xs" color={color} variant="default" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label}>
        <Stack>
          {description}
          <Textarea label={t('Gerekçe', 'Reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <ErrorText error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('Vazgeç', 'Cancel')}
            </Button>
            <Button
              color={color}
              disabled={!reason.trim()}
              loading={busy}
              onClick={async () => {
                setBusy(true);
                setError(undefined);
                try {
                  await onConfirm(reason.trim());
                  setOpen(false);
                  setReason('');
                } catch (e) {
                  setError(e);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {t('Onayla', 'Confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
