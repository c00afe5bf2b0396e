// Attestations de fin de formation of a session's participants (one PDF per person through the
// pièces, or one multi-page PDF split into one pièce per participant by the service), and the
// Pix test date of Aidants Connect participants. Display only.
import { Alert, Anchor, Badge, Button, FileInput, Group, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { PresenceSession } from '../../../../shared/ipc/channels/presence';
import { call, fileToBase64 } from '../../api';
import { DateField } from '../../components/DateField';
import { PiecesPanel } from '../../components/PiecesPanel';
import { formatDate } from '../../format';
import { personLabel } from './AttendanceGrid';

type PresenceParticipant = PresenceSession['participants'][number];
type Inspection = Awaited<ReturnType<typeof call<'presence.certificates.inspect'>>>;

export function Certificates({ data, onData }: { data: PresenceSession; onData: (d: PresenceSession) => void }) {
  const [open, setOpen] = useState<PresenceParticipant | null>(null);
  const sessionId = data.session.id;
  const reload = async () => onData(await call('presence.get', { sessionId }));
  if (data.participants.length === 0) return <Text size="sm">Aucune personne inscrite.</Text>;
  return (
    <Stack gap="sm">
      <Table striped withTableBorder aria-label="Attestations de fin de formation">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Participant</Table.Th>
            <Table.Th scope="col">Attestation</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.participants.map((p) => (
            <Table.Tr key={p.registrationId}>
              <Table.Th scope="row" fw={500}>
                {personLabel(p)}
              </Table.Th>
              <Table.Td>
                {p.certificates.length > 0 ? (
                  <Text size="sm" className="fne-success" fw={600}>
                    Jointe : {p.certificates.map((c) => c.originalName).join(', ')}
                  </Text>
                ) : (
                  <Badge color="red">À joindre</Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="light" onClick={() => setOpen(p)} aria-label={`${p.certificates.length > 0 ? 'Voir ou remplacer' : 'Joindre'} l’attestation de ${personLabel(p)}`}>
                  {p.certificates.length > 0 ? 'Voir ou remplacer' : 'Joindre'}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={open !== null} onClose={() => (setOpen(null), void reload())} title={open ? `Attestation de ${personLabel(open)}` : ''} size="xl" closeButtonProps={{ 'aria-label': 'Fermer' }}>
        {open && <PiecesPanel ownerType="registration" ownerId={open.registrationId} title="Pièces de l’inscription" onChange={() => void reload()} />}
      </Modal>
      <SplitPdf sessionId={sessionId} onData={onData} />
    </Stack>
  );
}

/** One PDF with every certificate: the service counts its pages and proposes page i → i-th participant. */
function SplitPdf({ sessionId, onData }: { sessionId: number; onData: (d: PresenceSession) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [b64, setB64] = useState<string | null>(null);
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [assign, setAssign] = useState<(number | null)[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function inspect() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const content = await fileToBase64(file);
      setB64(content);
      const r = await call('presence.certificates.inspect', { sessionId, fileName: file.name, contentBase64: content });
      setInspection(r);
      setAssign(r.proposal.map((x) => x.registrationId));
    } catch (e) {
      setInspection(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function split() {
    if (!file || !b64 || !inspection) return;
    setBusy(true);
    setError(null);
    try {
      const assignments = inspection.proposal.flatMap((x, i) => (assign[i] ? [{ page: x.page, registrationId: assign[i]! }] : []));
      const r = await call('presence.certificates.split', { sessionId, fileName: file.name, contentBase64: b64, assignments });
      setDone(`${r.attached.length} attestation${r.attached.length > 1 ? 's' : ''} jointe${r.attached.length > 1 ? 's' : ''} depuis « ${file.name} ».`);
      setInspection(null);
      setFile(null);
      setB64(null);
      onData(r.session);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const who = new Map((inspection?.participants ?? []).map((p) => [p.registrationId, p]));
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Un seul PDF pour toute la session
      </Title>
      <Text size="sm">L’organisme envoie parfois toutes les attestations dans un seul PDF, une page par personne : il est découpé et chaque page jointe à son participant.</Text>
      <Group align="flex-end">
        <FileInput label="PDF des attestations (plusieurs pages)" placeholder="Choisir le PDF" accept="application/pdf,.pdf" value={file} onChange={(f) => (setFile(f), setInspection(null))} clearable clearButtonProps={{ 'aria-label': 'Retirer le PDF choisi' }} w={360} />
        <Button variant="default" onClick={() => void inspect()} disabled={!file} loading={busy && !inspection}>
          Lire les pages
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Text size="sm" fw={600} className="fne-success" role="status">
          {done}
        </Text>
      )}
      {inspection && (
        <Stack gap="xs">
          <Text size="sm">
            {inspection.pages} page{inspection.pages > 1 ? 's' : ''} pour {inspection.participants.length} participant{inspection.participants.length > 1 ? 's' : ''}. Vérifiez à qui revient chaque page.
          </Text>
          {inspection.warnings.map((w) => (
            <Alert key={w} color="yellow">
              {w}
            </Alert>
          ))}
          <Table withTableBorder aria-label="Pages du PDF et participants">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Page</Table.Th>
                <Table.Th scope="col">Participant</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inspection.proposal.map((x, i) => (
                <Table.Tr key={x.page}>
                  <Table.Td>{x.page}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Participant de la page ${x.page}`}
                      data={[{ value: '', label: '— aucune (page ignorée) —' }, ...inspection.participants.map((p) => ({ value: String(p.registrationId), label: `${personLabel(p)}${p.hasCertificate ? ' (a déjà une attestation)' : ''}` }))]}
                      value={assign[i] ? String(assign[i]) : ''}
                      onChange={(v) => setAssign(assign.map((a, j) => (j === i ? (v ? Number(v) : null) : a)))}
                      allowDeselect={false}
                      w={380}
                    />
                    {assign[i] && who.get(assign[i]!)?.hasCertificate && (
                      <Text size="xs" c="dimmed">
                        Une attestation est déjà jointe : celle-ci s’y ajoute.
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group>
            <Button onClick={() => void split()} loading={busy} disabled={!assign.some((a) => a !== null)}>
              Découper et joindre
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

/** Date of the Pix test, for participants of an Aidants Connect training (the service says which). */
export function PixDates({ data, onData }: { data: PresenceSession; onData: (d: PresenceSession) => void }) {
  const rows = data.participants.filter((p) => p.pix);
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="pix-titre">
      <Title order={2} size="h3" id="pix-titre" mb="xs">
        Test Pix (Aidants Connect)
      </Title>
      <Text size="sm" mb="xs">
        Date à laquelle chaque aidant a passé le test Pix après la formation (suivi Aidants Connect). Voir aussi le <Anchor href="#/sessions/aidants-connect">suivi Aidants Connect</Anchor>.
      </Text>
      <Table withTableBorder striped aria-label="Dates du test Pix">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Participant</Table.Th>
            <Table.Th scope="col">Test Pix passé le</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => (
            <PixRow key={p.registrationId} p={p} sessionId={data.session.id} onData={onData} />
          ))}
        </Table.Tbody>
      </Table>
    </section>
  );
}

function PixRow({ p, sessionId, onData }: { p: PresenceParticipant; sessionId: number; onData: (d: PresenceSession) => void }) {
  const [value, setValue] = useState(p.pixDate ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function save() {
    setError(null);
    setSaved(false);
    try {
      await call('presence.pix.set', { registrationId: p.registrationId, date: value.trim() === '' ? null : value });
      onData(await call('presence.get', { sessionId }));
      setSaved(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        {personLabel(p)}
      </Table.Th>
      <Table.Td>
        <Group align="flex-start" gap="xs">
          <DateField aria-label={`Date du test Pix de ${personLabel(p)}`} value={value} onChange={setValue} error={error ?? undefined} w={160} />
          <Button variant="default" onClick={() => void save()} disabled={value === (p.pixDate ?? '')} aria-label={`Enregistrer la date du test Pix de ${personLabel(p)}`}>
            Enregistrer
          </Button>
          {saved && p.pixDate && (
            <Text size="sm" className="fne-success" role="status">
              Enregistrée : {formatDate(p.pixDate)}
            </Text>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
