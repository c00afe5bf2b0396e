// The Aidants Connect steps of a session with ANCT (guide for training organisations): what the
// services find missing, each with the people concerned and the form that records it, and every
// registered person's dates. The services decide what is missing; this panel displays and records.
import { Alert, Button, Group, List, Loader, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { AcSessionSteps, AcStepWarning, ConnectionMethod } from '../../../../shared/ipc/channels/sessions';
import { call } from '../../api';
import { DateField } from '../../components/DateField';
import { formatDate } from '../../format';
import { useLoad } from '../../useLoad';
import { errorOf, WARN_COLOR } from './common';

export function AcStepsPanel({ sessionId, lastDate, onChange }: { sessionId: number; lastDate: string | null; onChange?: () => void }) {
  const steps = useLoad(() => call('sessions.ac.steps', { sessionId }), [sessionId]);
  const [data, setData] = useState<AcSessionSteps | null>(null);
  const current = data ?? steps.data;
  if (steps.error) return <Alert color="red">{steps.error}</Alert>;
  if (!current) return <Loader size="sm" aria-label="Chargement des étapes Aidants Connect" />;
  if (!current.applies) return null;
  const saved = (next: AcSessionSteps) => {
    setData(next);
    onChange?.();
  };
  const before = current.warnings.filter((w) => w.when === 'avant');
  const after = current.warnings.filter((w) => w.when === 'apres');
  return (
    <section aria-labelledby="ac-etapes-title">
      <Title order={2} size="h3" id="ac-etapes-title" mb="xs">
        Étapes Aidants Connect avec l’ANCT
      </Title>
      <Text size="sm" mb="xs">
        Avant la formation : la liste est transmise à l’ANCT, qui valide l’éligibilité et ouvre l’accès au site bac à sable. À la fin de la journée : le moyen de connexion est
        choisi et le test Pix passé. Après : la présence est reportée sur le tableau de gestion de l’ANCT, qui ouvre alors l’accès à Aidants Connect. Aucune de ces étapes
        n’empêche de compter le départ en formation.
      </Text>
      {current.warnings.length === 0 ? (
        <Alert color="green" title="Toutes les étapes sont enregistrées" mb="sm">
          Rien ne manque pour les personnes inscrites.
        </Alert>
      ) : (
        <Stack gap="sm" mb="sm">
          {[
            { title: 'Avant la formation', list: before },
            { title: 'À la fin de la formation et après', list: after },
          ]
            .filter((g) => g.list.length > 0)
            .map((g) => (
              <Alert key={g.title} color="orange" title={g.title} styles={{ title: { color: WARN_COLOR } }}>
                <Stack gap="sm">
                  {g.list.map((w) => (
                    <MissingStep key={w.code} w={w} s={current} sessionId={sessionId} lastDate={lastDate} onSaved={saved} />
                  ))}
                </Stack>
              </Alert>
            ))}
        </Stack>
      )}
      {current.people.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped withTableBorder aria-label="Étapes Aidants Connect des personnes inscrites">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Personne</Table.Th>
                <Table.Th>Liste transmise</Table.Th>
                <Table.Th>Éligibilité validée</Table.Th>
                <Table.Th>Bac à sable</Table.Th>
                <Table.Th>Test Pix</Table.Th>
                <Table.Th>Moyen de connexion</Table.Th>
                <Table.Th>Présence reportée</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {current.people.map((p) => (
                <Table.Tr key={p.personId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {p.statusLabel}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDate(p.requestedOn)}</Table.Td>
                  <Table.Td>{formatDate(p.eligibilityValidatedOn)}</Table.Td>
                  <Table.Td>{formatDate(p.sandboxOn)}</Table.Td>
                  <Table.Td>{formatDate(p.pixOn)}</Table.Td>
                  <Table.Td>{current.connectionMethods.find((m) => m.code === p.connectionMethod)?.label ?? '—'}</Table.Td>
                  <Table.Td>{formatDate(p.reportedOn)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

/** One missing step: its message, the people, and the form that records it for them. */
function MissingStep({ w, s, sessionId, lastDate, onSaved }: { w: AcStepWarning; s: AcSessionSteps; sessionId: number; lastDate: string | null; onSaved: (s: AcSessionSteps) => void }) {
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(w.step === 'pix' && w.code !== 'ac_pix_tardif' ? (lastDate ?? '') : '');
  const [method, setMethod] = useState<ConnectionMethod | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = w.step === 'moyen_connexion' ? 'Moyen de connexion choisi' : (s.steps.find((x) => x.code === w.step)?.label ?? '');
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next =
        w.step === 'moyen_connexion'
          ? await call('sessions.ac.setConnection', { sessionId, personIds: w.personIds, method })
          : await call('sessions.ac.recordStep', { sessionId, personIds: w.personIds, step: w.step, date });
      setOpen(false);
      onSaved(next);
    } catch (err) {
      setError(errorOf(err).message);
    } finally {
      setBusy(false);
    }
  }
  const id = `ac-step-${w.code}`;
  return (
    <div>
      <Text size="sm" id={`${id}-message`}>
        {w.message}
      </Text>
      <List size="sm" withPadding>
        {w.people.slice(0, 8).map((n) => (
          <List.Item key={n}>{n}</List.Item>
        ))}
        {w.people.length > 8 && <List.Item>… et {w.people.length - 8} autres</List.Item>}
      </List>
      {!open ? (
        <Button size="xs" variant="light" mt={4} onClick={() => setOpen(true)} aria-describedby={`${id}-message`}>
          {w.code === 'ac_pix_tardif' ? 'Corriger la date du test Pix' : `Enregistrer : ${label}`}
        </Button>
      ) : (
        <form onSubmit={submit} aria-label={label}>
          <Group align="flex-end" mt={4}>
            {w.step === 'moyen_connexion' ? (
              <Select
                label={label}
                data={s.connectionMethods.map((m) => ({ value: m.code, label: m.label }))}
                value={method}
                onChange={(v) => setMethod(v as ConnectionMethod | null)}
                allowDeselect={false}
                w={360}
                error={error}
              />
            ) : (
              <DateField label={`${label} le`} value={date} onChange={setDate} w={200} error={error} />
            )}
            <Button type="submit" loading={busy} disabled={w.step === 'moyen_connexion' && method === null}>
              Enregistrer pour {w.count > 1 ? `ces ${w.count} personnes` : 'cette personne'}
            </Button>
            <Button variant="default" onClick={() => setOpen(false)}>
              Annuler
            </Button>
          </Group>
        </form>
      )}
    </div>
  );
}
