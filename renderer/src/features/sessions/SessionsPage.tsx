// Step 4 — Cohortes et sessions. Routes: #/sessions (the sessions month by month),
// #/sessions/nouvelle, #/sessions/<id> (detail), #/sessions/<id>/modifier,
// #/sessions/<id>/inscrire (assignment), #/sessions/aidants-connect (follow-up board).
import { Alert, Anchor, Badge, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { SessionSummary } from '../../../../shared/ipc/channels/sessions';
import { call } from '../../api';
import { useConvention } from '../../conventionContext';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { AcBoard } from './AcBoard';
import { Assignment } from './Assignment';
import { errorOf, FillRate, KindBadge, MODALITY_LABELS, sessionDates, StatusBadge } from './common';
import { SessionDetailPage } from './SessionDetail';
import { SessionForm } from './SessionForm';

export function SessionsPage({ route }: { route: string[] }) {
  const [a, b] = route;
  if (a === 'nouvelle') return <SessionForm id={null} />;
  if (a === 'aidants-connect') return <AcBoard />;
  if (a && /^\d+$/.test(a)) {
    if (b === 'modifier') return <SessionForm id={Number(a)} />;
    if (b === 'inscrire') return <Assignment sessionId={Number(a)} />;
    return <SessionDetailPage id={Number(a)} />;
  }
  return <SessionsOverview />;
}

const MONTHS = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** « avril 2025 » for 2025-04-08; the sessions without a date come last. */
function monthOf(s: SessionSummary): { key: string; label: string } {
  if (!s.firstDate) return { key: '9999-99', label: 'Sans date' };
  const key = s.firstDate.slice(0, 7);
  const label = MONTHS.format(new Date(`${key}-01T00:00:00Z`));
  return { key, label: label.charAt(0).toUpperCase() + label.slice(1) };
}

function SessionsOverview() {
  const { conventionId, refreshKey } = useConvention();
  const list = useLoad(() => (conventionId === null ? Promise.resolve([]) : call('sessions.list', { conventionId })), [conventionId, refreshKey]);
  const options = useLoad(() => (conventionId === null ? Promise.resolve(null) : call('sessions.options', { conventionId })), [conventionId, refreshKey]);
  const [cohort, setCohort] = useState<string | null>(null);
  const [showCancelled, setShowCancelled] = useState<string>('prevues');
  const cohorts = options.data?.cohorts ?? [];
  const rows = (list.data ?? []).filter((s) => (cohort === null ? true : cohort === 'none' ? s.cohortId === null : String(s.cohortId) === cohort)).filter((s) => showCancelled === 'toutes' || s.status === 'prevue');
  const months = new Map<string, { label: string; sessions: SessionSummary[] }>();
  for (const s of rows) {
    const m = monthOf(s);
    const g = months.get(m.key) ?? { label: m.label, sessions: [] };
    g.sessions.push(s);
    months.set(m.key, g);
  }
  const ordered = [...months.entries()].sort(([x], [y]) => x.localeCompare(y));
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>Étape 4 — Cohortes et sessions</Title>
        <Group>
          <Button variant="default" onClick={() => navigate('sessions/aidants-connect')}>
            Suivi Aidants Connect
          </Button>
          <Button onClick={() => navigate('sessions/nouvelle')} disabled={conventionId === null}>
            Nouvelle session
          </Button>
        </Group>
      </Group>
      <Text c="dimmed">
        Chaque session est rattachée à un bon de commande (ou aux formateurs internes pour une formation Aidant Numérique). Les inscriptions vérifient l’éligibilité, les formations déjà suivies et la capacité ; les
        listes pour l’organisme et l’ANCT et les feuilles d’émargement se téléchargent depuis la session.
      </Text>
      {conventionId === null && <Alert>Choisissez ou créez d’abord une convention.</Alert>}
      {list.error && <Alert color="red">{list.error}</Alert>}
      {list.loading && !list.data && <Loader aria-label="Chargement" />}
      {list.data && list.data.length === 0 && conventionId !== null && (
        <Alert title="Aucune session">Programmez une première session : type de formation, bon de commande, lieu et demi-journées.</Alert>
      )}
      {list.data && list.data.length > 0 && (
        <Group align="flex-end">
          {cohorts.length > 0 && (
            <Select
              label="Cohorte"
              placeholder="Toutes"
              clearable
              data={[...cohorts.map((c) => ({ value: String(c.id), label: c.label })), { value: 'none', label: 'Sans cohorte' }]}
              value={cohort}
              onChange={setCohort}
              w={240}
            />
          )}
          <Select
            label="Sessions affichées"
            data={[
              { value: 'prevues', label: 'Prévues' },
              { value: 'toutes', label: 'Toutes, annulées comprises' },
            ]}
            value={showCancelled}
            onChange={(v) => setShowCancelled(v ?? 'prevues')}
            allowDeselect={false}
            w={240}
          />
          <Text size="sm" aria-live="polite">
            {rows.length} session{rows.length > 1 ? 's' : ''}
          </Text>
        </Group>
      )}
      {ordered.map(([key, g]) => (
        <section key={key} aria-labelledby={`mois-${key}`}>
          <Title order={2} size="h3" id={`mois-${key}`} mb="xs">
            {g.label}
          </Title>
          <Table striped highlightOnHover withTableBorder aria-label={`Sessions — ${g.label}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Dates</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Intitulé</Table.Th>
                <Table.Th>Organisme</Table.Th>
                <Table.Th>Lieu</Table.Th>
                <Table.Th>Remplissage</Table.Th>
                <Table.Th>Statut</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {g.sessions.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {sessionDates(s)}
                    <Text size="xs" c="dimmed">
                      {s.halfDayCount} demi-journée{s.halfDayCount > 1 ? 's' : ''}, {String(s.hours).replace('.', ',')} h
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <KindBadge kind={s.kind} label={s.kindLabel} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`#/sessions/${s.id}`}>{s.title}</Anchor>
                    {s.cohortLabel && (
                      <Text size="xs" c="dimmed">
                        Cohorte : {s.cohortLabel}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s.internal ? 'Formateurs internes' : (s.organismeName ?? '—')}
                    {s.orderNumber && (
                      <Text size="xs" c="dimmed">
                        {s.orderNumber}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {s.place ?? '—'}
                    <Text size="xs" c="dimmed">
                      {MODALITY_LABELS[s.modality]}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <FillRate s={s} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge s={s} />
                    {s.warnings.some((w) => w.code === 'hors_fenetre') && (
                      <Text size="xs" className="fne-warning" title={s.warnings.map((w) => w.message).join('\n')}>
                        ⚠ Hors période de la convention : non compté
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </section>
      ))}
      {conventionId !== null && <Cohorts conventionId={conventionId} cohorts={cohorts} onSaved={options.reload} />}
    </Stack>
  );
}

/** Cohorts: a name for a group of sessions the OF runs for the same people (optional). */
function Cohorts({ conventionId, cohorts, onSaved }: { conventionId: number; cohorts: { id: number; label: string; note: string | null; sessions: number }[]; onSaved: () => void }) {
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const c = await call('sessions.cohorts.save', { conventionId, label });
      setDone(`Cohorte « ${c.label} » créée : choisissez-la dans les sessions qui en font partie.`);
      setLabel('');
      onSaved();
    } catch (err) {
      const { message, fields } = errorOf(err);
      setError(fields.label ?? message);
    }
  }
  return (
    <section aria-labelledby="cohortes-title">
      <Title order={2} size="h3" id="cohortes-title" mb="xs">
        Cohortes
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Une cohorte regroupe les sessions qu’un organisme anime pour les mêmes personnes (facultatif).
      </Text>
      {cohorts.length > 0 && (
        <Group gap="xs" mb="sm">
          {cohorts.map((c) => (
            <Badge key={c.id} variant="light" size="lg">
              {c.label} — {c.sessions} session{c.sessions > 1 ? 's' : ''}
            </Badge>
          ))}
        </Group>
      )}
      <form onSubmit={(e) => void save(e)} noValidate>
        <Group align="flex-end">
          <TextInput label="Nouvelle cohorte" placeholder="ex. « France Services — printemps 2025 »" value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={error} w={340} />
          <Button type="submit" variant="default" disabled={label.trim() === ''}>
            Créer la cohorte
          </Button>
        </Group>
      </form>
      {done && (
        <Text size="sm" className="fne-success" role="status" mt="xs">
          {done}
        </Text>
      )}
    </section>
  );
}
