// Training organisations: list with the Qualiopi badge, detail (identity, Qualiopi, ANCT,
// trainings, pièces), and the check against the public list of OF.
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Organisme, OrganismeInput, PublicCheck } from '../../../../shared/ipc/channels/marche';
import { ApiError, call } from '../../api';
import { PiecesPanel } from '../../components/PiecesPanel';
import { formatCents, formatDate } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { DateField, errorOf, EurosField, FieldErrors, KIND_OPTIONS } from './common';

const QUALIOPI_COLOR = { valide: 'green', expire_bientot: 'orange', expire: 'red', pas_encore: 'red', absent: 'red', interne: 'gray' } as const;

export function QualiopiBadge({ of }: { of: Pick<Organisme, 'qualiopi'> }) {
  return (
    // min-width: the status is read whole, the table column makes room for it (never « Formateurs inte… »).
    <Badge color={QUALIOPI_COLOR[of.qualiopi.status]} variant="light" miw="max-content">
      {of.qualiopi.label}
    </Badge>
  );
}

export function OrganismeList() {
  const { data, error, loading } = useLoad(() => call('marche.of.list', {}), []);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Organismes de formation</Title>
        <Button onClick={() => navigate('marche/organismes/nouveau')}>Nouvel organisme</Button>
      </Group>
      <Anchor href="#/marche">← Retour au marché de formation</Anchor>
      {error && <Alert color="red">{error}</Alert>}
      {loading && !data && <Loader aria-label="Chargement" />}
      {data && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Organisme</Table.Th>
              <Table.Th>SIRET</Table.Th>
              <Table.Th>NDA</Table.Th>
              <Table.Th>Qualiopi (actions de formation)</Table.Th>
              <Table.Th>Valide jusqu’au</Table.Th>
              <Table.Th>Référencé ANCT</Table.Th>
              <Table.Th>Formations</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>
                  <Anchor href={`#/marche/organismes/${o.id}`}>{o.name}</Anchor>
                  {o.warnings.length > 0 && (
                    <Text size="xs" fw={600}>
                      {o.warnings.length} point{o.warnings.length > 1 ? 's' : ''} à vérifier
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{o.siret ?? '—'}</Table.Td>
                <Table.Td>{o.nda ?? '—'}</Table.Td>
                <Table.Td>
                  <QualiopiBadge of={o} />
                </Table.Td>
                <Table.Td>{formatDate(o.qualiopiValidUntil)}</Table.Td>
                <Table.Td>{o.isInternal ? 'sans objet (AN seulement)' : o.anctReferencedDate ? `oui, le ${formatDate(o.anctReferencedDate)}` : 'non'}</Table.Td>
                <Table.Td>{o.trainings.map((t) => t.kind).join(', ') || '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <PublicListPanel />
    </Stack>
  );
}

/** Import of the public list (streamed in pieces from the picked file) and check by SIRET/SIREN/NDA. */
export function PublicListPanel() {
  const status = useLoad(() => call('marche.publicList.status', {}), []);
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<PublicCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ uploadId: string; fileName: string; message: string } | null>(null);

  // Pieces of bytes, decoded by the service (UTF-8, BOM or Windows-1252 with its € ’ œ).
  async function importFile(file: File) {
    setError(null);
    setConfirm(null);
    const uploadId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const reader = file.stream().getReader();
    let sent = 0;
    try {
      let pending: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (value) {
          sent += value.byteLength;
          pending.push(value);
          size += value.byteLength;
        }
        if (size >= 700_000 || done) {
          const piece = new Uint8Array(size);
          let o = 0;
          for (const p of pending) (piece.set(p, o), (o += p.byteLength));
          pending = [];
          size = 0;
          let binary = '';
          for (let i = 0; i < piece.length; i += 0x8000) binary += String.fromCharCode(...piece.subarray(i, i + 0x8000));
          const r = await call('marche.publicList.importChunk', { uploadId, fileName: file.name, bytesBase64: btoa(binary), last: done });
          setProgress(done ? `Import terminé : ${r.result?.rows ?? 0} organismes.` : `Lecture… ${Math.round((sent / file.size) * 100)} % (${r.rowsSoFar} organismes)`);
        }
        if (done) break;
      }
      status.reload();
    } catch (e) {
      const err = errorOf(e);
      // A much shorter list than the stored one: the upload is kept until the officer decides.
      if (e instanceof ApiError && e.code === 'conflict' && err.fields.confirmShrink) setConfirm({ uploadId, fileName: file.name, message: err.message });
      else setError(err.message);
      setProgress(null);
    }
  }

  async function confirmReplace() {
    if (!confirm) return;
    setError(null);
    try {
      const r = await call('marche.publicList.importChunk', { uploadId: confirm.uploadId, fileName: confirm.fileName, last: true, confirmShrink: true });
      setProgress(`Import terminé : ${r.result?.rows ?? 0} organismes.`);
      setConfirm(null);
      status.reload();
    } catch (e) {
      setConfirm(null);
      setError(errorOf(e).message);
    }
  }

  async function check() {
    setError(null);
    setResult(null);
    try {
      setResult(await call('marche.of.check', { query }));
    } catch (e) {
      setError(errorOf(e).message);
    }
  }

  return (
    <section aria-labelledby="public-list-title">
      <Title order={2} size="h3" id="public-list-title" mt="lg">
        Liste publique des organismes de formation
      </Title>
      <Text size="sm" c="dimmed">
        Fichier CSV de data.gouv.fr (« liste publique des organismes de formation »), importé hors ligne.{' '}
        {status.data?.importedAt ? `Dernier import : ${status.data.fileName}, ${formatDate(status.data.importedAt)}, ${status.data.rows} organismes.` : 'Pas encore importée.'}
      </Text>
      <Group align="flex-end" mt="xs">
        <TextInput
          type="file"
          label="Importer la liste (CSV)"
          accept=".csv,text/csv"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void importFile(f);
          }}
          w={320}
        />
      </Group>
      {progress && (
        <Text size="sm" role="status" mt="xs">
          {progress}
        </Text>
      )}
      {confirm && (
        <Alert color="orange" role="alert" mt="xs" title="Remplacer la liste par une liste bien plus courte ?">
          <Text size="sm">{confirm.message}</Text>
          <Group mt="xs">
            <Button color="orange" onClick={() => void confirmReplace()}>
              Remplacer quand même
            </Button>
            <Button variant="default" onClick={() => setConfirm(null)}>
              Garder la liste actuelle
            </Button>
          </Group>
        </Alert>
      )}
      <Group align="flex-end" mt="md">
        <TextInput label="SIRET, SIREN ou NDA à vérifier" value={query} onChange={(e) => setQuery(e.currentTarget.value)} w={260} />
        <Button variant="default" onClick={() => void check()} disabled={query.trim() === ''}>
          Vérifier
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error}
        </Alert>
      )}
      {result && (
        <Alert mt="xs" color={!result.found ? 'gray' : result.qualiopi_actions_formation ? 'green' : 'red'} title={result.found ? (result.denomination ?? '') : 'Non trouvé'} role="status">
          {result.message}
          {result.found && (
            <Text size="sm">
              NDA {result.nda ?? '—'} — SIRET {result.siret ?? '—'}
            </Text>
          )}
        </Alert>
      )}
    </section>
  );
}

