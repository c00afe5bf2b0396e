// The rights of one person (RGPD): the file of everything held about them (access request),
// and their erasure — which the services refuse, with the reason, while a kept pièce names them.
import { Alert, Button, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { call } from '../../api';
import { navigate } from '../../router';
import { download } from '../documents/DocumentsPage';
import { errorOf } from '../sessions/common';

export function PersonRights({ personId, name }: { personId: number; name: string }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [erasing, setErasing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  async function exportData() {
    setError(null);
    try {
      const f = await call('retention.person.export', { personId });
      download(f);
      setDone(`« ${f.fileName} » téléchargé : toutes les données détenues sur ${name}.`);
    } catch (e) {
      setError(errorOf(e).message);
    }
  }
  async function erase(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('retention.person.erase', { personId, reason });
      navigate('recensement');
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="droits-title">
      <Title order={2} size="h3" id="droits-title" mb="xs">
        Données personnelles de {name}
      </Title>
      <Stack gap="xs">
        <Group>
          <Button variant="default" onClick={exportData}>
            Exporter ses données (demande d’accès)
          </Button>
          {!erasing && (
            <Button variant="default" color="red" onClick={() => setErasing(true)}>
              Effacer cette personne…
            </Button>
          )}
        </Group>
        {done && (
          <Text size="sm" role="status">
            {done}
          </Text>
        )}
        {erasing && (
          <form onSubmit={erase} aria-label="Effacer cette personne">
            <Stack gap="xs">
              <Text size="sm">
                L’effacement est définitif. Il est refusé si la personne figure dans une pièce justificative conservée (attestation, feuille d’émargement).
              </Text>
              <Textarea label="Motif de l’effacement" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} />
              <Group>
                <Button type="submit" color="red" loading={busy} disabled={reason.trim() === ''}>
                  Confirmer l’effacement définitif
                </Button>
                <Button variant="default" onClick={() => setErasing(false)}>
                  Ne pas effacer
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </section>
  );
}
