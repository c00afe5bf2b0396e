// Shown on every screen when the start-up check found something wrong (damaged base, missing
// pièce files, unreadable base set aside): the French explanation and the way to the fix.
import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { call } from '../../api';
import { useConvention } from '../../conventionContext';
import { useLoad } from '../../useLoad';

export function StartupBanner({ section }: { section: string }) {
  const { refreshKey } = useConvention();
  const state = useLoad(() => call('sauvegarde.etat', {}), [refreshKey, section]);
  const report = state.data?.verification;
  if (!report || report.ok || section === 'sauvegardes') return null;
  return (
    <Alert color="red" title="Vérification de la base : problème détecté" mb="md">
      <Stack gap={4}>
        {report.messages.map((m) => (
          <Text key={m} size="sm">
            {m}
          </Text>
        ))}
        <Anchor href="#/sauvegardes">Ouvrir les sauvegardes</Anchor>
      </Stack>
    </Alert>
  );
}
