import { Alert, Button, Code, Container, Group, Stack, Text, Title } from '@mantine/core';
import { Component, type ReactNode } from 'react';

// Never a white screen: an unexpected error shows a French page with the details to copy.
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const details = `${error.name}: ${error.message}\n${error.stack ?? ''}`;
    return (
      <Container size="sm" py="xl">
        <Stack>
          <Title order={1}>Une erreur inattendue s’est produite</Title>
          <Alert color="red" title="L’écran n’a pas pu s’afficher">
            Vos données enregistrées ne sont pas touchées. Copiez le détail ci-dessous pour le transmettre au support, puis rechargez.
          </Alert>
          <Code block>{details}</Code>
          <Group>
            <Button onClick={() => void navigator.clipboard?.writeText(details)}>Copier le détail</Button>
            <Button variant="default" onClick={() => window.location.reload()}>
              Recharger
            </Button>
          </Group>
          <Text size="sm" c="dimmed">
            FNE Formations
          </Text>
        </Stack>
      </Container>
    );
  }
}
