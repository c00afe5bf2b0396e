// Attendance (step 5): #/justification/presences lists the sessions of the convention to record;
// #/justification/presences/<id> is one session's attendance grid, its signed sheet, the
// certificates per participant. Display only: the services say who attended and what is missing.
import { Alert, Anchor, Badge, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PresenceSession } from '../../../../shared/ipc/channels/presence';
import { call } from '../../api';
import { PiecesPanel } from '../../components/PiecesPanel';
import { useConvention } from '../../conventionContext';
import { formatDate } from '../../format';
import { useLoad } from '../../useLoad';
import { AttendanceGrid } from './AttendanceGrid';
import { AttendanceImport } from './AttendanceImport';
import { Certificates, PixDates } from './Certificates';

function dates(first: string | null, last: string | null): string {
  if (!first) return 'sans date';
  return first === last || !last ? formatDate(first) : `du ${formatDate(first)} au ${formatDate(last)}`;
}

export function SessionsToRecord() {
  const { conventionId, refreshKey } = useConvention();
  const sessions = useLoad(() => (conventionId === null ? Promise.resolve(null) : call('sessions.list', { conventionId })), [conventionId, refreshKey]);
  const list = (sessions.data ?? []).filter((s) => s.status === 'prevue');
  // Past sessions first (the ones to record now), the oldest first; then those to come.
  const today = new Date().toISOString().slice(0, 10);
  const past = list.filter((s) => s.firstDate !== null && s.firstDate <= today).sort((a, b) => (a.firstDate! < b.firstDate! ? -1 : 1));
  const future = list.filter((s) => !(s.firstDate !== null && s.firstDate <= today)).sort((a, b) => ((a.firstDate ?? '9') < (b.firstDate ?? '9') ? -1 : 1));
  return (
    <Stack gap="lg">
      <Anchor href="#/justification">← Retour à la liste de contrôle du dossier</Anchor>
      <Title order={1}>Présences — sessions à saisir</Title>
      <Text c="dimmed">
        Pour chaque session : la présence de chaque participant par demi-journée, la feuille d’émargement signée et les attestations de fin de formation.
      </Text>
      {conventionId === null && <Alert>Choisissez ou créez d’abord une convention.</Alert>}
      {sessions.error && <Alert color="red">{sessions.error}</Alert>}
      {sessions.loading && !sessions.data && <Loader aria-label="Chargement" />}
      {sessions.data && list.length === 0 && (
        <Alert color="gray" title="Aucune session programmée">
          Les présences se saisissent par session : programmez d’abord les sessions dans l’étape <Anchor href="#/sessions">Cohortes et sessions</Anchor>.
        </Alert>
      )}
      {past.length > 0 && <SessionTable title="Sessions passées" rows={past} />}
      {future.length > 0 && <SessionTable title="Sessions à venir" rows={future} />}
    </Stack>
  );
}

type SessionRowData = NonNullable<Awaited<ReturnType<typeof call<'sessions.list'>>>>[number];

