// Aidants Connect follow-up board: per professional, the steps towards habilitation with their
// dates; bulk update of the selected rows; re-import of ANCT's follow-up table (what would change,
// then apply). The lifecycle, its labels and the import rules come from the service.
import { Alert, Anchor, Badge, Button, Checkbox, FileInput, Group, List, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { AcFollowup, AcImportPlan } from '../../../../shared/ipc/channels/sessions';
import { call, fileToBase64 } from '../../api';
import { DateField } from '../../components/DateField';
import { useConvention } from '../../conventionContext';
import { formatDate } from '../../format';
import { useLoad } from '../../useLoad';
import { errorOf } from './common';

type AcStatus = AcFollowup['status'];

export function AcBoard() {
  const { conventionId } = useConvention();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const board = useLoad(
    () => call('sessions.ac.list', { conventionId: conventionId ?? undefined, search: search || undefined, status: (status as AcStatus | null) ?? undefined }),
    [conventionId, search, status, n],
  );
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const statuses = board.data?.statuses ?? [];
  const steps = statuses.filter((s) => s.step);
  const rows = board.data?.rows ?? [];
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.personId));
  const reload = () => setN((x) => x + 1);
  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <Stack gap="lg">
      <Anchor href="#/sessions">← Sessions</Anchor>
      <Title order={1}>Suivi Aidants Connect</Title>
      <Text c="dimmed">
        Pour chaque professionnel formé à Aidants Connect, les étapes jusqu’à l’habilitation avec leur date. L’inscription et la présence font avancer le suivi d’elles-mêmes ; le reste se met à jour par lot, ou en
        réimportant le tableau de suivi de l’ANCT.
      </Text>
      {board.data && (
        <Group gap="xs" role="status" aria-label="Professionnels par étape">
          {statuses
            .filter((s) => board.data!.counts[s.code] > 0)
            .map((s) => (
              <Badge key={s.code} size="lg" variant="light" color={s.step ? 'blue' : 'red'}>
                {s.label} : {board.data!.counts[s.code]}
              </Badge>
            ))}
        </Group>
      )}
      <Group align="flex-end">
        <TextInput label="Rechercher" placeholder="Nom ou e-mail" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={240} />
        <Select label="Étape" placeholder="Toutes" clearable data={statuses.map((s) => ({ value: s.code, label: s.label }))} value={status} onChange={setStatus} w={300} />
      </Group>
      {board.error && <Alert color="red">{board.error}</Alert>}
      {board.loading && !board.data && <Loader aria-label="Chargement" />}
      {board.data && rows.length === 0 && <Text c="dimmed">Aucun suivi pour l’instant : il commence à l’inscription à une session Aidants Connect, ou par une mise à jour ci-dessous.</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={1050}>
          <Table striped withTableBorder horizontalSpacing="xs" aria-label="Suivi Aidants Connect par professionnel">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label="Choisir toutes les lignes"
                    checked={allSelected}
                    indeterminate={!allSelected && rows.some((r) => selected.has(r.personId))}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setSelected(on ? new Set(rows.map((r) => r.personId)) : new Set());
                    }}
                  />
                </Table.Th>
                <Table.Th miw={190}>Professionnel et session</Table.Th>
                <Table.Th miw={130}>Étape</Table.Th>
                {steps.map((s) => (
                  <Table.Th key={s.code} fz="xs">
                    {s.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Checkbox aria-label={`Choisir ${r.prenom} ${r.nom}`} checked={selected.has(r.personId)} onChange={(e) => toggle(r.personId, e.currentTarget.checked)} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`#/recensement/personnes/${r.personId}`}>
                      {r.prenom} {r.nom}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {r.structureName ?? '—'}
                    </Text>
                    {r.sessionId && (
                      <Text size="xs">
                        Session : <Anchor href={`#/sessions/${r.sessionId}`} size="xs">{r.sessionTitle}</Anchor>
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} c={r.status === 'refuse' || r.status === 'annule' ? 'red.9' : undefined} className={r.status === 'habilite' ? 'fne-success' : undefined}>
                      {r.statusLabel}
                    </Text>
                    {r.stopReason && <Text size="xs">Motif : {r.stopReason}</Text>}
                    {(r.status === 'refuse' || r.status === 'annule') && r.dates[r.status] && <Text size="xs">le {formatDate(r.dates[r.status])}</Text>}
                  </Table.Td>
                  {steps.map((s) => (
                    <Table.Td key={s.code} fz="xs" style={{ whiteSpace: 'nowrap' }}>
                      {r.dates[s.code] ? formatDate(r.dates[s.code]) : '—'}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <BulkUpdate
        personIds={[...selected]}
        statuses={statuses}
        onDone={() => {
          setSelected(new Set());
          reload();
        }}
      />
      <AnctImport onDone={reload} labels={Object.fromEntries(statuses.map((s) => [s.code, s.label]))} />
    </Stack>
  );
}

function BulkUpdate({ personIds, statuses, onDone }: { personIds: number[]; statuses: { code: AcStatus; label: string; step: boolean }[]; onDone: () => void }) {
  const [to, setTo] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const stop = statuses.find((s) => s.code === to)?.step === false;
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!to || personIds.length === 0) return;
    setError(null);
    setDone(null);
    try {
      const r = await call('sessions.ac.update', { personIds, status: to as AcStatus, date: date || undefined, reason: reason.trim() || null });
      setDone(`${r.updated} suivi${r.updated > 1 ? 's' : ''} mis à jour : ${statuses.find((s) => s.code === to)?.label}.`);
      setReason('');
      onDone();
    } catch (err) {
      setError(errorOf(err));
    }
  }
  return (
    <section aria-labelledby="lot-title">
      <Title order={2} size="h3" id="lot-title" mb="xs">
        Mettre à jour la sélection
      </Title>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Group align="flex-start">
          <Select label="Nouvelle étape" placeholder="Choisir" data={statuses.map((s) => ({ value: s.code, label: s.label }))} value={to} onChange={setTo} w={300} required />
          <DateField label="Date de l’étape" description="Vide : aujourd’hui" value={date} onChange={setDate} error={error?.fields.date} w={170} />
          <TextInput label="Motif" description={stop ? 'Obligatoire pour un refus ou une annulation' : 'Pour un refus ou une annulation'} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.fields.reason} w={320} required={stop} />
          <Button type="submit" mt={46} disabled={!to || personIds.length === 0}>
            Mettre à jour ({personIds.length})
          </Button>
        </Group>
      </form>
      {personIds.length === 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          Cochez d’abord les professionnels concernés dans le tableau.
        </Text>
      )}
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error.message}
        </Alert>
      )}
      {done && (
        <Text size="sm" className="fne-success" role="status" mt="xs">
          {done}
        </Text>
      )}
    </section>
  );
}

