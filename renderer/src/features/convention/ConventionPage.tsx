import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { call } from '../../api';
import { PiecesPanel } from '../../components/PiecesPanel';
import { RetentionPanel } from './Retention';
import { useConvention } from '../../conventionContext';
import { formatCents, formatDate } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { ConventionForm } from './ConventionForm';

export function ConventionPage({ route }: { route: string[] }) {
  if (route[0] === 'nouvelle') return <ConventionEdit id={null} />;
  if (route[0] && /^\d+$/.test(route[0])) return <ConventionEdit id={Number(route[0])} />;
  return <ConventionList />;
}

function ConventionList() {
  const { refreshKey } = useConvention();
  const { data, error, loading } = useLoad(() => call('convention.list', {}), [refreshKey]);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Étape 1 — Convention</Title>
        <Button onClick={() => navigate('convention/nouvelle')}>Nouvelle convention</Button>
      </Group>
      <Text c="dimmed">
        Désignation par la préfecture, signature avec l’ANCT, réception des fonds, lignes budgétaires. Plusieurs conventions peuvent coexister (années, montants).
      </Text>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader aria-label="Chargement" />}
      {data && data.length === 0 && <Alert title="Aucune convention">Créez la convention signée avec l’ANCT pour commencer.</Alert>}
      {data && data.length > 0 && (
        <Table striped highlightOnHover withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Convention</Table.Th>
              <Table.Th>Département</Table.Th>
              <Table.Th>Signée le</Table.Th>
              <Table.Th>Montant</Table.Th>
              <Table.Th>Reçu</Table.Th>
              <Table.Th>Fin</Table.Th>
              <Table.Th>Objectif</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor href={`#/convention/${c.id}`}>{c.label}</Anchor>
                  <Text size="xs" c="dimmed">
                    {c.beneficiaireNom}
                  </Text>
                </Table.Td>
                <Table.Td>{c.departement}</Table.Td>
                <Table.Td>{formatDate(c.signatureDate)}</Table.Td>
                <Table.Td>{formatCents(c.amountCents)}</Table.Td>
                <Table.Td>{formatCents(c.fundsReceivedCents)}</Table.Td>
                <Table.Td>{formatDate(c.endDate)}</Table.Td>
                <Table.Td>{c.departureTarget} départs</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function ConventionEdit({ id }: { id: number | null }) {
  const { setConventionId, refresh } = useConvention();
  const existing = useLoad(() => (id === null ? Promise.resolve(null) : call('convention.get', { id })), [id]);
  const defaults = useLoad(() => call('convention.defaults', {}), []);
  if (existing.error) return <Alert color="red">{existing.error}</Alert>;
  if (existing.loading || defaults.loading) return <Loader aria-label="Chargement" />;
  return (
    <Stack gap="xl">
      <Group justify="space-between">
        <Title order={1}>{id === null ? 'Nouvelle convention' : existing.data?.label}</Title>
        <Button variant="default" onClick={() => navigate('convention')}>
          Retour à la liste
        </Button>
      </Group>
      <ConventionForm
        key={id ?? 'new'}
        initial={existing.data ?? null}
        defaults={defaults.data!}
        onSaved={(c) => {
          setConventionId(c.id);
          refresh();
          if (id === null) navigate(`convention/${c.id}`);
          else existing.reload();
        }}
      />
      {id !== null && <PiecesPanel ownerType="convention" ownerId={id} onChange={refresh} />}
      {id !== null && <RetentionPanel conventionId={id} />}
    </Stack>
  );
}
