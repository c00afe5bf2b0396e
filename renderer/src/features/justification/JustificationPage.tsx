// Step 5 — Présence et justification. Routes: #/justification (readiness checklist and the
// dossier), #/justification/presences (sessions to record), #/justification/presences/<id>
// (attendance grid of a session). Display only: the services decide what is missing.
import { Alert, Anchor, Badge, Button, Card, Code, Group, List, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { JobStatusDto } from '../../../../shared/ipc/channels/jobs';
import type { DossierResultDto } from '../../../../shared/ipc/channels/justification';
import { call, downloadUrl, hasNativeDialogs, pickPath, type Picked } from '../../api';
import { JobProgress } from '../../components/JobProgress';
import { useConvention } from '../../conventionContext';
import { formatBytes, plural } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { AttendancePage, SessionsToRecord } from './AttendancePage';

export function JustificationPage({ route }: { route: string[] }) {
  const [a, b] = route;
  if (a === 'presences' && b && /^\d+$/.test(b)) return <AttendancePage sessionId={Number(b)} />;
  if (a === 'presences') return <SessionsToRecord />;
  return <Overview />;
}

function Overview() {
  const { conventionId, refreshKey } = useConvention();
  const checklist = useLoad(() => (conventionId === null ? Promise.resolve(null) : call('justification.checklist', { conventionId })), [conventionId, refreshKey]);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>Étape 5 — Présence et justification</Title>
        <Button variant="default" onClick={() => navigate('justification/presences')} disabled={conventionId === null}>
          Saisir les présences
        </Button>
      </Group>
      <Text c="dimmed">
        Ce qui manque au dossier de fin de convention, groupé, avec l’écran qui le corrige. Rien n’empêche de générer un brouillon : le dossier liste lui-même les éléments manquants.
      </Text>
      {conventionId === null && <Alert>Choisissez ou créez d’abord une convention.</Alert>}
      {checklist.error && <Alert color="red">{checklist.error}</Alert>}
      {checklist.loading && !checklist.data && <Loader aria-label="Chargement" />}
      {checklist.data && <ChecklistView checklist={checklist.data} />}
      {conventionId !== null && <DossierPanel conventionId={conventionId} onDone={checklist.reload} />}
    </Stack>
  );
}

type ChecklistData = NonNullable<Awaited<ReturnType<typeof call<'justification.checklist'>>>>;

