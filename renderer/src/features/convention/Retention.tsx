// Personal data of the convention: until when they are kept, and — once that date is past — the
// anonymisation of its people with its confirmation and report. The services decide (dates,
// who, what); this panel displays and asks.
import { Alert, Button, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { RetentionReport, RetentionStatus } from '../../../../shared/ipc/channels/retention';
import { call } from '../../api';
import { DateField } from '../../components/DateField';
import { formatDate, plural } from '../../format';
import { useLoad } from '../../useLoad';
import { errorOf } from '../sessions/common';

export function RetentionPanel({ conventionId }: { conventionId: number }) {
  const loaded = useLoad(() => call('retention.get', { conventionId }), [conventionId]);
  const [status, setStatus] = useState<RetentionStatus | null>(null);
  const s = status ?? loaded.data;
  const [date, setDate] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<RetentionReport | null>(null);
  if (loaded.error) return <Alert color="red">{loaded.error}</Alert>;
  if (!s) return <Loader size="sm" aria-label="Chargement de la durée de conservation" />;
  const shown = date ?? s.retentionUntil;
  async function saveDate(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      setStatus(await call('retention.set', { conventionId, retentionUntil: shown === s!.defaultRetentionUntil ? null : shown }));
      setDate(null);
    } catch (err) {
      setError(errorOf(err).message);
    }
  }
  async function anonymise() {
    setBusy(true);
    setError(null);
    try {
      setReport(await call('retention.anonymise', { conventionId, confirm: true }));
      setConfirming(false);
      setStatus(await call('retention.get', { conventionId }));
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  }
  const last = report ?? s.lastReport;
  return (
    <section aria-labelledby="conservation-title">
      <Title order={2} size="h3" id="conservation-title" mb="xs">
        Conservation des données personnelles
      </Title>
      <Stack gap="sm">
        <Text size="sm">
          Les données des professionnels de cette convention sont conservées jusqu’au <strong>{formatDate(s.retentionUntil)}</strong>
          {s.isDefault ? ' (fin de la convention + 5 ans, durée de conservation des pièces du marché)' : ''}. Ensuite, elles sont anonymisées : noms, adresses
          électroniques, téléphones et textes les concernant sont remplacés ; les nombres de départs, les montants et les pièces de dépense sont gardés.
        </Text>
        <form onSubmit={saveDate}>
          <Group align="flex-end">
            <DateField label="Conserver jusqu’au" value={shown} onChange={setDate} w={200} error={error && !confirming ? error : undefined} />
            <Button type="submit" variant="default" disabled={date === null}>
              Enregistrer la date
            </Button>
          </Group>
        </form>
        {s.anonymisedAt ? (
          <Alert color="green" title={`Données anonymisées le ${formatDate(s.anonymisedAt.slice(0, 10))}`} />
        ) : s.due ? (
          <Alert color="orange" title="La durée de conservation est écoulée">
            <Text size="sm" mb="xs">
              L’anonymisation concernerait {plural(s.preview.people, 'personne')}, {plural(s.preview.sourceFiles, 'fichier source importé')} (supprimés) et{' '}
              {plural(s.preview.backups, 'sauvegarde')} prises avant (supprimées). Elle est définitive.
            </Text>
            {!confirming ? (
              <Button color="orange" onClick={() => setConfirming(true)}>
                Anonymiser les données personnelles…
              </Button>
            ) : (
              <Group>
                <Button color="red" loading={busy} onClick={anonymise}>
                  Confirmer l’anonymisation définitive
                </Button>
                <Button variant="default" onClick={() => setConfirming(false)}>
                  Ne pas anonymiser
                </Button>
              </Group>
            )}
            {error && confirming && (
              <Text c="red" size="sm" role="alert" mt="xs">
                {error}
              </Text>
            )}
          </Alert>
        ) : null}
        {last && (
          <Alert color="blue" title="Rapport d’anonymisation" role="status">
            <List size="sm">
              <List.Item>{plural(last.people, 'personne anonymisée', 'personnes anonymisées')}</List.Item>
              <List.Item>{plural(last.texts, 'texte remplacé', 'textes remplacés')}, {plural(last.history, 'entrée de l’historique nettoyée', 'entrées de l’historique nettoyées')}</List.Item>
              <List.Item>{plural(last.sourceFiles, 'fichier source supprimé', 'fichiers sources supprimés')}</List.Item>
              <List.Item>{plural(last.backupsPurged, 'sauvegarde antérieure supprimée', 'sauvegardes antérieures supprimées')}</List.Item>
              {last.backupsRemaining.map((b) => (
                <List.Item key={b.name}>
                  À supprimer à la main : {b.name} ({b.reason})
                </List.Item>
              ))}
              {last.backupAfter && <List.Item>Nouvelle sauvegarde sans données personnelles : {last.backupAfter}</List.Item>}
            </List>
          </Alert>
        )}
      </Stack>
    </section>
  );
}