function SessionTable({ title, rows }: { title: string; rows: SessionRowData[] }) {
  const id = `presences-${title.replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id}>
      <Title order={2} size="h3" id={id} mb="xs">
        {title}
      </Title>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Session</Table.Th>
            <Table.Th scope="col">Dates</Table.Th>
            <Table.Th scope="col">Organisme</Table.Th>
            <Table.Th scope="col">Participants</Table.Th>
            <Table.Th scope="col">Présences saisies</Table.Th>
            <Table.Th scope="col">Feuille d’émargement</Table.Th>
            <Table.Th scope="col">Attestations</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((s) => (
            <SessionRow key={s.id} s={s} />
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}

function SessionRow({ s }: { s: SessionRowData }) {
  // What is recorded for this session, as the attendance screen shows it.
  const detail = useLoad(() => call('presence.get', { sessionId: s.id }), [s.id]);
  const d = detail.data;
  const cells = d ? d.participants.length * d.session.halfDays.length : 0;
  const recorded = d ? d.session.participants.filter((p) => p.status === 'inscrit').reduce((n, p) => n + p.attendance.length, 0) : 0;
  const certificates = d ? d.participants.filter((p) => p.certificates.length > 0).length : 0;
  const loading = detail.error ? '—' : '…';
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor href={`#/justification/presences/${s.id}`} aria-label={`Saisir les présences de la session « ${s.title} »`}>
          {s.title}
        </Anchor>
        <Text size="xs" c="dimmed">
          {s.kindLabel}
        </Text>
      </Table.Td>
      <Table.Td>{dates(s.firstDate, s.lastDate)}</Table.Td>
      <Table.Td>{s.internal ? 'Formateurs du Département' : (s.organismeName ?? '—')}</Table.Td>
      <Table.Td>
        {s.registered} inscrit{s.registered > 1 ? 's' : ''}, {s.attended} formé{s.attended > 1 ? 's' : ''}
      </Table.Td>
      <Table.Td>{d ? `${recorded} / ${cells} cases (${s.halfDayCount} demi-journée${s.halfDayCount > 1 ? 's' : ''})` : loading}</Table.Td>
      <Table.Td>
        {d ? (
          d.sheets.length > 0 ? (
            <Text size="sm" fw={600} className="fne-success">
              Jointe
            </Text>
          ) : (
            <Badge color="red">À joindre</Badge>
          )
        ) : (
          loading
        )}
      </Table.Td>
      <Table.Td>{d ? `${certificates} / ${d.participants.length}` : loading}</Table.Td>
    </Table.Tr>
  );
}

export function AttendancePage({ sessionId }: { sessionId: number }) {
  const loaded = useLoad(() => call('presence.get', { sessionId }), [sessionId]);
  const [data, setData] = useState<PresenceSession | null>(null);
  useEffect(() => {
    if (loaded.data) setData(loaded.data);
  }, [loaded.data]);
  const session = data?.session;

  return (
    <Stack gap="lg">
      <Anchor href="#/justification/presences">← Retour aux sessions à saisir</Anchor>
      <Title order={1}>Présences — {session ? `session « ${session.title} »` : `session n° ${sessionId}`}</Title>
      {loaded.error && <Alert color="red">{loaded.error}</Alert>}
      {!data && loaded.loading && <Loader aria-label="Chargement" />}
      {data && session && (
        <>
          <Group gap="xs">
            <Badge variant="light">{session.kindLabel}</Badge>
            <Text size="sm">
              {dates(session.firstDate, session.lastDate)} — {session.internal ? 'formateurs du Département' : (session.organismeName ?? 'organisme à préciser')}
              {session.place ? ` — ${session.place}` : ''}
            </Text>
            <Anchor size="sm" href={`#/sessions/${session.id}`}>
              Voir la session
            </Anchor>
          </Group>
          {session.status === 'annulee' && <Alert color="gray">Session annulée{session.cancelReason ? ` : ${session.cancelReason}` : ''}.</Alert>}
          <section aria-labelledby="grille-presences">
            <Title order={2} size="h3" id="grille-presences" mb="xs">
              Présence par demi-journée
            </Title>
            <AttendanceGrid data={data} onData={setData} />
          </section>
          <section aria-labelledby="import-presences">
            <Title order={2} size="h3" id="import-presences" mb="xs">
              Importer la feuille de présence de l’organisme
            </Title>
            <AttendanceImport sessionId={session.id} onImported={setData} />
          </section>
          <section aria-label="Feuille d’émargement signée">
            <PiecesPanel ownerType="session" ownerId={session.id} title="Feuille d’émargement signée" onChange={() => void call('presence.get', { sessionId }).then(setData)} />
          </section>
          <section aria-labelledby="attestations">
            <Title order={2} size="h3" id="attestations" mb="xs">
              Attestations de fin de formation
            </Title>
            <Certificates data={data} onData={setData} />
          </section>
          <PixDates data={data} onData={setData} />
        </>
      )}
    </Stack>
  );
}