function ChecklistView({ checklist }: { checklist: ChecklistData }) {
  return (
    <Stack gap="md">
      <Title order={2}>Liste de contrôle du dossier</Title>
      {checklist.ready ? (
        <Alert color="green" title="Dossier complet">
          <Text className="fne-success">Aucun élément manquant : le dossier peut être généré et signé.</Text>
        </Alert>
      ) : (
        <Alert color="orange" title={`${checklist.missingCount} élément${checklist.missingCount > 1 ? 's' : ''} manquant${checklist.missingCount > 1 ? 's' : ''}`}>
          Suivez chaque lien pour compléter ; la liste se met à jour à chaque visite.
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        {checklist.groups.map((g) => (
          <Card key={g.group} withBorder>
            <Text fw={600}>{g.label}</Text>
            <Group gap="xs" mt="xs">
              {g.checked === 0 ? <Text size="sm">Rien à contrôler pour l’instant</Text> : g.missing === 0 ? <Text size="sm" fw={700} className="fne-success">Complet</Text> : <Badge color="red">{g.missing} manquant{g.missing > 1 ? 's' : ''}</Badge>}
              {g.checked > 0 && (
                <Text size="sm" c="dimmed">
                  {g.checked} contrôle{g.checked > 1 ? 's' : ''}
                </Text>
              )}
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      {checklist.groups
        .filter((g) => g.missing > 0)
        .map((g) => (
          <section key={g.group} aria-labelledby={`cl-${g.group}`}>
            <Title order={3} id={`cl-${g.group}`} size="h4" mb="xs">
              {g.label} — {g.missing} manquant{g.missing > 1 ? 's' : ''}
            </Title>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Élément</Table.Th>
                  <Table.Th>Ce qui manque</Table.Th>
                  <Table.Th>Corriger</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {checklist.items
                  .filter((i) => i.group === g.group)
                  .map((i) => (
                    <ChecklistRow key={i.key} item={i} />
                  ))}
              </Table.Tbody>
            </Table>
          </section>
        ))}
      {checklist.attention.length > 0 && (
        <section aria-labelledby="cl-attention">
          <Title order={3} id="cl-attention" size="h4" mb={4}>
            À vérifier — {plural(checklist.attention.length, 'point')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Ces points ne bloquent pas le dossier : une formation hors de la période de la convention ou une personne non éligible formée restent enregistrées, mais ne comptent pas dans l’objectif ; une dépense datée hors de la période peut être refusée par l’ANCT.
          </Text>
          <Table striped withTableBorder aria-label="Points à vérifier">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Élément</Table.Th>
                <Table.Th>À vérifier</Table.Th>
                <Table.Th>Corriger</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {checklist.attention.map((i) => (
                <ChecklistRow key={i.key} item={i} />
              ))}
            </Table.Tbody>
          </Table>
        </section>
      )}
    </Stack>
  );
}

function DossierPanel({ conventionId, onDone }: { conventionId: number; onDone: () => void }) {
  const defaults = useLoad(() => call('justification.dossier.defaults', {}), []);
  // Desktop app: another folder is chosen in the system's dialog (the screen never types a path).
  // Browser (web host): the dossier is produced in the data folder and offered as a download.
  const desktop = hasNativeDialogs();
  const [destination, setDestination] = useState<Picked | null>(null);
  const [job, setJob] = useState<JobStatusDto | null>(null);
  const [result, setResult] = useState<DossierResultDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = async () => {
    setError(null);
    try {
      const p = await pickPath('justification.destination');
      if (p) setDestination(p);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const start = async () => {
    setError(null);
    setResult(null);
    try {
      setJob(await call('justification.dossier.start', { conventionId, ...(destination ? { destination: destination.handle } : {}) }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const running = job !== null && result === null && !error;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2}>Dossier de fin de convention</Title>
        <Text size="sm">
          Un dossier et un ZIP nommés avec le département et la date de la situation, en deux parties : ce qui est à transmettre à l’ANCT (tableau de l’art. 5.2, état récapitulatif des dépenses, bilan à signer, certifications Qualiopi) et ce que le Conseil départemental conserve (attestations de fin de formation, feuilles d’émargement et autres pièces justificatives classées), chacune avec son manifeste (empreintes SHA-256) ; la liste des éléments manquants. Une nouvelle génération ne remplace jamais la précédente : elle prend le nom suivant (« -2 », « -3 »).
        </Text>
        {desktop ? (
          <Text size="sm">
            Dossier de destination : <Code>{destination?.label ?? defaults.data?.outDir ?? '…'}</Code>{' '}
            <Button size="xs" variant="default" onClick={() => void choose()}>
              Choisir un autre dossier…
            </Button>
          </Text>
        ) : (
          <Text size="sm">Le dossier est préparé par l’application, puis son ZIP est proposé au téléchargement.</Text>
        )}
        <Group>
          <Button onClick={() => void start()} disabled={running && job?.state === 'en_cours'}>
            Générer le dossier
          </Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {job && (
          <JobProgress
            key={job.id}
            job={job}
            title="Génération du dossier"
            onDone={(r) => {
              setResult(r as DossierResultDto);
              onDone();
            }}
          />
        )}
        {result && (
          <Alert color={result.missingCount === 0 ? 'green' : 'orange'} title={result.missingCount === 0 ? 'Dossier complet généré' : 'Brouillon généré'} role="status">
            <List size="sm">
              {desktop ? (
                <>
                  <List.Item>
                    ZIP : <Code>{result.zipPath}</Code> ({formatBytes(result.zipSize)})
                  </List.Item>
                  <List.Item>
                    Dossier : <Code>{result.folderPath}</Code>
                  </List.Item>
                </>
              ) : (
                <List.Item>
                  <Anchor href={downloadUrl(result.telechargement)} download={result.zipName}>
                    Télécharger le ZIP « {result.zipName} »
                  </Anchor>{' '}
                  ({formatBytes(result.zipSize)})
                </List.Item>
              )}
              {result.parts.map((part) => (
                <List.Item key={part.key}>
                  {part.label}{desktop ? <> : <Code>{part.folderPath}</Code></> : ''} ({plural(part.files, 'fichier')}, manifeste compris)
                </List.Item>
              ))}
              <List.Item>
                {result.files} fichiers, {result.departures} départ{result.departures > 1 ? 's' : ''} dans le tableau art. 5.2
                {result.missingCount > 0 ? `, ${result.missingCount} élément${result.missingCount > 1 ? 's' : ''} manquant${result.missingCount > 1 ? 's' : ''} (voir elements-manquants.txt)` : ''}
              </List.Item>
              <List.Item>
                Empreinte SHA-256 du ZIP : <Code>{result.zipSha256}</Code>
              </List.Item>
              {result.staleTemporaries.length > 0 && (
                <List.Item>
                  Une génération interrompue a laissé des fichiers temporaires dans le dossier de destination ; ils n’ont pas été supprimés (vous pouvez le faire) : <Code>{result.staleTemporaries.join(', ')}</Code>
                </List.Item>
              )}
            </List>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

/** One line of the checklist or of the points to check: what, what is missing, the link that corrects it. */
function ChecklistRow({ item }: { item: { key: string; label: string; missing: string; link: string } }) {
  return (
    <Table.Tr data-key={item.key}>
      <Table.Td>{item.label}</Table.Td>
      <Table.Td>{item.missing}</Table.Td>
      <Table.Td>
        <Anchor href={`#/${item.link}`} aria-label={`Corriger : ${item.label} — ${item.missing}`}>
          Corriger
        </Anchor>
      </Table.Td>
    </Table.Tr>
  );
}
