// Import of the training organisation's attendance file (xlsx, xls, ods, CSV) into one session:
// the service reads it (same reading engine as the Recensement import), proposes which column is
// the name / e-mail / each half-day, matches rows to the registered participants and lists what
// would change; nothing is written until « Enregistrer ». Display only.
import { Alert, Button, FileInput, Group, List, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { PresenceImportPlan, PresenceSession } from '../../../../shared/ipc/channels/presence';
import { call, fileToBase64 } from '../../api';
import { plural } from '../../format';

const STATUS_WORD: Record<string, string> = { present: 'présent', absent: 'absent', excuse: 'excusé' };

export function AttendanceImport({ sessionId, onImported }: { sessionId: number; onImported: (d: PresenceSession) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [b64, setB64] = useState<string | null>(null);
  const [plan, setPlan] = useState<PresenceImportPlan | null>(null);
  const [mapping, setMapping] = useState<(string | null)[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function preview(opts: { sheet?: string; headerRow?: number; mapping?: (string | null)[]; content?: string } = {}) {
    const content = opts.content ?? b64;
    if (!file || !content) return;
    setBusy('Lecture du fichier…');
    setError(null);
    setDone(null);
    try {
      const p = await call('presence.import.preview', {
        sessionId,
        fileName: file.name,
        contentBase64: content,
        sheet: opts.sheet ?? plan?.sheet,
        headerRow: opts.headerRow ?? (opts.sheet ? undefined : plan?.headerRow),
        mapping: opts.mapping,
      });
      setPlan(p);
      setMapping(p.mapping);
    } catch (e) {
      setPlan(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  async function read() {
    if (!file) return;
    const content = await fileToBase64(file);
    setB64(content);
    setPlan(null);
    await preview({ content });
  }

  async function commit() {
    if (!file || !b64 || !plan) return;
    setBusy('Enregistrement des présences…');
    setError(null);
    try {
      const r = await call('presence.import.commit', { sessionId, fileName: file.name, contentBase64: b64, sheet: plan.sheet, headerRow: plan.headerRow, mapping: plan.mappingSource === 'agent' ? plan.mapping : undefined });
      setDone(`${plural(r.changes.length, 'présence enregistrée', 'présences enregistrées')} depuis « ${r.fileName} ».`);
      setPlan(null);
      setFile(null);
      setB64(null);
      onImported(await call('presence.get', { sessionId }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const mappingChanged = plan && mapping && mapping.some((m, i) => m !== plan.mapping[i]);

  return (
    <Stack gap="sm">
      <Text size="sm">
        La feuille de présence transmise par l’organisme (xlsx, xls, ods ou CSV) : une ligne par participant, une colonne par demi-journée. Rien n’est enregistré avant l’aperçu.
      </Text>
      <Group align="flex-end">
        <FileInput label="Fichier de présence de l’organisme" placeholder="Choisir le fichier" accept=".xlsx,.xls,.ods,.csv,.tsv,.txt" value={file} onChange={(f) => (setFile(f), setPlan(null), setB64(null))} clearable clearButtonProps={{ 'aria-label': 'Retirer le fichier choisi' }} w={360} />
        <Button onClick={() => void read()} disabled={!file} loading={busy !== null && !plan}>
          Lire le fichier
        </Button>
      </Group>
      {busy && (
        <Text size="sm" role="status">
          {busy}
        </Text>
      )}
      {error && (
        <Alert color="red" role="alert" title="Import impossible">
          {error}
        </Alert>
      )}
      {done && (
        <Text size="sm" fw={600} className="fne-success" role="status">
          {done}
        </Text>
      )}
      {plan && mapping && (
        <Stack gap="sm">
          <Group align="flex-end">
            {plan.sheets.length > 1 && (
              <Select label="Feuille" data={plan.sheets} value={plan.sheet} onChange={(v) => v && void preview({ sheet: v })} allowDeselect={false} w={260} />
            )}
            <NumberInput label="Ligne des en-têtes" min={1} value={plan.headerRow} onChange={(v) => typeof v === 'number' && v >= 1 && v !== plan.headerRow && void preview({ headerRow: v })} w={180} />
          </Group>
          <Table withTableBorder striped aria-label="Correspondance des colonnes du fichier de présence">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Colonne du fichier</Table.Th>
                <Table.Th scope="col">Exemples</Table.Th>
                <Table.Th scope="col">Contient</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plan.headers.map((h, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{h || `(colonne ${i + 1})`}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {(plan.samples[i] ?? []).join(' · ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Contenu de la colonne « ${h || `colonne ${i + 1}`} »`}
                      data={[{ value: '', label: '— ignorer —' }, ...plan.targets]}
                      value={mapping[i] ?? ''}
                      onChange={(v) => setMapping(mapping.map((m, j) => (j === i ? v || null : m)))}
                      allowDeselect={false}
                      w={300}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {mappingChanged && (
            <Group>
              <Button variant="default" onClick={() => void preview({ mapping })}>
                Relire avec cette correspondance
              </Button>
            </Group>
          )}
          <PlanSummary plan={plan} />
          <Group>
            <Button onClick={() => void commit()} disabled={plan.changes.length === 0 || !!mappingChanged} loading={busy !== null}>
              {plan.changes.length === 0 ? 'Aucun changement à enregistrer' : `Enregistrer ${plural(plan.changes.length, 'présence')}`}
            </Button>
            <Button variant="default" onClick={() => (setPlan(null), setFile(null), setB64(null))}>
              Abandonner
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

function PlanSummary({ plan }: { plan: PresenceImportPlan }) {
  const unmapped = plan.halfDays.filter((h) => h.column === null);
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        Aperçu : rien n’est encore enregistré
      </Title>
      <List size="sm">
        <List.Item>
          {plural(plan.rows, 'ligne lue', 'lignes lues')} ; {plural(plan.matched.length, 'participant reconnu', 'participants reconnus')}
          {plan.unmatched.length > 0 ? `, ${plural(plan.unmatched.length, 'ligne non rapprochée', 'lignes non rapprochées')}` : ''}.
        </List.Item>
        <List.Item>
          {plural(plan.changes.length, 'présence à enregistrer', 'présences à enregistrer')}, {plural(plan.unchanged, 'case déjà à jour', 'cases déjà à jour')}.
        </List.Item>
        {plan.missing.length > 0 && <List.Item>Inscrits absents du fichier : {plan.missing.map((m) => `${m.nom.toUpperCase()} ${m.prenom}`).join(', ')}.</List.Item>}
      </List>
      {unmapped.length > 0 && <Alert color="yellow">Demi-journée{unmapped.length > 1 ? 's' : ''} sans colonne dans le fichier : {unmapped.map((h) => h.label).join(', ')}.</Alert>}
      {plan.unmatched.length > 0 && (
        <Table withTableBorder aria-label="Lignes non rapprochées">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Ligne</Table.Th>
              <Table.Th scope="col">Personne</Table.Th>
              <Table.Th scope="col">Pourquoi</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.unmatched.map((u) => (
              <Table.Tr key={u.row}>
                <Table.Td>{u.row}</Table.Td>
                <Table.Td>{u.label}</Table.Td>
                <Table.Td>{u.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {plan.invalid.length > 0 && (
        <Alert color="yellow" title="Cases illisibles (ignorées)">
          {plan.invalid.map((x) => `ligne ${x.row}, « ${x.column} » : ${x.message}`).join(' ; ')}
        </Alert>
      )}
      {plan.changes.length > 0 && (
        <Table withTableBorder striped aria-label="Présences à enregistrer">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Ligne</Table.Th>
              <Table.Th scope="col">Participant</Table.Th>
              <Table.Th scope="col">Demi-journée</Table.Th>
              <Table.Th scope="col">Avant</Table.Th>
              <Table.Th scope="col">Après</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.changes.map((c) => (
              <Table.Tr key={`${c.registrationId}:${c.halfDayId}`}>
                <Table.Td>{c.row}</Table.Td>
                <Table.Td>
                  {c.nom.toUpperCase()} {c.prenom}
                </Table.Td>
                <Table.Td>{c.halfDayLabel}</Table.Td>
                <Table.Td>{c.from ? STATUS_WORD[c.from] : 'non saisi'}</Table.Td>
                <Table.Td>{STATUS_WORD[c.to]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
