import { Alert, Anchor, Badge, Button, FileInput, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { ownerTypes } from '../../../shared/ipc/channels/pieces';
import { call, fileToBase64 } from '../api';
import { formatBytes, formatDate } from '../format';
import { useLoad } from '../useLoad';

type OwnerType = (typeof ownerTypes)[number];

/** The pièces justificatives of one record: what is attached, what is still expected, and an upload. */
export function PiecesPanel({ ownerType, ownerId, title = 'Pièces justificatives', onChange }: { ownerType: OwnerType; ownerId: number; title?: string; onChange?: () => void }) {
  const roles = useLoad(() => call('pieces.roles', { ownerType }), [ownerType]);
  const pieces = useLoad(() => call('pieces.list', { ownerType, ownerId }), [ownerType, ownerId]);
  const [role, setRole] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const attachedRoles = new Set((pieces.data ?? []).map((p) => p.role));
  const missing = (roles.data ?? []).filter((r) => r.required && !attachedRoles.has(r.role));

  async function attach() {
    if (!file || !role) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const p = await call('pieces.attach', { ownerType, ownerId, role, fileName: file.name, mimeType: file.type, contentBase64: await fileToBase64(file) });
      setDone(`« ${p.originalName} » joint comme ${p.roleLabel.toLowerCase()}.`);
      setFile(null);
      pieces.reload();
      onChange?.();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {title}
      </Title>
      {missing.length > 0 && (
        <Alert color="yellow" title="Pièces attendues">
          {missing.map((m) => m.label).join(', ')}
        </Alert>
      )}
      {(pieces.data ?? []).length > 0 ? (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Document</Table.Th>
              <Table.Th>Fichier</Table.Th>
              <Table.Th>Taille</Table.Th>
              <Table.Th>Ajouté le</Table.Th>
              <Table.Th>Empreinte SHA-256</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(pieces.data ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Badge variant="light">{p.roleLabel}</Badge>
                </Table.Td>
                <Table.Td>{p.originalName}</Table.Td>
                <Table.Td>{formatBytes(p.size)}</Table.Td>
                <Table.Td>{formatDate(p.addedAt)}</Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" title={p.sha256}>
                    {p.sha256.slice(0, 16)}…
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text c="dimmed" size="sm">
          Aucune pièce jointe.
        </Text>
      )}
      <Group align="flex-end">
        <Select
          label="Ce document est"
          placeholder="Choisir"
          data={(roles.data ?? []).map((r) => ({ value: r.role, label: r.label }))}
          value={role}
          onChange={setRole}
          w={280}
        />
        <FileInput label="Fichier" placeholder="Choisir un fichier" value={file} onChange={setFile} w={280} clearable clearButtonProps={{ 'aria-label': 'Retirer le fichier choisi' }} />
        <Button onClick={() => void attach()} loading={busy} disabled={!file || !role}>
          Joindre
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Text size="sm" className="fne-success" role="status">
          {done}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Les fichiers sont copiés dans le dossier de données de l’application et ne sont jamais modifiés.{' '}
        <Anchor size="xs" href="#/">
          Retour au guide
        </Anchor>
      </Text>
    </Stack>
  );
}
