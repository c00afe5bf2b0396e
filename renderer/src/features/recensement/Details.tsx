import { Alert, Anchor, Badge, Button, Group, Loader, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { Person, Structure } from '../../../../shared/ipc/channels/recensement';
import { ApiError, call } from '../../api';
import { PiecesPanel } from '../../components/PiecesPanel';
import { useConvention } from '../../conventionContext';
import { formatDate, plural } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { PersonRights } from './PersonRights';
import { PeopleTable } from './RecensementPage';

function errorsOf(e: unknown): { message: string; fields: Record<string, string> } {
  if (e instanceof ApiError) return { message: e.message, fields: e.fields };
  return { message: e instanceof Error ? e.message : String(e), fields: {} };
}

const yesNo = [
  { value: '', label: 'Non renseigné' },
  { value: 'oui', label: 'Oui' },
  { value: 'non', label: 'Non' },
];
const toYesNo = (b: boolean | null) => (b === null ? '' : b ? 'oui' : 'non');
const fromYesNo = (v: string | null) => (v === 'oui' ? true : v === 'non' ? false : null);

export function PersonDetail({ id }: { id: number | null }) {
  const { refresh, refreshKey } = useConvention();
  const person = useLoad(() => (id === null ? Promise.resolve(null) : call('recensement.people.get', { id })), [id, refreshKey]);
  if (person.error) return <Alert color="red">{person.error}</Alert>;
  if (person.loading && !person.data) return <Loader aria-label="Chargement" />;
  const p = person.data ?? null;
  return (
    <Stack gap="xl">
      <Group justify="space-between">
        <Title order={1}>{p ? `${p.prenom} ${p.nom}` : 'Nouveau professionnel'}</Title>
        <Button variant="default" onClick={() => navigate('recensement')}>
          Retour à la liste
        </Button>
      </Group>
      {p && <EligibilityPanel p={p} onChange={() => refresh()} />}
      <PersonForm
        key={p?.updatedAt ?? 'new'}
        p={p}
        onSaved={(saved) => {
          refresh();
          if (!p) navigate(`recensement/personnes/${saved.id}`);
        }}
      />
      {p && <MergePanel kind="person" keepId={p.id} onMerged={() => refresh()} />}
      {p && <PiecesPanel ownerType="person" ownerId={p.id} title="Documents du professionnel" />}
      {p && <PersonRights personId={p.id} name={`${p.prenom} ${p.nom}`} />}
    </Stack>
  );
}

function EligibilityPanel({ p, onChange }: { p: Person; onChange: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function decide(eligible: boolean | null) {
    setBusy(true);
    setError(null);
    try {
      await call('recensement.people.override', { id: p.id, eligible, reason });
      setReason('');
      onChange();
    } catch (e) {
      setError(errorsOf(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Éligibilité
      </Title>
      <Group gap="xs">
        {p.eligible ? <Badge color="green" variant="light">Éligible</Badge> : <Badge color="red" variant="light">Non éligible</Badge>}
        {p.override && <Badge variant="outline">Décision de l’agent</Badge>}
      </Group>
      {p.ineligible.map((r) => (
        <Text key={r.code} size="sm">
          {r.label}
        </Text>
      ))}
      {p.warnings.map((w) => (
        <Text key={w.code} size="sm" className="fne-warning">
          ⚠ {w.label}
        </Text>
      ))}
      {p.override && (
        <Alert color="gray" title="Décision de l’agent">
          {p.override.eligible ? 'Déclaré éligible' : 'Déclaré non éligible'} le {formatDate(p.override.at)} par {p.override.by} : « {p.override.reason} »
        </Alert>
      )}
      <Group align="flex-end">
        <TextInput label="Motif de la décision" value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={420} />
        {p.eligible ? (
          <Button variant="default" loading={busy} onClick={() => void decide(false)}>
            Déclarer non éligible
          </Button>
        ) : (
          <Button variant="default" loading={busy} onClick={() => void decide(true)}>
            Déclarer éligible malgré les règles
          </Button>
        )}
        {p.override && (
          <Button variant="subtle" loading={busy} onClick={() => void decide(null)}>
            Revenir aux règles
          </Button>
        )}
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
    </Stack>
  );
}

function StructurePicker({ value, onChange, error }: { value: number | null; onChange: (v: number | null) => void; error?: string }) {
  const [search, setSearch] = useState('');
  const list = useLoad(() => call('recensement.structures.list', { search: search || undefined, limit: 50 }), [search]);
  const current = useLoad(() => (value ? call('recensement.structures.get', { id: value }) : Promise.resolve(null)), [value]);
  const data = [...(current.data ? [current.data] : []), ...(list.data?.rows ?? []).filter((s) => s.id !== value)].map((s) => ({
    value: String(s.id),
    label: `${s.name}${s.siret ? ` — ${s.siret}` : ''}`,
  }));
  return (
    <Select
      label="Structure (employeur)"
      placeholder="Rechercher une structure"
      searchable
      clearable
      data={data}
      value={value ? String(value) : null}
      onChange={(v) => onChange(v ? Number(v) : null)}
      onSearchChange={setSearch}
      error={error}
    />
  );
}

function PersonForm({ p, onSaved }: { p: Person | null; onSaved: (p: Person) => void }) {
  const [v, setV] = useState({
    nom: p?.nom ?? '',
    prenom: p?.prenom ?? '',
    email: p?.email ?? '',
    phone: p?.phone ?? '',
    profession: p?.profession ?? '',
    structureId: p?.structureId ?? null,
    conseillerNumerique: toYesNo(p?.conseillerNumerique ?? null),
    statut: p?.statut ?? '',
    uniformation: toYesNo(p?.uniformation ?? null),
    dejaSensibilise: toYesNo(p?.dejaSensibilise ?? null),
    trainingWish: p?.trainingWish ?? '',
    comment: p?.comment ?? '',
  });
  const [errors, setErrors] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof v) => (e: { currentTarget: { value: string } }) => setV({ ...v, [k]: e.currentTarget.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors(null);
    setDone(false);
    try {
      const saved = await call('recensement.people.save', {
        id: p?.id,
        values: {
          nom: v.nom,
          prenom: v.prenom,
          email: v.email || null,
          phone: v.phone || null,
          profession: v.profession || null,
          structureId: v.structureId,
          conseillerNumerique: fromYesNo(v.conseillerNumerique),
          statut: v.statut || null,
          uniformation: fromYesNo(v.uniformation),
          dejaSensibilise: fromYesNo(v.dejaSensibilise),
          trainingWish: (v.trainingWish || null) as 'AN' | 'AC' | 'AN_AC' | null,
          comment: v.comment || null,
        },
      });
      setDone(true);
      onSaved(saved);
    } catch (err) {
      setErrors(errorsOf(err));
    }
  }
  const f = errors?.fields ?? {};
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack maw={900}>
        <Title order={2} size="h3">
          Fiche
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label="Nom" required value={v.nom} onChange={set('nom')} error={f.nom} />
          <TextInput label="Prénom" required value={v.prenom} onChange={set('prenom')} error={f.prenom} />
          <TextInput label="Adresse e-mail (nominative)" value={v.email} onChange={set('email')} error={f.email} />
          <TextInput label="Téléphone" value={v.phone} onChange={set('phone')} />
          <TextInput label="Fonction" value={v.profession} onChange={set('profession')} />
          <StructurePicker value={v.structureId} onChange={(id) => setV({ ...v, structureId: id })} error={f.structureId} />
          <Select label="Conseiller numérique" data={yesNo} value={v.conseillerNumerique} onChange={(x) => setV({ ...v, conseillerNumerique: x ?? '' })} allowDeselect={false} />
          <TextInput label="Statut (salarié, agent, bénévole, service civique…)" value={v.statut} onChange={set('statut')} />
          <Select label="Employeur adhérent à Uniformation" data={yesNo} value={v.uniformation} onChange={(x) => setV({ ...v, uniformation: x ?? '' })} allowDeselect={false} />
          <Select label="Déjà sensibilisé(e) à l’inclusion numérique" data={yesNo} value={v.dejaSensibilise} onChange={(x) => setV({ ...v, dejaSensibilise: x ?? '' })} allowDeselect={false} />
          <Select
            label="Formation souhaitée"
            data={[
              { value: '', label: 'Non précisée' },
              { value: 'AN', label: 'Aidants Numériques' },
              { value: 'AC', label: 'Aidants Connect' },
              { value: 'AN_AC', label: 'Les deux' },
            ]}
            value={v.trainingWish}
            onChange={(x) => setV({ ...v, trainingWish: (x ?? '') as typeof v.trainingWish })}
            allowDeselect={false}
          />
        </SimpleGrid>
        <Textarea label="Commentaire" value={v.comment} onChange={set('comment')} autosize minRows={2} />
        {errors && (
          <Alert color="red" role="alert" title="La fiche n’a pas été enregistrée">
            {errors.message}
          </Alert>
        )}
        {done && (
          <Text c="green.8" role="status">
            Fiche enregistrée.
          </Text>
        )}
        <Group>
          <Button type="submit">Enregistrer</Button>
        </Group>
      </Stack>
    </form>
  );
}

function MergePanel({ kind, keepId, onMerged }: { kind: 'person' | 'structure'; keepId: number; onMerged: () => void }) {
  const [other, setOther] = useState<number | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function merge() {
    if (!other) return;
    setError(null);
    try {
      if (kind === 'person') await call('recensement.people.merge', { keepId, mergeId: other });
      else await call('recensement.structures.merge', { keepId, mergeId: other });
      setDone(`Fiche n° ${other} fusionnée dans celle-ci.`);
      setOther('');
      onMerged();
    } catch (e) {
      setError(errorsOf(e).message);
    }
  }
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Fusionner un doublon
      </Title>
      <Text size="sm" c="dimmed">
        Si la même {kind === 'person' ? 'personne' : 'structure'} a deux fiches, indiquez le numéro de l’autre fiche : ses informations complètent celle-ci, puis elle est
        supprimée.
      </Text>
      <Group align="flex-end">
        <NumberInput label="Numéro de la fiche en double" min={1} value={other} onChange={(x) => setOther(typeof x === 'number' ? x : '')} w={240} />
        <Button variant="default" onClick={() => void merge()} disabled={!other}>
          Fusionner
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Text size="sm" c="green.8" role="status">
          {done}
        </Text>
      )}
    </Stack>
  );
}

export function StructureDetail({ id }: { id: number | null }) {
  const { refresh, refreshKey } = useConvention();
  const s = useLoad(() => (id === null ? Promise.resolve(null) : call('recensement.structures.get', { id })), [id, refreshKey]);
  if (s.error) return <Alert color="red">{s.error}</Alert>;
  if (s.loading && !s.data) return <Loader aria-label="Chargement" />;
  const st = s.data ?? null;
  return (
    <Stack gap="xl">
      <Group justify="space-between">
        <Title order={1}>{st ? st.name : 'Nouvelle structure'}</Title>
        <Button variant="default" onClick={() => navigate('recensement/structures')}>
          Retour aux structures
        </Button>
      </Group>
      {st && (
        <Text size="sm">
          Fiche n° {st.id} — {plural(st.people, 'professionnel')} dont {plural(st.eligible, 'éligible')}
          {st.opco ? ` — OPCO : ${st.opco}` : ''}
          {!st.siret && ' — SIRET à compléter'}
        </Text>
      )}
      <StructureForm
        key={st?.updatedAt ?? 'new'}
        s={st}
        onSaved={(saved) => {
          refresh();
          if (!st) navigate(`recensement/structures/${saved.id}`);
        }}
      />
      {st && (
        <Stack>
          <Title order={2} size="h3">
            Professionnels de la structure
          </Title>
          <PeopleTable structureId={st.id} />
        </Stack>
      )}
      {st && <MergePanel kind="structure" keepId={st.id} onMerged={() => refresh()} />}
      {st && <PiecesPanel ownerType="structure" ownerId={st.id} title="Documents de la structure" />}
      <Anchor href="#/recensement">Retour au recensement</Anchor>
    </Stack>
  );
}

function StructureForm({ s, onSaved }: { s: Structure | null; onSaved: (s: Structure) => void }) {
  const [v, setV] = useState({
    name: s?.name ?? '',
    siret: s?.siret ?? s?.siren ?? '',
    type: s?.type ?? '',
    address: s?.address ?? '',
    postcode: s?.postcode ?? '',
    city: s?.city ?? '',
    departement: s?.departement ?? '',
    email: s?.email ?? '',
    note: s?.note ?? '',
  });
  const [errors, setErrors] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof v) => (e: { currentTarget: { value: string } }) => setV({ ...v, [k]: e.currentTarget.value });
  async function submit(e: FormEvent) {
    e.preventDefault();
    setErrors(null);
    setDone(false);
    try {
      const saved = await call('recensement.structures.save', {
        id: s?.id,
        values: { ...v, siret: v.siret || null, type: v.type || null, address: v.address || null, postcode: v.postcode || null, city: v.city || null, departement: v.departement || null, email: v.email || null, note: v.note || null },
      });
      setDone(true);
      onSaved(saved);
    } catch (err) {
      setErrors(errorsOf(err));
    }
  }
  const f = errors?.fields ?? {};
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Stack maw={900}>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label="Nom de la structure" required value={v.name} onChange={set('name')} error={f.name} />
          <TextInput label="SIRET" value={v.siret} onChange={set('siret')} error={f.siret} />
          <TextInput label="Type de structure" value={v.type} onChange={set('type')} />
          <TextInput label="Adresse" value={v.address} onChange={set('address')} />
          <TextInput label="Code postal" value={v.postcode} onChange={set('postcode')} error={f.postcode} />
          <TextInput label="Commune" value={v.city} onChange={set('city')} />
          <TextInput label="Département (code)" value={v.departement} onChange={set('departement')} error={f.departement} />
          <TextInput label="E-mail de contact" value={v.email} onChange={set('email')} error={f.email} />
        </SimpleGrid>
        <Textarea label="Note" value={v.note} onChange={set('note')} autosize minRows={2} />
        {errors && (
          <Alert color="red" role="alert" title="La structure n’a pas été enregistrée">
            {errors.message}
          </Alert>
        )}
        {done && (
          <Text c="green.8" role="status">
            Structure enregistrée.
          </Text>
        )}
        <Group>
          <Button type="submit">Enregistrer</Button>
        </Group>
      </Stack>
    </form>
  );
}
