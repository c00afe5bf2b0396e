// Create or edit a session: kind, who trains (an order of the convention, or the CD's internal
// trainers), title, modality and place, half-days, capacity, trainers, cohort. The service checks
// everything and answers field by field; the default capacity comes from sessions.options.
import { Alert, Anchor, Button, Fieldset, Group, Loader, Radio, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SessionDetail, SessionValuesInput } from '../../../../shared/ipc/channels/sessions';
import type { OutputOf } from '../../../../shared/ipc/contract';
import { call } from '../../api';
import { DateField } from '../../components/DateField';
import { useConvention } from '../../conventionContext';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { errorOf } from './common';

type Kind = SessionValuesInput['kind'];
interface HalfDayDraft {
  key: number;
  date: string;
  period: 'matin' | 'apres_midi';
  start: string;
  end: string;
  /** Combined AN + AC training: the part this half-day belongs to ('both' = both parts, not split). */
  part: 'both' | 'AN' | 'AC';
}

const INTERNAL = 'internes';
let nextKey = 1;
const emptyHalfDay = (period: 'matin' | 'apres_midi' = 'matin', date = ''): HalfDayDraft => ({ key: nextKey++, date, period, start: '', end: '', part: 'both' });

export function SessionForm({ id }: { id: number | null }) {
  const { conventionId } = useConvention();
  const existing = useLoad(() => (id === null ? Promise.resolve(null) : call('sessions.get', { id })), [id]);
  const convId = existing.data?.conventionId ?? conventionId;
  const options = useLoad(() => (convId === null ? Promise.resolve(null) : call('sessions.options', { conventionId: convId })), [convId]);
  if (id !== null && existing.error) return <Alert color="red">{existing.error}</Alert>;
  if (convId === null) return <Alert>Choisissez ou créez d’abord une convention.</Alert>;
  if (!options.data || (id !== null && !existing.data)) return <Loader aria-label="Chargement" />;
  return <Form id={id} conventionId={convId} existing={existing.data ?? null} options={options.data} />;
}

type Options = OutputOf<'sessions.options'>;