type FormState = Record<keyof OrganismeInput, string> & { qualiopi: boolean };

function toForm(o?: Organisme): FormState {
  return {
    name: o?.name ?? '',
    siret: o?.siret ?? '',
    nda: o?.nda ?? '',
    address: o?.address ?? '',
    postcode: o?.postcode ?? '',
    city: o?.city ?? '',
    contactName: o?.contactName ?? '',
    contactEmail: o?.contactEmail ?? '',
    contactPhone: o?.contactPhone ?? '',
    qualiopiActionsFormation: '',
    qualiopi: o?.qualiopiActionsFormation ?? false,
    qualiopiIssuer: o?.qualiopiIssuer ?? '',
    qualiopiNumber: o?.qualiopiNumber ?? '',
    qualiopiValidFrom: o?.qualiopiValidFrom ?? '',
    qualiopiValidUntil: o?.qualiopiValidUntil ?? '',
    anctReferencedDate: o?.anctReferencedDate ?? '',
    anctReferenceNote: o?.anctReferenceNote ?? '',
    notes: o?.notes ?? '',
  };
}

function OrganismeForm({ existing, onSaved }: { existing?: Organisme; onSaved: (o: Organisme) => void }) {
  const [f, setF] = useState<FormState>(() => toForm(existing));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const internal = existing?.isInternal ?? false;
  const set = (k: keyof FormState) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value; // read now: the event is gone when the updater runs
    setF((s) => ({ ...s, [k]: value }));
  };
  const setV = (k: keyof FormState) => (v: string) => setF((s) => ({ ...s, [k]: v }));

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    const nul = (s: string) => (s.trim() === '' ? null : s);
    const input: OrganismeInput = {
      name: f.name,
      siret: internal ? null : nul(f.siret),
      nda: nul(f.nda),
      address: nul(f.address),
      postcode: nul(f.postcode),
      city: nul(f.city),
      contactName: nul(f.contactName),
      contactEmail: nul(f.contactEmail),
      contactPhone: nul(f.contactPhone),
      qualiopiActionsFormation: f.qualiopi,
      qualiopiIssuer: nul(f.qualiopiIssuer),
      qualiopiNumber: nul(f.qualiopiNumber),
      qualiopiValidFrom: nul(f.qualiopiValidFrom),
      qualiopiValidUntil: nul(f.qualiopiValidUntil),
      anctReferencedDate: nul(f.anctReferencedDate),
      anctReferenceNote: nul(f.anctReferenceNote),
      notes: nul(f.notes),
    };
    try {
      const o = existing ? await call('marche.of.update', { id: existing.id, patch: input }) : await call('marche.of.create', input);
      onSaved(o);
    } catch (e) {
      const err = errorOf(e);
      setError(err.message);
      setFields(err.fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack>
        <Title order={2} size="h3">
          Identité
        </Title>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <TextInput label="Nom de l’organisme" value={f.name} onChange={set('name')} error={fields.name} required />
          {!internal && <TextInput label="SIRET" value={f.siret} onChange={set('siret')} error={fields.siret} required />}
          {!internal && <TextInput label="NDA (numéro de déclaration d’activité)" description="11 chiffres" value={f.nda} onChange={set('nda')} error={fields.nda} />}
          <TextInput label="Adresse" value={f.address} onChange={set('address')} />
          <TextInput label="Code postal" value={f.postcode} onChange={set('postcode')} />
          <TextInput label="Ville" value={f.city} onChange={set('city')} />
          <TextInput label="Contact" value={f.contactName} onChange={set('contactName')} />
          <TextInput label="Courriel du contact" value={f.contactEmail} onChange={set('contactEmail')} error={fields.contactEmail} />
          <TextInput label="Téléphone" value={f.contactPhone} onChange={set('contactPhone')} />
        </SimpleGrid>
        {!internal && (
          <>
            <Title order={2} size="h3">
              Certification Qualiopi et référencement ANCT
            </Title>
            <Checkbox label="Certifié Qualiopi pour les actions de formation" checked={f.qualiopi} onChange={(e) => {
                const checked = e.currentTarget.checked;
                setF((s) => ({ ...s, qualiopi: checked }));
              }} error={fields.qualiopiActionsFormation} />
            <Group align="flex-start">
              <TextInput label="Organisme certificateur" value={f.qualiopiIssuer} onChange={set('qualiopiIssuer')} error={fields.qualiopiIssuer} w={240} />
              <TextInput label="Numéro du certificat" value={f.qualiopiNumber} onChange={set('qualiopiNumber')} w={200} />
              <DateField label="Valide du" value={f.qualiopiValidFrom} onChange={setV('qualiopiValidFrom')} error={fields.qualiopiValidFrom} />
              <DateField label="Valide jusqu’au" value={f.qualiopiValidUntil} onChange={setV('qualiopiValidUntil')} error={fields.qualiopiValidUntil} />
            </Group>
            <Group align="flex-start">
              <DateField label="Référencé par l’ANCT le" value={f.anctReferencedDate} onChange={setV('anctReferencedDate')} error={fields.anctReferencedDate} />
              <TextInput label="Référence ou courriel de l’ANCT" value={f.anctReferenceNote} onChange={set('anctReferenceNote')} w={320} />
            </Group>
            <Text size="xs" c="dimmed">
              Après le choix de l’organisme, le Conseil départemental le référence auprès de l’ANCT, pour tout type de formation, avant les sessions (ce n’est pas une condition de la commande). Enregistrez ici la date, et joignez le certificat Qualiopi et la preuve du référencement ci-dessous après l’enregistrement.
            </Text>
          </>
        )}
        {error && (
          <Alert color="red" role="alert" title="L’organisme n’a pas été enregistré">
            {error}
            <FieldErrors fields={fields} />
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            Enregistrer l’organisme
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function OrganismeNew() {
  return (
    <Stack>
      <Title order={1}>Nouvel organisme de formation</Title>
      <Anchor href="#/marche/organismes">← Organismes de formation</Anchor>
      <OrganismeForm onSaved={(o) => navigate(`marche/organismes/${o.id}`)} />
    </Stack>
  );
}

export function OrganismeDetail({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => call('marche.of.get', { id }), [id]);
  const [saved, setSaved] = useState(false);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader aria-label="Chargement" />;
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>{data.name}</Title>
        <QualiopiBadge of={data} />
      </Group>
      <Anchor href="#/marche/organismes">← Organismes de formation</Anchor>
      {data.qualiopi.status === 'expire_bientot' && (
        <Alert color="orange" title="Certification Qualiopi bientôt expirée">
          Le certificat expire le {formatDate(data.qualiopiValidUntil)} (dans {data.qualiopi.daysLeft} jours) : demandez le nouveau certificat avant toute nouvelle commande.
        </Alert>
      )}
      {data.warnings.length > 0 && (
        <Alert color="yellow" title="Points à vérifier">
          <Stack gap={2}>
            {data.warnings.map((w) => (
              <Text size="sm" key={w}>
                {w}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {saved && (
        <Text role="status" size="sm" fw={600}>
          Organisme enregistré.
        </Text>
      )}
      <OrganismeForm
        key={data.id + (data.qualiopiValidUntil ?? '')}
        existing={data}
        onSaved={() => {
          setSaved(true);
          reload();
        }}
      />
      <Trainings of={data} onChange={reload} />
      {!data.isInternal && <PiecesPanel ownerType="organisme" ownerId={data.id} title="Certificat Qualiopi et preuve de référencement" onChange={reload} />}
    </Stack>
  );
}

function Trainings({ of, onChange }: { of: Organisme; onChange: () => void }) {
  const [kind, setKind] = useState<string | null>(of.isInternal ? 'AN' : null);
  const [title, setTitle] = useState('');
  const [hours, setHours] = useState('');
  const [price, setPrice] = useState('');
  const [unit, setUnit] = useState<string | null>('place');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  async function add() {
    setError(null);
    try {
      await call('marche.of.addTraining', {
        organismeId: of.id,
        kind: (kind ?? 'AN') as 'AN',
        title,
        hours: hours.trim() === '' ? null : Number(hours.replace(',', '.')),
        // The price as typed: the services read it (an empty field is no price).
        priceCents: price,
        priceUnit: price.trim() === '' ? null : (unit as 'place' | 'session'),
      });
      setTitle('');
      setHours('');
      setPrice('');
      onChange();
    } catch (e) {
      setError(errorOf(e));
    }
  }
  return (
    <section aria-labelledby="trainings-title">
      <Title order={2} size="h3" id="trainings-title" mb="xs">
        Formations proposées
      </Title>
      {of.trainings.length === 0 ? (
        <Text size="sm" c="dimmed">
          Aucune formation enregistrée.
        </Text>
      ) : (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Type</Table.Th>
              <Table.Th>Intitulé</Table.Th>
              <Table.Th>Durée</Table.Th>
              <Table.Th>Prix</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {of.trainings.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>{t.kindLabel}</Table.Td>
                <Table.Td>{t.title}</Table.Td>
                <Table.Td>{t.hours === null ? '—' : `${String(t.hours).replace('.', ',')} h`}</Table.Td>
                <Table.Td>{t.priceCents === null ? '—' : `${formatCents(t.priceCents)} par ${t.priceUnit}`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" mt="sm">
        <Select label="Type de formation" data={of.isInternal ? KIND_OPTIONS.slice(0, 1) : KIND_OPTIONS} value={kind} onChange={setKind} w={260} />
        <TextInput label="Intitulé" value={title} onChange={(e) => setTitle(e.currentTarget.value)} w={260} />
        <TextInput label="Durée (heures)" value={hours} onChange={(e) => setHours(e.currentTarget.value)} w={120} />
        <EurosField label="Prix" value={price} onChange={setPrice} error={error?.fields.priceCents} />
        <Select
          label="Prix par"
          data={[
            { value: 'place', label: 'place' },
            { value: 'session', label: 'session' },
          ]}
          value={unit}
          onChange={setUnit}
          w={120}
        />
        <Button variant="default" onClick={() => void add()} disabled={!kind || title.trim() === ''}>
          Ajouter la formation
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error.message}
        </Alert>
      )}
    </section>
  );
}
