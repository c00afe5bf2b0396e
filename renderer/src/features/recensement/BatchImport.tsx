import { Alert, Anchor, Button, Checkbox, FileInput, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { JobStatusDto } from '../../../../shared/ipc/channels/jobs';
import type { ImportBatchPreview, ImportBatchResult } from '../../../../shared/ipc/channels/recensement';
import { call, fileToBase64 } from '../../api';
import { JobProgress } from '../../components/JobProgress';
import { useConvention } from '../../conventionContext';
import { navigate } from '../../router';

type BatchFile = { fileName: string; contentBase64: string };

/**
 * Several files in one go (the application forms structures sent back): each file is recognised
 * and mapped automatically, one preview gives the totals and every row rejected or warned with
 * its file, then ONE import (all or nothing). The services decide everything; this only shows.
 */
export function BatchImport() {
  const { refresh } = useConvention();
  const [files, setFiles] = useState<File[]>([]);
  const [payload, setPayload] = useState<BatchFile[] | null>(null);
  const [job, setJob] = useState<{ kind: 'preview' | 'import'; status: JobStatusDto } | null>(null);
  const [preview, setPreview] = useState<ImportBatchPreview | null>(null);
  const [accept, setAccept] = useState(false);
  const [result, setResult] = useState<ImportBatchResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function read() {
    setError(null);
    setPreview(null);
    setResult(null);
    try {
      const p = await Promise.all(files.map(async (f) => ({ fileName: f.name, contentBase64: await fileToBase64(f) })));
      setPayload(p);
      setJob({ kind: 'preview', status: await call('recensement.import.previewStart', { files: p }) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  async function commit() {
    if (!payload) return;
    setError(null);
    try {
      setJob({ kind: 'import', status: await call('recensement.import.start', { files: payload, acceptRejected: accept }) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  const blocked = preview !== null && (preview.missingRequired.length > 0 || (preview.rejected.length > 0 && !accept));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Importer plusieurs fichiers d’un coup</Title>
        <Button variant="default" onClick={() => navigate('recensement')}>
          Retour au recensement
        </Button>
      </Group>
      <Text>
        Pour les formulaires de candidature retournés par les structures : chaque fichier est reconnu et ses colonnes associées automatiquement ; un seul aperçu, puis un
        seul import (tout ou rien). Un fichier dont les colonnes ne sont pas reconnues s’importe seul avec l’assistant : <Anchor href="#/recensement/import">importer un fichier</Anchor>.
      </Text>
      <Group align="flex-end">
        <FileInput
          label="Fichiers reçus"
          placeholder="Choisir les fichiers"
          multiple
          accept=".xlsx,.xls,.ods,.csv,.tsv,.txt"
          value={files}
          onChange={(f) => {
            setFiles(f);
            setPreview(null);
            setResult(null);
          }}
          clearable
          w={420}
        />
        <Button variant="default" onClick={() => void read()} disabled={files.length < 2 || job !== null}>
          Lire les {files.length > 1 ? files.length : ''} fichiers
        </Button>
      </Group>
      {job && (
        <JobProgress
          key={job.status.id}
          job={job.status}
          title={job.kind === 'preview' ? 'Lecture des fichiers' : 'Import des fichiers en cours'}
          onDone={(r) => {
            if (job.kind === 'preview') setPreview(r as ImportBatchPreview);
            else {
              setResult(r as ImportBatchResult);
              setPreview(null);
              refresh();
            }
            setJob(null);
          }}
          onEnd={(s) => {
            if (s.state === 'termine') return;
            setJob(null);
            setError(s.error?.message ?? (s.state === 'annule' ? 'Annulé : rien n’a été enregistré.' : 'Le traitement a échoué : rien n’a été enregistré.'));
          }}
        />
      )}
      {preview && (
        <Stack>
          <Title order={2} size="h3">
            Aperçu des {preview.files.length} fichiers : rien n’est encore enregistré
          </Title>
          <Table withTableBorder aria-label="Fichiers lus">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Fichier</Table.Th>
                <Table.Th>Type reconnu</Table.Th>
                <Table.Th>Lignes</Table.Th>
                <Table.Th>Professionnels nouveaux / modifiés / inchangés</Table.Th>
                <Table.Th>Structures nouvelles / modifiées / inchangées</Table.Th>
                <Table.Th>Lignes rejetées</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.files.map((f, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{f.fileName}</Table.Td>
                  <Table.Td>{f.kindLabel}</Table.Td>
                  <Table.Td>{f.rows}</Table.Td>
                  <Table.Td>
                    {f.people.created} / {f.people.updated} / {f.people.unchanged}
                  </Table.Td>
                  <Table.Td>
                    {f.structures.created} / {f.structures.updated} / {f.structures.unchanged}
                  </Table.Td>
                  <Table.Td>{f.rejected.length}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th>Total</Table.Th>
                <Table.Td />
                <Table.Td>{preview.rows}</Table.Td>
                <Table.Td>
                  {preview.people.created} / {preview.people.updated} / {preview.people.unchanged}
                </Table.Td>
                <Table.Td>
                  {preview.structures.created} / {preview.structures.updated} / {preview.structures.unchanged}
                </Table.Td>
                <Table.Td>{preview.rejected.length}</Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
          {preview.missingRequired.length > 0 && (
            <Alert color="red" role="alert" title="Colonnes obligatoires introuvables">
              {preview.missingRequired.map((n) => `« ${n} »`).join(', ')} : importez ce fichier seul avec l’assistant (« Importer une liste ») pour indiquer ses colonnes, puis relancez les autres.
            </Alert>
          )}
          {preview.rejected.length > 0 && (
            <Stack gap="xs">
              <Table withTableBorder aria-label="Lignes qui seront rejetées">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Fichier</Table.Th>
                    <Table.Th>Ligne</Table.Th>
                    <Table.Th>Motif</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.rejected.map((r, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{r.fileName}</Table.Td>
                      <Table.Td>{r.row}</Table.Td>
                      <Table.Td>{r.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Checkbox label="Importer les autres lignes et laisser de côté les lignes rejetées" checked={accept} onChange={(e) => setAccept(e.currentTarget.checked)} />
            </Stack>
          )}
          {preview.warnings.length > 0 && (
            <Text size="sm">
              {preview.warnings.length} alerte{preview.warnings.length > 1 ? 's' : ''} (à vérifier après l’import sur la fiche des professionnels).
            </Text>
          )}
          <Group>
            <Button onClick={() => void commit()} disabled={blocked || job !== null}>
              Importer les {preview.files.length} fichiers
            </Button>
          </Group>
        </Stack>
      )}
      {result && (
        <Stack>
          <Alert color="green" title="Import des fichiers terminé" role="status">
            {result.files.length} fichiers, {result.rows} lignes lues. Professionnels : {result.people.created} nouveaux, {result.people.updated} modifiés, {result.people.unchanged} inchangés.
            Structures : {result.structures.created} nouvelles, {result.structures.updated} modifiées, {result.structures.unchanged} inchangées.
          </Alert>
          <Group>
            <Button onClick={() => navigate('recensement')}>Voir les professionnels</Button>
          </Group>
        </Stack>
      )}
      {error && (
        <Alert color="red" role="alert" title="Les fichiers n’ont pas été importés">
          {error}
        </Alert>
      )}
    </Stack>
  );
}
