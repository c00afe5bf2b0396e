import { ActionIcon, Alert, Button, Fieldset, Group, NumberInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Convention } from '../../../../shared/ipc/channels/convention';
import type { InputOf } from '../../../../shared/ipc/contract';
import { ApiError, call } from '../../api';
import { DateField } from '../../components/DateField';
import { centsToInput } from '../../format';

interface Defaults {
  amountCents: number;
  endDate: string;
  departureTarget: number;
}

type Action = { id?: number; label: string; euros: string };

// Euro fields are plain text: what the officer types (« 1 234,56 », « 1.234,56 € »…) is sent as is
// and read by the services, which answer per field in French when it is not an amount.
const euroProps = { inputMode: 'decimal', rightSection: '€', autoComplete: 'off' } as const;

/** Create or edit a convention. The form only collects; the service checks and answers per field. */
export function ConventionForm({ initial, defaults, onSaved }: { initial: Convention | null; defaults: Defaults; onSaved: (c: Convention) => void }) {
  const [v, setV] = useState(() => ({
    label: initial?.label ?? '',
    departement: initial?.departement ?? '',
    beneficiaireNom: initial?.beneficiaireNom ?? '',
    beneficiaireSiret: initial?.beneficiaireSiret ?? '',
    designationDate: initial?.designationDate ?? '',
    signatureDate: initial?.signatureDate ?? '',
    anctReference: initial?.anctReference ?? '',
    amount: centsToInput(initial?.amountCents ?? defaults.amountCents),
    fundsReceivedDate: initial?.fundsReceivedDate ?? '',
    fundsReceived: initial?.fundsReceivedCents == null ? '' : centsToInput(initial.fundsReceivedCents),
    endDate: initial?.endDate ?? defaults.endDate,
    departureTarget: (initial?.departureTarget ?? defaults.departureTarget) as number | string,
    fraisGestion: centsToInput(initial?.fraisGestionPlannedCents ?? 0),
    actions: (initial?.engineeringActions ?? []).map((a) => ({ id: a.id, label: a.label, euros: centsToInput(a.plannedCents) })) as Action[],
  }));
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (value: unknown) => setV((old) => ({ ...old, [k]: value }));
  const text = (k: keyof typeof v) => ({
    value: v[k] as string,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(k)(e.currentTarget.value),
    error: fields[k],
  });

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    setSaved(null);
    const input: InputOf<'convention.create'> = {
      label: v.label,
      departement: v.departement,
      beneficiaireNom: v.beneficiaireNom,
      beneficiaireSiret: v.beneficiaireSiret || null,
      designationDate: v.designationDate || null,
      signatureDate: v.signatureDate || null,
      anctReference: v.anctReference || null,
      amountCents: v.amount,
      fundsReceivedDate: v.fundsReceivedDate || null,
      fundsReceivedCents: v.fundsReceived,
      endDate: v.endDate,
      departureTarget: Number(v.departureTarget) || 0,
      fraisGestionPlannedCents: v.fraisGestion,
      engineeringActions: v.actions.map((a) => ({ ...(a.id === undefined ? {} : { id: a.id }), label: a.label, plannedCents: a.euros })),
    };
    if (!initial) delete input.label;
    try {
      const c = initial ? await call('convention.update', { id: initial.id, patch: input }) : await call('convention.create', input);
      setSaved('Convention enregistrée.');
      onSaved(c);
    } catch (err) {
      if (err instanceof ApiError) {
        // A correction is sent as { id, patch }: the schema's messages are keyed « patch.<field> ».
        setFields(Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [k.replace(/^patch\./, ''), m])));
        setError(err.message);
      } else setError(String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-label="Convention">
      <Stack gap="md">
        {error && (
          <Alert color="red" title="La convention n’a pas été enregistrée" role="alert">
            {error}
          </Alert>
        )}
        <Fieldset legend="Bénéficiaire">
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput label="Département (code)" description="ex. 23, 2A, 974, 977" required {...text('departement')} />
            <TextInput label="Bénéficiaire (porteur des crédits)" required {...text('beneficiaireNom')} />
            <TextInput label="SIRET du bénéficiaire" description="14 chiffres" {...text('beneficiaireSiret')} />
          </SimpleGrid>
          {initial && <TextInput mt="sm" label="Intitulé" {...text('label')} />}
        </Fieldset>
        <Fieldset legend="Dates et référence">
          <SimpleGrid cols={{ base: 1, md: 4 }}>
            <DateField label="Désignation par la préfecture" value={v.designationDate} onChange={set('designationDate')} error={fields.designationDate} />
            <DateField label="Signature avec l’ANCT" value={v.signatureDate} onChange={set('signatureDate')} error={fields.signatureDate} />
            <TextInput label="Référence ANCT" {...text('anctReference')} />
            <DateField label="Fin de la convention" required value={v.endDate} onChange={set('endDate')} error={fields.endDate} />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Montants et objectif">
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput label="Montant de la convention" required {...euroProps} {...text('amount')} error={fields.amountCents} />
            <DateField label="Fonds reçus le" value={v.fundsReceivedDate} onChange={set('fundsReceivedDate')} error={fields.fundsReceivedDate} />
            <TextInput label="Montant reçu" {...euroProps} {...text('fundsReceived')} error={fields.fundsReceivedCents} />
            <NumberInput label="Objectif de départs en formation" min={1} value={v.departureTarget} onChange={set('departureTarget')} error={fields.departureTarget} />
            <TextInput label="Frais de gestion prévus" {...euroProps} {...text('fraisGestion')} error={fields.fraisGestionPlannedCents} />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Actions d’ingénierie prévues (financées par le reliquat après l’objectif)">
          <Stack gap="xs">
            {v.actions.length === 0 && (
              <Text size="sm" c="dimmed">
                Aucune action listée dans la convention.
              </Text>
            )}
            {v.actions.map((a, i) => (
              <Group key={i} align="flex-end">
                <TextInput
                  label={`Action ${i + 1} — intitulé`}
                  value={a.label}
                  error={fields[`engineeringActions.${i}.label`]}
                  onChange={(e) => {
                    const label = e.currentTarget.value;
                    setV((o) => ({ ...o, actions: o.actions.map((x, j) => (j === i ? { ...x, label } : x)) }));
                  }}
                  style={{ flex: 1 }}
                />
                <TextInput
                  label="Montant prévu"
                  {...euroProps}
                  value={a.euros}
                  error={fields[`engineeringActions.${i}.plannedCents`]}
                  onChange={(e) => {
                    const euros = e.currentTarget.value;
                    setV((o) => ({ ...o, actions: o.actions.map((x, j) => (j === i ? { ...x, euros } : x)) }));
                  }}
                  w={180}
                />
                <ActionIcon
                  variant="default"
                  size="lg"
                  aria-label={`Retirer l’action ${i + 1}`}
                  onClick={() => setV((o) => ({ ...o, actions: o.actions.filter((_, j) => j !== i) }))}
                >
                  ✕
                </ActionIcon>
              </Group>
            ))}
            {fields.engineeringActions && (
              <Text size="sm" c="red.9">
                {fields.engineeringActions}
              </Text>
            )}
            <Group>
              <Button variant="light" onClick={() => setV((o) => ({ ...o, actions: [...o.actions, { label: '', euros: '' }] }))}>
                Ajouter une action d’ingénierie
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        <Group>
          <Button type="submit" loading={busy}>
            {initial ? 'Enregistrer les modifications' : 'Créer la convention'}
          </Button>
          {saved && (
            <Text className="fne-success" role="status">
              {saved}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
