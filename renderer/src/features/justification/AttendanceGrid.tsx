// Fast attendance entry for one session: rows = registered participants, columns = half-days,
// each cell a small radio group (non saisi / présent / absent / excusé) saved at once. Keyboard:
// Tab from cell to cell, ←/→ change the value (native radio group), P / A / E / Suppr set it,
// ↑/↓ move to the same half-day of the previous/next person. The state of each person (complete,
// partial, accepted, to record…) is what the service answers (presence.get): never computed here.
import { Alert, Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import type { PresenceSession } from '../../../../shared/ipc/channels/presence';
import type { Participant } from '../../../../shared/ipc/channels/sessions';
import { call } from '../../api';

type Status = 'present' | 'absent' | 'excuse';
const STATUS_CHOICES: { value: '' | Status; short: string; label: string; color: string }[] = [
  { value: '', short: '–', label: 'Non saisi', color: 'gray' },
  { value: 'present', short: 'P', label: 'Présent', color: 'green' },
  { value: 'absent', short: 'A', label: 'Absent', color: 'red' },
  { value: 'excuse', short: 'E', label: 'Excusé', color: 'orange' },
];
const KEYS: Record<string, '' | Status> = { p: 'present', a: 'absent', e: 'excuse', Delete: '', Backspace: '' };

export function personLabel(p: Pick<Participant, 'nom' | 'prenom'>): string {
  return `${p.nom.toUpperCase()} ${p.prenom}`;
}

/** Writes one after the other, so each answer (the participant as the service sees it) is the latest. */
function useSerial() {
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  return <T,>(task: () => Promise<T>): Promise<T> => {
    const next = chain.current.then(task, task);
    chain.current = next.catch(() => undefined);
    return next;
  };
}

type PresenceParticipant = PresenceSession['participants'][number];
type State = PresenceParticipant['state'];
const STATE_BADGE: Record<State, { text: string; color: string }> = {
  complete: { text: 'Formation suivie', color: 'green' },
  one_part: { text: 'Une partie suivie (1 départ)', color: 'green' },
  partial_accepted: { text: 'Formation suivie (partielle acceptée)', color: 'green' },
  partial: { text: 'Présence partielle', color: 'orange' },
  absent: { text: 'Absent', color: 'red' },
  not_recorded: { text: 'À saisir', color: 'gray' },
  future: { text: 'Session à venir', color: 'gray' },
};

export function AttendanceGrid({ data, onData }: { data: PresenceSession; onData: (d: PresenceSession) => void }) {
  const session = data.session;
  const states = new Map(data.participants.map((p) => [p.registrationId, p]));
  const serial = useSerial();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Record<string, '' | Status>>({});
  const [columnBusy, setColumnBusy] = useState<number | null>(null);
  const [partialFor, setPartialFor] = useState<Participant | null>(null);
  const rows = session.participants.filter((p) => p.status === 'inscrit');
  const others = session.participants.filter((p) => p.status !== 'inscrit');
  const tableRef = useRef<HTMLTableElement>(null);

  const valueOf = (p: Participant, halfDayId: number): '' | Status => {
    const k = `${p.registrationId}:${halfDayId}`;
    if (k in pending) return pending[k];
    return p.attendance.find((a) => a.halfDayId === halfDayId)?.status ?? '';
  };

  async function set(p: Participant, halfDayId: number, value: '' | Status) {
    const k = `${p.registrationId}:${halfDayId}`;
    setPending((s) => ({ ...s, [k]: value }));
    setError(null);
    try {
      // The cell, then the states as the service now reads them.
      onData(
        await serial(async () => {
          await call('sessions.attendance.set', { registrationId: p.registrationId, halfDayId, status: value === '' ? null : value });
          return call('presence.get', { sessionId: session.id });
        }),
      );
    } catch (e) {
      setError(`${personLabel(p)} : ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setPending((s) => {
        const { [k]: _, ...rest } = s;
        return rest;
      });
    }
  }

  async function allPresent(halfDayId: number) {
    setColumnBusy(halfDayId);
    setError(null);
    try {
      onData(await serial(() => call('presence.halfDay.setAll', { sessionId: session.id, halfDayId, status: 'present', onlyEmpty: true })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setColumnBusy(null);
    }
  }

  const cellGroup = (row: number, col: number) => tableRef.current?.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`);

  function focusCell(row: number, col: number) {
    const group = cellGroup(row, col);
    const input = group?.querySelector<HTMLInputElement>('input:checked') ?? group?.querySelector<HTMLInputElement>('input');
    input?.focus();
  }

  function onCellKey(e: KeyboardEvent, p: Participant, row: number, col: number, halfDayId: number) {
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      focusCell(row + (e.key === 'ArrowUp' ? -1 : 1), col);
      return;
    }
    const v = KEYS[e.key] ?? KEYS[e.key.toLowerCase()];
    if (v !== undefined && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      if (valueOf(p, halfDayId) !== v) void set(p, halfDayId, v);
      // The radio of the new value takes the focus once rendered — unless the officer has already
      // moved on (a quick « P ↓ A »): the focus is then in another cell and stays there.
      requestAnimationFrame(() => {
        const active = document.activeElement;
        if (!active || active === document.body || cellGroup(row, col)?.contains(active)) focusCell(row, col);
      });
    }
  }

  if (session.halfDays.length === 0) {
    return <Alert color="yellow">Cette session n’a pas encore de demi-journée : ajoutez ses dates dans l’étape Sessions.</Alert>;
  }
  if (rows.length === 0) {
    return <Alert color="yellow">Aucune personne inscrite à cette session : inscrivez les participants dans l’étape Sessions.</Alert>;
  }

  return (
    <Stack gap="sm">
      <Text size="sm">
        Légende : <b>P</b> présent, <b>A</b> absent, <b>E</b> excusé, <b>–</b> non saisi. Chaque case est enregistrée aussitôt. « Tous présents » remplit les cases encore vides de la demi-journée (les absences déjà saisies sont gardées). Au clavier : Tab d’une case à l’autre, ← → ou les touches P, A, E (Suppr pour effacer), ↑ ↓ pour changer de personne.
      </Text>
      {error && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)} closeButtonLabel="Fermer le message">
          {error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={500}>
        <Table ref={tableRef} withTableBorder withColumnBorders striped aria-label={`Présences de la session « ${session.title} »`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Participant</Table.Th>
              {session.halfDays.map((h) => (
                <Table.Th key={h.id} scope="col">
                  <Stack gap={4} align="flex-start">
                    <span>{h.label}</span>
                    <Button
                      size="compact-xs"
                      variant="light"
                      loading={columnBusy === h.id}
                      disabled={columnBusy !== null}
                      aria-label={`Tous présents le ${h.label}`}
                      onClick={() => void allPresent(h.id)}
                    >
                      Tous présents
                    </Button>
                  </Stack>
                </Table.Th>
              ))}
              <Table.Th scope="col">Présent</Table.Th>
              <Table.Th scope="col">Départ en formation</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p, row) => (
              <Table.Tr key={p.registrationId}>
                <Table.Th scope="row" fw={500}>
                  <Text fw={600} size="sm">
                    {personLabel(p)}
                  </Text>
                  {p.structureName && (
                    <Text size="xs" c="dimmed">
                      {p.structureName}
                    </Text>
                  )}
                </Table.Th>
                {session.halfDays.map((h, col) => {
                  const v = valueOf(p, h.id);
                  const choice = STATUS_CHOICES.find((c) => c.value === v)!;
                  return (
                    <Table.Td key={h.id}>
                      <SegmentedControl
                        size="sm"
                        data-cell={`${row}:${col}`}
                        aria-label={`Présence de ${personLabel(p)} le ${h.label}`}
                        color={choice.color}
                        value={v}
                        onChange={(nv) => void set(p, h.id, nv as '' | Status)}
                        onKeyDown={(e) => onCellKey(e, p, row, col, h.id)}
                        data={STATUS_CHOICES.map((c) => ({
                          value: c.value,
                          label: (
                            <>
                              <span aria-hidden="true">{c.short}</span>
                              <VisuallyHidden>{c.label}</VisuallyHidden>
                            </>
                          ),
                        }))}
                      />
                    </Table.Td>
                  );
                })}
                <Table.Td>
                  <Text size="sm">
                    {p.present} / {session.halfDays.length}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StateCell p={p} state={states.get(p.registrationId)} onAccept={() => setPartialFor(p)} onWithdraw={() => void withdraw(p)} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {others.length > 0 && (
        <Text size="sm" c="dimmed">
          Non concernés par la saisie (liste d’attente, annulés ou déplacés) : {others.map((p) => `${personLabel(p)} (${statusWord(p.status)})`).join(', ')}.
        </Text>
      )}
      <PartialModal participant={partialFor} onClose={() => setPartialFor(null)} onSaved={() => void refresh()} />
    </Stack>
  );

  async function refresh() {
    try {
      onData(await serial(() => call('presence.get', { sessionId: session.id })));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function withdraw(p: Participant) {
    setError(null);
    try {
      await serial(() => call('sessions.attendance.acceptPartial', { registrationId: p.registrationId, reason: null }));
      await refresh();
    } catch (e) {
      setError(`${personLabel(p)} : ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function statusWord(s: Participant['status']): string {
  return s === 'attente' ? 'liste d’attente' : s === 'annule' ? 'annulé' : s === 'deplace' ? 'déplacé' : 'inscrit';
}

/** The service's answer for one person: its state, the accepted partial reason, the action it calls for. */
function StateCell({ p, state, onAccept, onWithdraw }: { p: Participant; state: PresenceParticipant | undefined; onAccept: () => void; onWithdraw: () => void }) {
  if (!state) return null;
  const badge = STATE_BADGE[state.state];
  return (
    <Stack gap={4} align="flex-start">
      <Badge color={badge.color} variant="light" title={state.stateLabel}>
        {badge.text}
      </Badge>
      {state.state === 'partial_accepted' && (
        <>
          <Text size="xs">Motif : « {p.partialReason} »</Text>
          <Button size="compact-xs" variant="subtle" onClick={onWithdraw} aria-label={`Retirer l’acceptation de la présence partielle de ${personLabel(p)}`}>
            Retirer l’acceptation
          </Button>
        </>
      )}
      {state.state === 'partial' && (
        <Button size="compact-xs" variant="light" onClick={onAccept} aria-label={`Accepter avec un motif la présence partielle de ${personLabel(p)}`}>
          Accepter avec un motif
        </Button>
      )}
    </Stack>
  );
}

function PartialModal({ participant, onClose, onSaved }: { participant: Participant | null; onClose: () => void; onSaved: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function save() {
    if (!participant) return;
    setBusy(true);
    setError(null);
    try {
      await call('sessions.attendance.acceptPartial', { registrationId: participant.registrationId, reason });
      onSaved();
      setReason('');
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal opened={participant !== null} onClose={onClose} closeButtonProps={{ 'aria-label': 'Fermer' }} title={participant ? `Présence partielle de ${personLabel(participant)}` : ''}>
      <Stack>
        <Text size="sm">
          Une présence partielle ne compte comme départ en formation que si vous l’acceptez avec un motif écrit (il figure dans le dossier de fin de convention).
        </Text>
        <Textarea label="Motif de l’acceptation" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={3} data-autofocus error={error ?? undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Annuler
          </Button>
          <Button onClick={() => void save()} loading={busy}>
            Accepter la présence partielle
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
