import { Alert, Anchor, Badge, Button, Group, Select, Stack, Table, Tabs, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { PersonRow, Structure } from '../../../../shared/ipc/channels/recensement';
import { call } from '../../api';
import { useConvention } from '../../conventionContext';
import { formatCount, formatDate, plural } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { useRowBlocks, VirtualTable } from '../../components/VirtualTable';
import { BatchImport } from './BatchImport';
import { ImportWizard } from './ImportWizard';
import { PersonDetail, StructureDetail } from './Details';

export function RecensementPage({ route }: { route: string[] }) {
  if (route[0] === 'import') return <ImportWizard />;
  if (route[0] === 'import-plusieurs') return <BatchImport />;
  if (route[0] === 'personnes' && route[1]) return <PersonDetail id={route[1] === 'nouvelle' ? null : Number(route[1])} />;
  if (route[0] === 'structures' && route[1]) return <StructureDetail id={route[1] === 'nouvelle' ? null : Number(route[1])} />;
  const tab = route[0] === 'structures' ? 'structures' : route[0] === 'imports' ? 'imports' : 'personnes';
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Étape 2 — Recensement des besoins</Title>
        <Group>
          <Button variant="default" onClick={() => navigate('recensement/personnes/nouvelle')}>
            Saisir un professionnel
          </Button>
          <Button onClick={() => navigate('recensement/import')}>Importer une liste</Button>
        </Group>
      </Group>
      <Text c="dimmed">
        Liste des aidants de l’ANCT, tableau de suivi FNE, réponses au formulaire de candidature ou liste tenue à la main : chaque import est vérifié avant
        d’être enregistré. L’éligibilité de chaque professionnel est indiquée avec son motif.
      </Text>
      <Text size="sm">
        Pour recueillir les candidatures, envoyez aux structures le classeur pré-rempli (listes déroulantes, règles d’éligibilité) ; rempli, il s’importe ici sans correspondance à
        corriger : <Anchor href="#/documents">Formulaire de candidature à envoyer aux structures</Anchor>.
      </Text>
      <Figures />
      <Tabs value={tab} onChange={(v) => navigate(`recensement/${v === 'personnes' ? '' : v}`)}>
        <Tabs.List>
          <Tabs.Tab value="personnes">Professionnels</Tabs.Tab>
          <Tabs.Tab value="structures">Structures</Tabs.Tab>
          <Tabs.Tab value="imports">Imports</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="personnes" pt="md">
          {tab === 'personnes' && <PeopleTable />}
        </Tabs.Panel>
        <Tabs.Panel value="structures" pt="md">
          {tab === 'structures' && <StructuresTable />}
        </Tabs.Panel>
        <Tabs.Panel value="imports" pt="md">
          {tab === 'imports' && <ImportsTable />}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Figures() {
  const { refreshKey } = useConvention();
  const s = useLoad(() => call('stats.get', {}), [refreshKey]);
  const rules = useLoad(() => call('recensement.rules', {}), []);
  if (!s.data) return null;
  const label = (code: string) => rules.data?.ineligible.find((r) => r.code === code)?.label.split(':')[0] ?? code;
  return (
    <Group gap="xs" role="status" aria-label="Chiffres du recensement">
      <Badge size="lg" variant="light">
        {plural(s.data.people, 'professionnel')}
      </Badge>
      <Badge size="lg" variant="light">
        {plural(s.data.structures, 'structure')}
      </Badge>
      <Badge size="lg" color="green" variant="light">
        {plural(s.data.eligible, 'éligible')}
      </Badge>
      {Object.entries(s.data.ineligible).map(([code, n]) => (
        <Badge key={code} size="lg" color="red" variant="light">
          {label(code)} : {formatCount(n)}
        </Badge>
      ))}
    </Group>
  );
}

function SortHeader<S extends string>({ label, field, sort, setSort }: { label: string; field: S; sort: { by: S; dir: 'asc' | 'desc' }; setSort: (s: { by: S; dir: 'asc' | 'desc' }) => void }) {
  const active = sort.by === field;
  return (
    <Table.Th aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => setSort({ by: field, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' })} fw={700} fz="sm">
        {label} {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

type PeopleSort = 'nom' | 'prenom' | 'email' | 'structure' | 'training' | 'eligible';

export function PeopleTable({ structureId }: { structureId?: number }) {
  const { refreshKey } = useConvention();
  const rules = useLoad(() => call('recensement.rules', {}), []);
  const [search, setSearch] = useState('');
  const [eligibility, setEligibility] = useState<'all' | 'eligible' | 'ineligible'>('all');
  const [reason, setReason] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);
  const [training, setTraining] = useState<string | null>(null);
  const [priority, setPriority] = useState<'agents_publics' | null>(null);
  const [sort, setSort] = useState<{ by: PeopleSort; dir: 'asc' | 'desc' }>({ by: 'nom', dir: 'asc' });
  // Every filter goes to the services; the table fetches the matching rows by blocks as it scrolls.
  const query = {
    search: search || undefined,
    eligibility,
    reason: reason ?? undefined,
    warning: warning ?? undefined,
    training: (training as 'AN' | 'AC' | 'AN_AC' | 'none' | null) ?? undefined,
    priority: priority ?? undefined,
    structureId,
    sort: sort.by,
    dir: sort.dir,
  };
  const rows = useRowBlocks(query, refreshKey, (offset, limit) => call('recensement.people.list', { ...query, offset, limit }));
  return (
    <Stack gap="sm">
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Rechercher" placeholder="Nom, e-mail ou structure" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={240} />
        <Select
          label="Éligibilité"
          data={[
            { value: 'all', label: 'Tous' },
            { value: 'eligible', label: 'Éligibles' },
            { value: 'ineligible', label: 'Non éligibles' },
          ]}
          value={eligibility}
          onChange={(v) => setEligibility((v as 'all' | 'eligible' | 'ineligible') ?? 'all')}
          allowDeselect={false}
          w={160}
        />
        <Select
          label="Motif de non-éligibilité"
          placeholder="Tous"
          clearable
          data={(rules.data?.ineligible ?? []).map((r) => ({ value: r.code, label: r.label.split(':')[0] }))}
          value={reason}
          onChange={setReason}
          w={230}
        />
        <Select
          label="Alerte"
          placeholder="Toutes"
          clearable
          data={(rules.data?.warnings ?? []).map((r) => ({ value: r.code, label: r.label.split(':')[0] }))}
          value={warning}
          onChange={setWarning}
          w={230}
        />
        <Select
          label="Formation souhaitée"
          placeholder="Toutes"
          clearable
          data={[...(rules.data?.trainings ?? []).map((r) => ({ value: r.code, label: r.label })), { value: 'none', label: 'Non précisée' }]}
          value={training}
          onChange={setTraining}
          w={200}
        />
        <Select
          label="Priorité du guide"
          placeholder="Tous"
          clearable
          data={[{ value: 'agents_publics', label: 'Agents publics (collectivités, État)' }]}
          value={priority}
          onChange={(v) => setPriority(v as 'agents_publics' | null)}
          w={260}
        />
      </Group>
      <Text size="sm" aria-live="polite">
        {rows.total !== null ? plural(rows.total, 'professionnel') : 'Chargement…'}
      </Text>
      <VirtualTable
        label="Professionnels recensés"
        widths={['12%', '10%', '24%', '21%', '10%', '23%']}
        rows={rows}
        rowHeight={56}
        empty="Aucun professionnel ne correspond à ces critères."
        renderCells={(p) => <PersonCells p={p} />}
        header={
          <Table.Tr aria-rowindex={1}>
            <SortHeader label="Nom" field="nom" sort={sort} setSort={setSort} />
            <SortHeader label="Prénom" field="prenom" sort={sort} setSort={setSort} />
            <SortHeader label="E-mail" field="email" sort={sort} setSort={setSort} />
            <SortHeader label="Structure" field="structure" sort={sort} setSort={setSort} />
            <SortHeader label="Formation" field="training" sort={sort} setSort={setSort} />
            <SortHeader label="Éligibilité" field="eligible" sort={sort} setSort={setSort} />
          </Table.Tr>
        }
      />
    </Stack>
  );
}

const trainingShort = { AN: 'AN', AC: 'AC', AN_AC: 'AN + AC' } as const;

/** A row of the people table: one height for all, long texts end with « … » and are whole in the tooltip. */
function PersonCells({ p }: { p: PersonRow }) {
  const reasons = p.eligible ? [] : p.ineligible;
  // The reason's short name (before « : ») in the row; its whole sentence in the tooltip and on the person's page.
  const short = [...(p.publicAgent ? ['Agent public (prioritaire)'] : []), ...reasons.map((r) => r.label.split(':')[0]), ...p.warnings.map((w) => `⚠ ${w.label.split(':')[0]}`)].join(' · ');
  const whole = [...reasons, ...p.warnings].map((r) => r.label).join('\n');
  return (
    <>
      <Table.Td title={p.nom}>
        <Anchor href={`#/recensement/personnes/${p.id}`}>{p.nom}</Anchor>
      </Table.Td>
      <Table.Td title={p.prenom}>{p.prenom}</Table.Td>
      <Table.Td title={p.email ?? undefined}>{p.email ?? '—'}</Table.Td>
      <Table.Td title={p.structureName ?? undefined}>{p.structureId ? <Anchor href={`#/recensement/structures/${p.structureId}`}>{p.structureName}</Anchor> : '—'}</Table.Td>
      <Table.Td>{p.trainingWish ? trainingShort[p.trainingWish] : '—'}</Table.Td>
      <Table.Td title={whole || undefined}>
        {p.eligible ? (
          <Badge color="green" variant="light">
            Éligible{p.overridden ? ' (décision)' : ''}
          </Badge>
        ) : (
          <Badge color="red" variant="light">
            Non éligible{p.overridden ? ' (décision)' : ''}
          </Badge>
        )}
        {short && (
          <Text size="xs" className={reasons.length || p.warnings.length === 0 ? undefined : 'fne-warning'}>
            {short}
          </Text>
        )}
      </Table.Td>
    </>
  );
}

type StructSort = 'name' | 'siret' | 'type' | 'city' | 'departement' | 'people';

function StructuresTable() {
  const { refreshKey } = useConvention();
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ by: StructSort; dir: 'asc' | 'desc' }>({ by: 'name', dir: 'asc' });
  const query = { search: search || undefined, sort: sort.by, dir: sort.dir };
  const rows = useRowBlocks(query, refreshKey, (offset, limit) => call('recensement.structures.list', { ...query, offset, limit }));
  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <TextInput label="Rechercher une structure" placeholder="Nom, SIRET ou commune" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={280} />
        <Button variant="default" onClick={() => navigate('recensement/structures/nouvelle')}>
          Nouvelle structure
        </Button>
      </Group>
      <Text size="sm" aria-live="polite">
        {rows.total !== null ? plural(rows.total, 'structure') : 'Chargement…'}
      </Text>
      <VirtualTable
        label="Structures"
        widths={['30%', '17%', '13%', '15%', '9%', '16%']}
        rows={rows}
        empty="Aucune structure ne correspond à cette recherche."
        renderCells={(s: Structure) => <StructureCells s={s} />}
        header={
          <Table.Tr aria-rowindex={1}>
            <SortHeader label="Structure" field="name" sort={sort} setSort={setSort} />
            <SortHeader label="SIRET" field="siret" sort={sort} setSort={setSort} />
            <SortHeader label="Type" field="type" sort={sort} setSort={setSort} />
            <SortHeader label="Commune" field="city" sort={sort} setSort={setSort} />
            <SortHeader label="Département" field="departement" sort={sort} setSort={setSort} />
            <SortHeader label="Professionnels" field="people" sort={sort} setSort={setSort} />
          </Table.Tr>
        }
      />
    </Stack>
  );
}

function StructureCells({ s }: { s: Structure }) {
  return (
    <>
      <Table.Td title={s.name}>
        <Anchor href={`#/recensement/structures/${s.id}`}>{s.name}</Anchor>
      </Table.Td>
      <Table.Td ff="monospace">{s.siret ?? (s.siren ? `${s.siren} (SIREN seul)` : '—')}</Table.Td>
      <Table.Td title={s.type ?? undefined}>{s.type ?? '—'}</Table.Td>
      <Table.Td title={s.city ?? undefined}>{s.city ?? '—'}</Table.Td>
      <Table.Td>{s.departement ?? '—'}</Table.Td>
      <Table.Td>
        {s.people} ({plural(s.eligible, 'éligible')})
      </Table.Td>
    </>
  );
}

function ImportsTable() {
  const { refreshKey } = useConvention();
  const list = useLoad(() => call('recensement.imports.list', {}), [refreshKey]);
  if (list.error) return <Alert color="red">{list.error}</Alert>;
  if (list.data && list.data.length === 0) return <Text c="dimmed">Aucun import pour l’instant.</Text>;
  return (
    <Table striped withTableBorder aria-label="Imports réalisés">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Fichier</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th>Lignes</Table.Th>
          <Table.Th>Professionnels</Table.Th>
          <Table.Th>Structures</Table.Th>
          <Table.Th>Rejets / alertes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(list.data ?? []).map((i) => (
          <Table.Tr key={i.id}>
            <Table.Td>{formatDate(i.importedAt)}</Table.Td>
            <Table.Td>
              {i.fileName}
              <Text size="xs" c="dimmed" ff="monospace">
                SHA-256 {i.sha256.slice(0, 12)}…
              </Text>
            </Table.Td>
            <Table.Td>{i.kindLabel}</Table.Td>
            <Table.Td>{i.rows}</Table.Td>
            <Table.Td>
              {i.people.created} nouveaux, {i.people.updated} modifiés, {i.people.unchanged} inchangés
            </Table.Td>
            <Table.Td>
              {i.structures.created} nouvelles, {i.structures.updated} modifiées
            </Table.Td>
            <Table.Td>
              {i.rejected} / {i.warnings}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
