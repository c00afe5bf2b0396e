// Parts of the import wizard that show what the services inferred: the day/month question of a
// date column no value decides, the first rows as they will be stored, and the harmless repairs
// apart from the alerts. The services decide everything; these only show and ask.
import { Alert, Group, Radio, Stack, Table, Text, Title } from '@mantine/core';
import type { ImportPreview } from '../../../../shared/ipc/channels/recensement';

export type DateOrder = 'jma' | 'mja';

/** Codes of repairs that need nothing from the officer (reported as one line each). */
export const HARMLESS_CODES = new Set(['siret_corrige']);

/** The question asked when no value of a date column tells whether it is day/month or month/day. */
export function DateQuestions({ preview, value, onChange }: { preview: ImportPreview; value: DateOrder | undefined; onChange: (v: DateOrder) => void }) {
  if (preview.dateQuestions.length === 0 && !value) return null;
  return (
    <Alert color={preview.dateQuestions.length ? 'yellow' : 'blue'} title="Ordre des dates">
      <Stack gap="xs">
        {preview.dateQuestions.map((q) => (
          <Text size="sm" key={q.column}>
            Colonne « {q.header} » : {q.examples.join(', ')}… aucune valeur ne dit si le jour vient avant le mois.
          </Text>
        ))}
        <Radio.Group value={value ?? ''} onChange={(v) => onChange(v as DateOrder)} label="Ces dates s’écrivent :">
          <Group mt={4}>
            <Radio value="jma" label="jour/mois/année (02/01/2025 = 2 janvier)" />
            <Radio value="mja" label="mois/jour/année (02/01/2025 = 1er février)" />
          </Group>
        </Radio.Group>
      </Stack>
    </Alert>
  );
}

/** The first rows as they will be stored, in French. */
export function SampleRows({ preview }: { preview: ImportPreview }) {
  if (preview.sampleRows.length === 0) return null;
  return (
    <>
      <Title order={3} size="h4">
        Premières lignes telles qu’elles seront enregistrées
      </Title>
      <Table withTableBorder striped aria-label="Premières lignes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Ligne</Table.Th>
            <Table.Th>Nom</Table.Th>
            <Table.Th>Prénom</Table.Th>
            <Table.Th>E-mail</Table.Th>
            <Table.Th>Structure</Table.Th>
            <Table.Th>SIRET</Table.Th>
            <Table.Th>Département</Table.Th>
            <Table.Th>Formation</Table.Th>
            <Table.Th>Demande</Table.Th>
            <Table.Th>Éligibilité</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.sampleRows.map((r) => (
            <Table.Tr key={r.row}>
              <Table.Td>{r.row}</Table.Td>
              <Table.Td>{r.nom}</Table.Td>
              <Table.Td>{r.prenom}</Table.Td>
              <Table.Td>{r.email}</Table.Td>
              <Table.Td>{r.structure}</Table.Td>
              <Table.Td>{r.siret}</Table.Td>
              <Table.Td>{r.departement}</Table.Td>
              <Table.Td>{r.formation}</Table.Td>
              <Table.Td>{r.dateDemande}</Table.Td>
              <Table.Td>{r.eligibilite}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** Harmless repairs, one line each with their count, apart from the alerts. */
export function HarmlessRepairs({ preview }: { preview: ImportPreview }) {
  const lines = preview.warnings.filter((w) => HARMLESS_CODES.has(w.code));
  if (lines.length === 0) return null;
  return (
    <Stack gap={2} role="group" aria-label="Corrections sans conséquence">
      {lines.map((w) => (
        <Text size="sm" c="dimmed" key={`${w.code}-${w.row}`}>
          {w.message}
        </Text>
      ))}
    </Stack>
  );
}
