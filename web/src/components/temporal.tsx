import { Anchor } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../i18n.ts';

interface WebConfig {
  temporalUiUrl: string;
  temporalNamespace: string;
}

/** The Temporal UI's list filtered to one workflow id (the web server tells where the UI is). */
export function temporalWorkflowUrl(config: WebConfig, workflowId: string): string {
  const query = `WorkflowId="${workflowId}"`;
  return `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows?query=${encodeURIComponent(query)}`;
}

export function TemporalLink({ workflowId }: { workflowId: string }) {
  const t = useT();
  const config = useQuery({ queryKey: ['web-config'], queryFn: async () => (await fetch('/config.json')).json() as Promise<WebConfig>, staleTime: Infinity });
  if (!config.data) return null;
  return (
    <Anchor href={temporalWorkflowUrl(config.data, workflowId)} target="_blank" rel="noreferrer" size="sm" data-testid="temporal-link">
      {t('Temporal iş akışı', 'Temporal workflow')}: {workflowId}
    </Anchor>
  );
}
