import { Alert, Button, CloseButton, Container, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { Component, useState, type ReactNode } from 'react';

// Never a white screen: an error while drawing a screen replaces it with a French page; an error
// outside drawing (a click, a promise nobody awaited) is shown in a banner above the screen.
// Both give the details with a « Copier les détails » button, for the support.

/** The text the officer copies: what failed, where, and when. */
export function errorDetails(error: unknown, where: string): string {
  const e = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
  return [`FNE Formations — ${where}`, `Date : ${new Date().toISOString()}`, `Écran : ${window.location.hash || '#/'}`, `${e.name} : ${e.message}`, e.stack ?? ''].join('\n').trim();
}

/** Clipboard API first; if refused (permissions, no secure context), the old copy command. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

function CopyDetails({ details }: { details: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <Stack gap="xs">
      <Textarea label="Détails de l’erreur" value={details} readOnly autosize minRows={3} maxRows={10} styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }} />
      <Group>
        <Button onClick={() => void copyText(details).then(setCopied)}>Copier les détails</Button>
        <span role="status">{copied === true ? <Text className="fne-success">Détails copiés : collez-les dans votre message au support.</Text> : copied === false ? <Text c="red.9">La copie a échoué : sélectionnez le texte ci-dessus et copiez-le (Ctrl+C).</Text> : null}</span>
      </Group>
    </Stack>
  );
}

/** The page shown instead of a screen that could not be drawn. */
export function ErrorScreen({ details, onRetry }: { details: string; onRetry: () => void }) {
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={1}>Une erreur inattendue s’est produite</Title>
        <Alert color="red" title="Cet écran n’a pas pu s’afficher">
          Vos données enregistrées ne sont pas touchées. Copiez les détails ci-dessous pour les transmettre au support, puis réessayez ou rechargez
          l’application.
        </Alert>
        <CopyDetails details={details} />
        <Group>
          <Button variant="default" onClick={onRetry}>
            Réessayer
          </Button>
          <Button variant="default" onClick={() => window.location.reload()}>
            Recharger l’application
          </Button>
        </Group>
      </Stack>
    </Container>
  );
}

interface State {
  /** Details of the error that stopped the screen from drawing. */
  renderError: string | null;
  /** Details of errors met outside drawing, newest first (at most 5 kept). */
  background: string[];
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { renderError: null, background: [] };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { renderError: errorDetails(error, 'erreur d’affichage') };
  }

  private onError = (event: ErrorEvent) => {
    // Chromium's harmless layout notice, not an error of ours.
    if (/ResizeObserver loop/.test(event.message ?? '')) return;
    this.addBackground(event.error ?? event.message, 'erreur dans l’application');
  };
  private onRejection = (event: PromiseRejectionEvent) => this.addBackground(event.reason, 'opération non terminée');
  // Going to another screen gives the app a new chance.
  private onHashChange = () => {
    if (this.state.renderError) this.setState({ renderError: null });
  };

  private addBackground(error: unknown, where: string): void {
    const details = errorDetails(error, where);
    this.setState((s) => ({ background: [details, ...s.background].slice(0, 5) }));
  }

  componentDidMount(): void {
    window.addEventListener('error', this.onError);
    window.addEventListener('unhandledrejection', this.onRejection);
    window.addEventListener('hashchange', this.onHashChange);
  }

  componentWillUnmount(): void {
    window.removeEventListener('error', this.onError);
    window.removeEventListener('unhandledrejection', this.onRejection);
    window.removeEventListener('hashchange', this.onHashChange);
  }

  componentDidCatch(error: unknown): void {
    console.error('Écran non affiché', error);
  }

  render() {
    const { renderError, background } = this.state;
    if (renderError) return <ErrorScreen details={renderError} onRetry={() => this.setState({ renderError: null })} />;
    return (
      <>
        {this.props.children}
        {background.length > 0 && (
          // Above everything (the app's fixed header and menu included), bottom right.
          <div style={{ position: 'fixed', right: 16, bottom: 16, width: 'min(620px, calc(100vw - 32px))', zIndex: 1000, boxShadow: '0 4px 16px rgba(0,0,0,0.25)' }}>
            <Alert
              color="red"
              role="alert"
              title="Une erreur inattendue s’est produite"
              withCloseButton={false}
            >
              <Stack gap="xs">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text size="sm">
                    Une opération n’a pas abouti. Vos données enregistrées ne sont pas touchées ; vérifiez le résultat à l’écran et, si cela se
                    reproduit, transmettez les détails au support.
                  </Text>
                  <CloseButton aria-label="Fermer le message d’erreur" onClick={() => this.setState({ background: [] })} />
                </Group>
                <CopyDetails details={background.join('\n\n')} />
              </Stack>
            </Alert>
          </div>
        )}
      </>
    );
  }
}
