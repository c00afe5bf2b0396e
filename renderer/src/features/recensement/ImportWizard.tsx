import { Alert, Anchor, Badge, Button, Checkbox, FileInput, Group, NumberInput, Progress, Select, SimpleGrid, Stack, Stepper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { JobStatusDto } from '../../../../shared/ipc/channels/jobs';
import type { ImportBatchResult, ImportPreview, ImportResult } from '../../../../shared/ipc/channels/recensement';
import { call, fileToBase64 } from '../../api';
import { JobProgress } from '../../components/JobProgress';
import { useConvention } from '../../conventionContext';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { DateQuestions, HARMLESS_CODES, HarmlessRepairs, SampleRows, type DateOrder } from './ImportPreviewParts';

type Field = NonNullable<ImportPreview['columns'][number]['field']>;
type Kind = ImportPreview['kind'] | 'auto';

const kindOptions = [
  { value: 'auto', label: 'Reconnaître automatiquement' },
  { value: 'anct', label: 'Export ANCT des aidants' },
  { value: 'grist', label: 'Tableau de suivi FNE (Grist)' },
  { value: 'formulaire', label: 'Réponses au formulaire' },
  { value: 'other', label: 'Autre liste' },
];

/** File → sheet and header → mapping → preview → done. The services decide everything; this only shows. */
export function ImportWizard() {
  const { refresh } = useConvention();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [content, setContent] = useState<string | null>(null);
  const [kind, setKind] = useState<Kind>('auto');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<(Field | null)[] | null>(null);
  const [accept, setAccept] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [job, setJob] = useState<JobStatusDto | null>(null);
  const [dates, setDates] = useState<DateOrder | undefined>(undefined);

  async function runPreview(opts: { sheet?: string; headerRow?: number; mapping?: (Field | null)[] | null; b64?: string; dates?: DateOrder } = {}) {
    const b64 = opts.b64 ?? content;
    if (!file || !b64) return null;
    setBusy('Lecture et vérification du fichier…');
    setError(null);
    try {
      const p = await call('recensement.importPreview', {
        fileName: file.name,
        contentBase64: b64,
        kind,
        sheet: opts.sheet ?? preview?.sheet,
        headerRow: opts.headerRow ?? (opts.sheet ? undefined : preview?.headerRow),
        mapping: opts.mapping === null ? undefined : (opts.mapping ?? undefined),
        dates: opts.dates ?? dates,
      });
      setPreview(p);
      setMapping(p.columns.map((c) => c.field));
      return p;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function readFile() {
    if (!file) return;
    setBusy('Lecture du fichier…');
    const b64 = await fileToBase64(file);
    setContent(b64);
    setPreview(null);
    setDates(undefined);
    const p = await runPreviewFresh(b64);
    if (p) setStep(1);
  }
  async function runPreviewFresh(b64: string) {
    setBusy('Lecture et vérification du fichier…');
    setError(null);
    try {
      const p = await call('recensement.importPreview', { fileName: file!.name, contentBase64: b64, kind });
      setPreview(p);
      setMapping(p.columns.map((c) => c.field));
      return p;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return null;
    } finally {
      setBusy(null);
    }
  }

  const mappingChanged = preview && mapping && mapping.some((f, i) => f !== preview.columns[i].field);
  /** Automatic (or remembered) and complete: the mapping step is skipped, shown collapsed instead. */
  const mappingComplete = preview !== null && preview.missingRequired.length === 0 && preview.dateQuestions.length === 0 && preview.mappingSource !== 'agent';

  /** The import runs as a job: progress of the rows read then written, and « Annuler » (nothing written). */
  async function commit() {
    if (!file || !content || !preview) return;
    setError(null);
    try {
      const j = await call('recensement.import.start', {
        files: [
          {
            fileName: file.name,
            contentBase64: content,
            kind,
            sheet: preview.sheet,
            headerRow: preview.headerRow,
            mapping: preview.mappingSource === 'agent' ? (mapping ?? undefined) : undefined,
            dates,
          },
        ],
        acceptRejected: accept,
      });
      setJob(j);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Importer une liste de professionnels</Title>
        <Button variant="default" onClick={() => navigate('recensement')}>
          Retour au recensement
        </Button>
      </Group>
      <Stepper active={step} onStepClick={(s) => s < step && step < 4 && setStep(s)} allowNextStepsSelect={false}>
        <Stepper.Step label="Fichier" description="xlsx, xls, ods ou CSV">
          <Stack maw={560} mt="md">
            <FileInput label="Fichier reçu" placeholder="Choisir le fichier" accept=".xlsx,.xls,.ods,.csv,.tsv,.txt" value={file} onChange={setFile} clearable />
            <Select label="Type de liste" data={kindOptions} value={kind} onChange={(v) => setKind((v as Kind) ?? 'auto')} allowDeselect={false} />
            <Group>
              <Button onClick={() => void readFile()} disabled={!file} loading={busy !== null}>
                Lire le fichier
              </Button>
            </Group>
            <Text size="sm">
              Plusieurs formulaires retournés par les structures ? <Anchor href="#/recensement/import-plusieurs">Importer plusieurs fichiers d’un coup</Anchor>.
            </Text>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Feuille et en-tête">
          {preview && (
            <Stack maw={700} mt="md">
              <Alert color="blue" title={preview.kindLabel}>
                {preview.formatLabel}
                {preview.encoding ? `, encodage ${preview.encoding}` : ''}
                {preview.delimiter ? `, séparateur « ${preview.delimiter === '\t' ? 'tabulation' : preview.delimiter} »` : ''}. Feuille « {preview.sheet} », en-têtes
                en ligne {preview.headerRow}.
              </Alert>
              <Group align="flex-end">
                <Select
                  label="Feuille"
                  data={preview.sheets.map((s) => ({ value: s.name, label: `${s.name} (${s.rows} lignes)` }))}
                  value={preview.sheet}
                  onChange={(v) => v && void runPreview({ sheet: v, mapping: null })}
                  allowDeselect={false}
                  w={300}
                />
                <NumberInput
                  label="Ligne des en-têtes"
                  min={1}
                  value={preview.headerRow}
                  onChange={(v) => typeof v === 'number' && v >= 1 && void runPreview({ headerRow: v, mapping: null })}
                  w={180}
                />
              </Group>
              <Text size="sm">En-têtes lus : {preview.columns.map((c) => `« ${c.header} »`).join(', ')}</Text>
              {mappingComplete ? (
                <>
                  <MappingSummary preview={preview} onEdit={() => setStep(2)} />
                  <Group>
                    <Button onClick={() => setStep(3)}>Voir l’aperçu</Button>
                  </Group>
                </>
              ) : (
                <Group>
                  <Button onClick={() => setStep(2)}>Continuer</Button>
                </Group>
              )}
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Correspondance des colonnes">
          {preview && mapping && (
            <Stack mt="md">
              <Text size="sm">
                {preview.mappingSource === 'memorisee'
                  ? 'Correspondance reprise du dernier fichier ayant les mêmes colonnes.'
                  : preview.mappingSource === 'agent'
                    ? 'Correspondance corrigée par vous ; elle sera retenue pour les prochains fichiers ayant les mêmes colonnes.'
                    : 'Correspondance proposée d’après les en-têtes. Corrigez-la si besoin.'}
              </Text>
              {preview.missingRequired.length > 0 && preview.missingMessage && (
                <Alert color="red" title="Colonnes obligatoires manquantes">
                  {preview.missingMessage}
                </Alert>
              )}
              <DateQuestions
                preview={preview}
                value={dates}
                onChange={(v) => {
                  setDates(v);
                  void runPreview({ dates: v, mapping: preview.mappingSource === 'agent' ? mapping : null });
                }}
              />
              <Table withTableBorder striped aria-label="Correspondance des colonnes">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Colonne du fichier</Table.Th>
                    <Table.Th>Exemples</Table.Th>
                    <Table.Th>Champ</Table.Th>
                    <Table.Th>Pourquoi</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {preview.columns.map((c, i) => (
                    <Table.Tr key={c.index}>
                      <Table.Td>{c.header}</Table.Td>
                      <Table.Td>
                        <Text size="xs" c="dimmed">
                          {c.samples.join(' · ') || '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Champ pour la colonne « ${c.header} »`}
                          data={[{ value: '', label: '— ignorer —' }, ...preview.fields.map((f) => ({ value: f.key, label: f.label + (f.required ? ' *' : '') }))]}
                          value={mapping[i] ?? ''}
                          onChange={(v) => {
                            const next = [...mapping];
                            next[i] = v ? (v as Field) : null;
                            setMapping(next);
                          }}
                          allowDeselect={false}
                          w={320}
                          searchable
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{mapping[i] === c.field ? (c.reason ?? '—') : 'choisi par vous'}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group>
                <Button
                  loading={busy !== null}
                  onClick={async () => {
                    const p = mappingChanged ? await runPreview({ mapping }) : preview;
                    if (p && p.missingRequired.length === 0 && p.dateQuestions.length === 0) setStep(3);
                  }}
                >
                  Voir l’aperçu
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Aperçu">
          {preview && (
            <>
              <Stack mt="md" maw={700}>
                <MappingSummary preview={preview} onEdit={() => setStep(2)} />
              </Stack>
              <PreviewPanel preview={preview} accept={accept} setAccept={setAccept} onCommit={() => void commit()} busy={busy !== null || job !== null} />
              {job && (
                <JobProgress
                  key={job.id}
                  job={job}
                  title="Import en cours"
                  onDone={(r) => {
                    setJob(null);
                    setResult((r as ImportBatchResult).files[0]);
                    refresh();
                    setStep(4);
                  }}
                  onEnd={(s) => {
                    // Cancelled or failed: said under the preview (nothing was written); the import can be started again.
                    if (s.state === 'termine') return;
                    setJob(null);
                    setError(s.error?.message ?? (s.state === 'annule' ? 'Import annulé : rien n’a été enregistré.' : 'L’import a échoué : rien n’a été enregistré.'));
                  }}
                />
              )}
            </>
          )}
        </Stepper.Step>
        <Stepper.Completed>
          {result && (
            <Stack mt="md">
              <Alert color="green" title="Import terminé" role="status">
                {result.rows} lignes lues. Professionnels : {result.people.created} nouveaux, {result.people.updated} modifiés, {result.people.unchanged} inchangés.
                Structures : {result.structures.created} nouvelles, {result.structures.updated} modifiées, {result.structures.unchanged} inchangées.
                {result.rejected.length > 0 && ` ${result.rejected.length} lignes rejetées (conservées dans le journal de l’import).`}
              </Alert>
              <Group>
                <Button onClick={() => navigate('recensement')}>Voir les professionnels</Button>
                <Button variant="default" onClick={() => window.location.reload()}>
                  Importer un autre fichier
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
      {busy && (
        <Stack gap={4} role="status" aria-live="polite">
          <Text size="sm">{busy}</Text>
          <Progress value={100} animated striped aria-label={busy} />
        </Stack>
      )}
      {error && (
        <Alert color="red" role="alert" title="Le fichier n’a pas été importé">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

const sourceLabels: Record<ImportPreview['mappingSource'], string> = {
  automatique: 'reconnue d’après les en-têtes',
  memorisee: 'reprise du dernier fichier ayant les mêmes colonnes',
  agent: 'corrigée par vous',
};

/** The mapping, collapsed: how many columns are used or ignored, and the way to change it. */
function MappingSummary({ preview, onEdit }: { preview: ImportPreview; onEdit: () => void }) {
  const used = preview.columns.filter((c) => c.field !== null).length;
  const ignored = preview.columns.length - used;
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm" p="xs" style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4 }}>
      <Text size="sm" style={{ flex: 1 }}>
        Correspondance des colonnes {sourceLabels[preview.mappingSource]} : {used} colonne{used > 1 ? 's' : ''} utilisée{used > 1 ? 's' : ''}
        {ignored > 0 ? `, ${ignored} ignorée${ignored > 1 ? 's' : ''}` : ''}, toutes les colonnes obligatoires sont présentes.
      </Text>
      <Button variant="default" size="compact-sm" onClick={onEdit} style={{ flexShrink: 0 }}>
        Modifier la correspondance
      </Button>
    </Group>
  );
}

function PreviewPanel({ preview, accept, setAccept, onCommit, busy }: { preview: ImportPreview; accept: boolean; setAccept: (b: boolean) => void; onCommit: () => void; busy: boolean }) {
  const byCode = new Map<string, number>();
  const alerts = preview.warnings.filter((w) => !HARMLESS_CODES.has(w.code));
  for (const w of alerts) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
  const rules = useLoad(() => call('recensement.rules', {}), []).data;
  const warningLabel = (code: string) => rules?.importWarnings.find((x) => x.code === code)?.label ?? code;
  const ineligibleLabel = (code: string) => rules?.ineligibleShort.find((x) => x.code === code)?.label ?? code;
  return (
    <Stack mt="md">
      <Title order={2} size="h3">
        Aperçu : rien n’est encore enregistré
      </Title>
      {preview.previousImports.length > 0 && (
        <Alert color="yellow">Ce fichier a déjà été importé ({preview.previousImports.length} fois). Le réimporter ne crée pas de doublon.</Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Table withTableBorder aria-label="Professionnels">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Professionnels</Table.Th>
              <Table.Th>Nombre</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>Nouveaux</Table.Td>
              <Table.Td>{preview.people.created}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>Modifiés</Table.Td>
              <Table.Td>{preview.people.updated}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>Inchangés</Table.Td>
              <Table.Td>{preview.people.unchanged}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Table withTableBorder aria-label="Structures">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Structures</Table.Th>
              <Table.Th>Nombre</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>Nouvelles</Table.Td>
              <Table.Td>{preview.structures.created}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>Modifiées</Table.Td>
              <Table.Td>{preview.structures.updated}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>Inchangées</Table.Td>
              <Table.Td>{preview.structures.unchanged}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </SimpleGrid>
      <SampleRows preview={preview} />
      {Object.keys(preview.ineligible).length > 0 && (
        <Group gap="xs">
          <Text size="sm">Non éligibles dans ce fichier :</Text>
          {Object.entries(preview.ineligible).map(([k, n]) => (
            <Badge key={k} color="red" variant="light">
              {ineligibleLabel(k)} : {n}
            </Badge>
          ))}
        </Group>
      )}
      {preview.changes.length > 0 && (
        <>
          <Title order={3} size="h4">
            Modifications ({preview.changesTotal})
          </Title>
          <Table withTableBorder striped aria-label="Modifications">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ligne</Table.Th>
                <Table.Th>Fiche</Table.Th>
                <Table.Th>Champ</Table.Th>
                <Table.Th>Avant</Table.Th>
                <Table.Th>Après</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.changes.flatMap((c) =>
                c.fields.map((f, i) => (
                  <Table.Tr key={`${c.entity}-${c.row}-${f.field}`}>
                    <Table.Td>{i === 0 ? c.row : ''}</Table.Td>
                    <Table.Td>{i === 0 ? `${c.entity === 'personne' ? 'Professionnel' : 'Structure'} ${c.label}` : ''}</Table.Td>
                    <Table.Td>{f.label}</Table.Td>
                    <Table.Td>{f.before ?? '—'}</Table.Td>
                    <Table.Td>{f.after ?? '—'}</Table.Td>
                  </Table.Tr>
                )),
              )}
            </Table.Tbody>
          </Table>
        </>
      )}
      {preview.rejected.length > 0 && (
        <>
          <Title order={3} size="h4">
            Lignes rejetées ({preview.rejected.length})
          </Title>
          <Table withTableBorder striped aria-label="Lignes rejetées">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ligne</Table.Th>
                <Table.Th>Motif</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.rejected.map((r) => (
                <Table.Tr key={r.row}>
                  <Table.Td>{r.row}</Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Checkbox
            label={`Importer les autres lignes sans les ${preview.rejected.length} lignes rejetées`}
            checked={accept}
            onChange={(e) => setAccept(e.currentTarget.checked)}
          />
        </>
      )}
      <HarmlessRepairs preview={preview} />
      {alerts.length > 0 && (
        <details>
          <summary>
            {alerts.length} alertes ({[...byCode.entries()].map(([k, n]) => `${warningLabel(k)} : ${n}`).join(', ')})
          </summary>
          <Table withTableBorder striped aria-label="Alertes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ligne</Table.Th>
                <Table.Th>Alerte</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {alerts.slice(0, 1000).map((w, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{w.row}</Table.Td>
                  <Table.Td>{w.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </details>
      )}
      <Group>
        <Button onClick={onCommit} loading={busy} disabled={preview.rejected.length > 0 && !accept}>
          Importer
        </Button>
      </Group>
    </Stack>
  );
}