function AnctImport({ onDone, labels }: { onDone: () => void; labels: Record<string, string> }) {
  const [file, setFile] = useState<File | null>(null);
  const [date, setDate] = useState('');
  const [plan, setPlan] = useState<AcImportPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(apply: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const p = await call('sessions.ac.import', { fileName: file.name, contentBase64: await fileToBase64(file), date: date || undefined, apply });
      setPlan(p);
      if (p.applied) onDone();
    } catch (e) {
      setError(errorOf(e).message);
      setPlan(null);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="import-title">
      <Title order={2} size="h3" id="import-title" mb="xs">
        Réimporter le tableau de suivi de l’ANCT
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Colonnes lues : « Eligibilite_validee » (éligibilité validée par l’ANCT) et « A_participe_a_la_session » (présence transmise à l’ANCT). Les professionnels sont retrouvés par e-mail, sinon par nom et prénom. Le
        suivi n’avance jamais à reculons.
      </Text>
      <Group align="flex-start">
        <FileInput
          label="Tableau de suivi (xlsx, ods ou CSV)"
          placeholder="Choisir un fichier"
          value={file}
          onChange={(f) => {
            setFile(f);
            setPlan(null);
          }}
          accept=".xlsx,.xls,.ods,.csv"
          clearable
          clearButtonProps={{ 'aria-label': 'Retirer le fichier choisi' }}
          w={320}
        />
        <DateField label="Date des changements" description="Vide : aujourd’hui" value={date} onChange={setDate} w={190} />
        <Button mt={46} variant="default" onClick={() => void run(false)} disabled={!file} loading={busy && !plan}>
          Lire le fichier
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error}
        </Alert>
      )}
      {plan && (
        <Stack gap="xs" mt="sm">
          <Text size="sm" role="status" className={plan.applied ? 'fne-success' : undefined} fw={plan.applied ? 600 : undefined}>
            {plan.applied
              ? `Import appliqué : ${plan.changes.length} suivi${plan.changes.length > 1 ? 's' : ''} mis à jour.`
              : `Feuille « ${plan.sheet} », en-têtes en ligne ${plan.headerRow} : ${plan.rows} ligne${plan.rows > 1 ? 's' : ''}, ${plan.changes.length} changement${plan.changes.length > 1 ? 's' : ''}, ${plan.unchanged} inchangée${plan.unchanged > 1 ? 's' : ''}, ${plan.unmatched.length} non retrouvée${plan.unmatched.length > 1 ? 's' : ''}. Rien n’est encore enregistré.`}
          </Text>
          {plan.changes.length > 0 && (
            <Table withTableBorder striped aria-label="Changements du suivi" maw={900}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Ligne</Table.Th>
                  <Table.Th>Professionnel</Table.Th>
                  <Table.Th>Étape actuelle</Table.Th>
                  <Table.Th>Nouvelle étape</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plan.changes.map((c) => (
                  <Table.Tr key={c.row}>
                    <Table.Td>{c.row}</Table.Td>
                    <Table.Td>{c.label}</Table.Td>
                    <Table.Td>{c.from ? (labels[c.from] ?? c.from) : 'Aucun suivi'}</Table.Td>
                    <Table.Td>{c.toLabel}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {plan.unmatched.length > 0 && (
            <Alert color="yellow" title="Lignes sans professionnel correspondant (ignorées)">
              <List size="sm">
                {plan.unmatched.slice(0, 30).map((u) => (
                  <List.Item key={u.row}>
                    Ligne {u.row} : {u.label}
                  </List.Item>
                ))}
              </List>
              {plan.unmatched.length > 30 && <Text size="sm">… et {plan.unmatched.length - 30} autres.</Text>}
            </Alert>
          )}
          {!plan.applied && plan.changes.length > 0 && (
            <Group>
              <Button onClick={() => void run(true)} loading={busy}>
                Appliquer les {plan.changes.length} changement{plan.changes.length > 1 ? 's' : ''}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </section>
  );
}