function Form({ id, conventionId, existing, options }: { id: number | null; conventionId: number; existing: SessionDetail | null; options: Options }) {
  const [kind, setKind] = useState<Kind | null>(existing?.kind ?? null);
  const [by, setBy] = useState<string | null>(existing ? (existing.internal ? INTERNAL : existing.orderId !== null ? String(existing.orderId) : null) : null);
  const [title, setTitle] = useState(existing?.title ?? '');
  const [modality, setModality] = useState<'presentiel' | 'distance'>(existing?.modality ?? 'presentiel');
  const [place, setPlace] = useState(existing?.place ?? '');
  const [capacity, setCapacity] = useState(existing ? String(existing.capacity) : '');
  const [trainers, setTrainers] = useState((existing?.trainers ?? []).join('\n'));
  const [cohort, setCohort] = useState<string | null>(existing?.cohortId ? String(existing.cohortId) : null);
  const [note, setNote] = useState(existing?.note ?? '');
  const [halfDays, setHalfDays] = useState<HalfDayDraft[]>(() =>
    existing ? existing.halfDays.map((h) => ({ key: nextKey++, date: h.date, period: h.period, start: h.start, end: h.end, part: h.part ?? 'both' })) : [emptyHalfDay('matin'), emptyHalfDay('apres_midi')],
  );
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [busy, setBusy] = useState(false);

  // Choosing an order sets the kind it was bought for (the service checks they match).
  useEffect(() => {
    if (by && by !== INTERNAL) {
      const o = options.orders.find((x) => String(x.id) === by);
      if (o && kind !== o.kind && !existing) setKind(o.kind);
    }
  }, [by]); // eslint-disable-line react-hooks/exhaustive-deps

  const kindInfo = options.kinds.find((k) => k.code === kind);
  const setHalfDay = (key: number, patch: Partial<HalfDayDraft>) => setHalfDays((list) => list.map((h) => (h.key === key ? { ...h, ...patch } : h)));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (!kind) {
      setError({ message: 'La session ne peut pas être enregistrée.', fields: { kind: 'Choisissez le type de formation.' } });
      return;
    }
    const values: SessionValuesInput = {
      kind,
      title,
      orderId: by && by !== INTERNAL ? Number(by) : null,
      internal: by === INTERNAL,
      modality,
      place: place || null,
      capacity: capacity.trim() === '' ? undefined : Number(capacity),
      trainers: trainers.split('\n').map((t) => t.trim()).filter(Boolean),
      cohortId: cohort ? Number(cohort) : null,
      note: note || null,
      halfDays: halfDays.map((h) => ({ date: h.date, period: h.period, start: h.start.trim() || undefined, end: h.end.trim() || undefined, part: kind === 'AN_AC' && h.part !== 'both' ? h.part : null })),
    };
    if (values.capacity !== undefined && !Number.isInteger(values.capacity)) {
      setError({ message: 'La session ne peut pas être enregistrée.', fields: { capacity: 'La capacité est un nombre entier de places.' } });
      return;
    }
    setBusy(true);
    try {
      const s = id === null ? await call('sessions.create', { conventionId, ...values }) : await call('sessions.update', { id, values });
      navigate(`sessions/${s.id}`);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const f = error?.fields ?? {};
  const orderOptions = options.orders.map((o) => ({
    value: String(o.id),
    label: `${o.number} — ${o.organismeName} — ${o.label} (${o.seatsUsed}/${o.seats} places)`,
  }));
  const byOptions = [...orderOptions, { value: INTERNAL, label: options.internalOrganisme ? `Formateurs internes — ${options.internalOrganisme.name} (AN)` : 'Formateurs internes du Conseil départemental (AN)' }];
  const halfDayErrors = Object.entries(f).filter(([k]) => k.startsWith('halfDays'));

  return (
    <Stack>
      <Title order={1}>{existing ? `Modifier la session « ${existing.title} »` : 'Nouvelle session'}</Title>
      <Anchor href={existing ? `#/sessions/${existing.id}` : '#/sessions'}>{existing ? '← Retour à la session' : '← Sessions'}</Anchor>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={existing ? 'Modifier la session' : 'Nouvelle session'}>
        <Stack maw={860}>
          <Group align="flex-start">
            <Select
              label="Animée par"
              description="Bon de commande de l’organisme, ou formateurs internes"
              placeholder="Choisir"
              data={byOptions}
              value={by}
              onChange={setBy}
              error={f.orderId ?? f.internal}
              w={860}
              maw="100%"
              required
            />
          </Group>
          <Group align="flex-start">
            <Select
              label="Type de formation"
              data={options.kinds.map((k) => ({ value: k.code, label: k.label }))}
              value={kind}
              onChange={(v) => setKind(v as Kind | null)}
              error={f.kind}
              w={300}
              required
            />
          </Group>
          {options.orders.length === 0 && (
            <Text size="sm" c="dimmed">
              Aucun bon de commande pour cette convention : une session achetée à un organisme se crée après la commande (étape 3, <Anchor href="#/marche">Marché de formation</Anchor>).
            </Text>
          )}
          <TextInput label="Intitulé" description="ex. « Aidants Connect — agents France Services de Guéret »" value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={f.title} required />
          <Radio.Group label="Modalité" value={modality} onChange={(v) => setModality(v as 'presentiel' | 'distance')} required>
            <Group mt={4}>
              <Radio value="presentiel" label="Présentiel" />
              <Radio value="distance" label="À distance" />
            </Group>
          </Radio.Group>
          <TextInput
            label={modality === 'distance' ? 'Lien de connexion' : 'Lieu'}
            description={modality === 'distance' ? 'Adresse de la visioconférence, ou l’outil utilisé' : 'Salle et adresse'}
            value={place}
            onChange={(e) => setPlace(e.currentTarget.value)}
            error={f.place}
            required
          />
          <Fieldset legend="Demi-journées">
            <Stack gap="sm">
              {halfDays.map((h, i) => (
                <Fieldset key={h.key} legend={`Demi-journée ${i + 1}`} variant="unstyled">
                  <Group align="flex-start" wrap="wrap">
                    <DateField label="Date" value={h.date} onChange={(v) => setHalfDay(h.key, { date: v })} error={f[`halfDays.${i}.date`]} w={170} required />
                    <Select
                      label="Moment"
                      data={[
                        { value: 'matin', label: 'Matin' },
                        { value: 'apres_midi', label: 'Après-midi' },
                      ]}
                      value={h.period}
                      onChange={(v) => setHalfDay(h.key, { period: (v as 'matin' | 'apres_midi') ?? 'matin' })}
                      allowDeselect={false}
                      w={150}
                    />
                    <TextInput label="Début" placeholder="HH:MM" value={h.start} onChange={(e) => setHalfDay(h.key, { start: e.currentTarget.value })} error={f[`halfDays.${i}.start`]} w={110} />
                    <TextInput label="Fin" placeholder="HH:MM" value={h.end} onChange={(e) => setHalfDay(h.key, { end: e.currentTarget.value })} error={f[`halfDays.${i}.end`]} w={110} />
                    {kind === 'AN_AC' && (
                      <Select
                        label="Partie"
                        aria-label={`Partie de la demi-journée ${i + 1}`}
                        data={[
                          { value: 'both', label: 'Les deux parties' },
                          { value: 'AN', label: 'Partie Aidant Numérique' },
                          { value: 'AC', label: 'Partie Aidants Connect' },
                        ]}
                        value={h.part}
                        onChange={(v) => setHalfDay(h.key, { part: (v ?? 'both') as HalfDayDraft['part'] })}
                        allowDeselect={false}
                        w={230}
                      />
                    )}
                    <Button variant="subtle" color="red" mt={25} onClick={() => setHalfDays((l) => l.filter((x) => x.key !== h.key))} aria-label={`Retirer la demi-journée ${i + 1}`}>
                      Retirer
                    </Button>
                  </Group>
                </Fieldset>
              ))}
              <Text size="xs" c="dimmed">
                Début et fin vides : horaires habituels de la demi-journée.
              </Text>
              {kind === 'AN_AC' && (
                <Text size="xs" c="dimmed">
                  Formation combinée : chaque partie suivie compte un départ (deux départs pour la personne présente sur les deux parties, un seul pour une partie). Indiquez la partie de chaque demi-journée.
                </Text>
              )}
              <Group>
                <Button
                  variant="default"
                  onClick={() =>
                    setHalfDays((l) => {
                      const last = l[l.length - 1];
                      return [...l, last && last.period === 'matin' ? emptyHalfDay('apres_midi', last.date) : emptyHalfDay('matin')];
                    })
                  }
                >
                  Ajouter une demi-journée
                </Button>
              </Group>
              {f.halfDays && (
                <Text size="sm" c="red.9" role="alert">
                  {f.halfDays}
                </Text>
              )}
            </Stack>
          </Fieldset>
          <Group align="flex-start">
            <TextInput
              label="Capacité (places)"
              inputMode="numeric"
              placeholder={kindInfo ? String(kindInfo.defaultCapacity) : undefined}
              description={kindInfo ? `Vide : ${kindInfo.defaultCapacity} places par défaut` : 'Vide : capacité par défaut du type de formation'}
              value={capacity}
              onChange={(e) => setCapacity(e.currentTarget.value)}
              error={f.capacity}
              w={240}
            />
            <Select
              label="Cohorte"
              placeholder={options.cohorts.length ? 'Aucune' : 'Aucune cohorte créée'}
              clearable
              data={options.cohorts.map((c) => ({ value: String(c.id), label: c.label }))}
              value={cohort}
              onChange={setCohort}
              error={f.cohortId}
              w={300}
            />
          </Group>
          <Textarea label="Formateurs" description="Un nom par ligne" autosize minRows={2} value={trainers} onChange={(e) => setTrainers(e.currentTarget.value)} w={420} />
          <Textarea label="Note" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={f.note} />
          {error && (
            <Alert color="red" role="alert" title={error.message}>
              {Object.keys(f).length > 0 ? 'Corrigez les champs signalés.' : null}
              {halfDayErrors.map(([k, v]) => (
                <Text key={k} size="sm">
                  {v}
                </Text>
              ))}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {existing ? 'Enregistrer les modifications' : 'Créer la session'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
