import { Alert, Anchor, Badge, Card, Group, Loader, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { call } from '../../api';
import { useConvention } from '../../conventionContext';
import { formatCents, formatDate as frDate } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';

const STATUS_COLOR = { a_faire: 'gray', en_cours: 'yellow', termine: 'green' } as const;

export function HomePage() {
  const { conventionId, refreshKey } = useConvention();
  const { data, error, loading } = useLoad(() => call('guide.get', conventionId === null ? {} : { conventionId }), [conventionId, refreshKey]);
  if (error) return <Alert color="red" title="Impossible de charger le guide">{error}</Alert>;
  if (loading && !data) return <Loader aria-label="Chargement" />;
  if (!data) return null;
  const d = data.dashboard;
  return (
    <Stack gap="lg">
      <Title order={1}>Guide de l’enveloppe formation</Title>
      {d === null && (
        <Alert color="indigo" title="Commencez par la convention">
          Enregistrez la convention signée avec l’ANCT : montant, dates, objectif de départs.{' '}
          <Anchor href="#/convention/nouvelle">Créer la convention</Anchor>
        </Alert>
      )}
      {d && (
        <section aria-labelledby="dash-title">
          <Title order={2} id="dash-title" size="h3" mb="sm">
            Tableau de bord
          </Title>
          <SimpleGrid cols={{ base: 2, md: 6 }}>
            <Figure label="Montant de la convention" value={formatCents(d.amountCents)} />
            <Figure label="Fonds reçus" value={formatCents(d.receivedCents)} />
            <Figure label="Engagé (commandes)" value={formatCents(d.committedCents)} />
            <Figure label="Payé" value={formatCents(d.paidCents)} />
            <Figure label="Départs réalisés / objectif" value={`${d.departures.done} / ${d.departures.target}`} />
            <Figure
              label={`Fin de la convention : ${frDate(d.window.endDate)}`}
              value={d.window.daysLeft > 0 ? `${d.window.daysLeft} jour${d.window.daysLeft > 1 ? 's' : ''} restant${d.window.daysLeft > 1 ? 's' : ''}` : d.window.daysLeft === 0 ? 'Aujourd’hui' : 'Terminée'}
            />
          </SimpleGrid>
          {d.alerts.map((a) => (
            <Alert key={a.code} color="orange" mt="md" title="Objectif de départs" role="status" data-alert={a.code}>
              <Text size="sm">{a.message}</Text>
              <Anchor href={`#/${a.link}`} size="sm">
                Programmer des sessions
              </Anchor>
            </Alert>
          ))}
          <Stack gap={4} mt="md">
            <Text size="sm" id="departures-label">
              Départs en formation : {d.departures.done} réalisés, {d.departures.planned} prévus, objectif {d.departures.target}
              {d.window.signatureDate ? ` — formations comptées du ${frDate(d.window.signatureDate)} au ${frDate(d.window.endDate)}` : ` — formations comptées jusqu’au ${frDate(d.window.endDate)}`}
            </Text>
            <Text size="xs" c="dimmed">
              Une personne qui suit les deux formations (Aidant Numérique et Aidants Connect, y compris les deux parties d’une formation combinée) compte deux départs.
            </Text>
            {d.notCounted.length > 0 && (
              <Text size="sm" className="fne-warning" data-warning="non_comptes">
                ⚠ Formés mais non comptés dans l’objectif : {d.notCounted.map((n) => `${n.label} : ${n.count}`).join(' ; ')}.{' '}
                <Anchor href="#/justification" size="sm">
                  Voir les points à vérifier
                </Anchor>
              </Text>
            )}
            <Progress.Root size="lg">
              <Progress.Section
                value={Math.min(100, (d.departures.done / Math.max(1, d.departures.target)) * 100)}
                aria-label={`Départs réalisés : ${d.departures.done} sur ${d.departures.target}`}
              />
            </Progress.Root>
          </Stack>
        </section>
      )}
      <section aria-labelledby="steps-title">
        <Title order={2} id="steps-title" size="h3" mb="sm">
          Les cinq étapes
        </Title>
        <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
          {data.steps.map((s) => (
            <li key={s.key}>
              <Card withBorder padding="md">
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Anchor
                      href={`#/${s.key}`}
                      fw={600}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(s.key);
                      }}
                    >
                      Étape {s.number} — {s.title}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {s.summary}
                    </Text>
                  </div>
                  <Badge color={STATUS_COLOR[s.status]} variant="light" size="lg">
                    {s.statusLabel}
                  </Badge>
                </Group>
              </Card>
            </li>
          ))}
        </Stack>
      </section>
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Card>
  );
}
