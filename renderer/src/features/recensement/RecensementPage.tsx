import { Alert, Stack, Title } from '@mantine/core';

// Step screen; built by its own issue.
export function RecensementPage(_props: { route: string[] }) {
  return (
    <Stack>
      <Title order={1}>Recensement des besoins</Title>
      <Alert color="gray" title="Étape en préparation">
        Cet écran n’est pas encore disponible dans cette version.
      </Alert>
    </Stack>
  );
}
