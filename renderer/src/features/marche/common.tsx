// Small pieces shared by the Marché screens. Display only: every rule is decided by the services.
import { Alert, Button, Checkbox, FileInput, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { FindingDto } from '../../../../shared/ipc/channels/marche';
import type { ownerTypes } from '../../../../shared/ipc/channels/pieces';
import { ApiError, call, fileToBase64 } from '../../api';
import { DateField as SharedDateField } from '../../components/DateField';

type OwnerType = (typeof ownerTypes)[number];

export function errorOf(e: unknown): { message: string; fields: Record<string, string> } {
  if (e instanceof ApiError) return { message: e.message, fields: e.fields };
  return { message: e instanceof Error ? e.message : String(e), fields: {} };
}

const LEVEL = {
  refus: { color: 'red', title: 'Refusé' },
  alerte: { color: 'yellow', title: 'À vérifier' },
  info: { color: 'blue', title: 'Information' },
} as const;

/** The findings of a rule check, each with its French explanation. */
export function Findings({ findings, title }: { findings: FindingDto[]; title?: string }) {
  if (findings.length === 0) return null;
  return (
    <Stack gap="xs" aria-label={title ?? 'Contrôles'}>
      {findings.map((f, i) => (
        <Alert key={`${f.code}-${i}`} color={LEVEL[f.level].color} title={LEVEL[f.level].title} role={f.level === 'info' ? 'status' : 'alert'}>
          {f.message}
        </Alert>
      ))}
    </Stack>
  );
}

export function FieldErrors({ fields }: { fields: Record<string, string> }) {
  const entries = Object.entries(fields);
  if (entries.length === 0) return null;
  return (
    <List size="sm">
      {entries.map(([k, v]) => (
        <List.Item key={k}>{v}</List.Item>
      ))}
    </List>
  );
}

/** A date typed JJ/MM/AAAA (the shared field), sized for the Marché forms; value is ISO. */
export function DateField(props: { label: string; value: string; onChange: (v: string) => void; error?: string; required?: boolean }) {
  return <SharedDateField label={props.label} value={props.value} onChange={props.onChange} error={props.error} required={props.required} w={190} />;
}

export function EurosField(props: { label: string; value: string; onChange: (v: string) => void; error?: string; required?: boolean; description?: string }) {
  return (
    <TextInput
      label={props.label}
      description={props.description}
      inputMode="decimal"
      rightSection="€"
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      error={props.error}
      required={props.required}
      w={190}
    />
  );
}

/** Attaches a picked file to a record as soon as it is chosen. */
export function AttachFile({ ownerType, ownerId, role, label, onDone }: { ownerType: OwnerType; ownerId: number; role: string; label: string; onDone?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  async function pick(file: File | null) {
    if (!file) return;
    setBusy(true);
    setMsg(null);
    try {
      const p = await call('pieces.attach', { ownerType, ownerId, role, fileName: file.name, mimeType: file.type, contentBase64: await fileToBase64(file) });
      setMsg({ ok: true, text: `« ${p.originalName} » joint.` });
      onDone?.();
    } catch (e) {
      setMsg({ ok: false, text: errorOf(e).message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Stack gap={2}>
      <FileInput label={label} placeholder={busy ? 'Envoi…' : 'Choisir un fichier'} size="xs" w={220} onChange={(f) => void pick(f)} disabled={busy} />
      {msg && (
        <Text size="xs" c={msg.ok ? undefined : 'red.9'} fw={600} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </Text>
      )}
    </Stack>
  );
}

/** Asks the services for a pre-filled PDF and offers it as a download. */
export async function downloadPdf(marcheId: number, document: 'bon_de_commande' | 'note_de_choix'): Promise<void> {
  const pdf = await call('marche.pdf', { marcheId, document });
  const bytes = Uint8Array.from(atob(pdf.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = window.document.createElement('a');
  a.href = url;
  a.download = pdf.fileName;
  window.document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const KIND_OPTIONS = [
  { value: 'AN', label: 'Aidant Numérique (AN)' },
  { value: 'AN_AC', label: 'AN avec brique Aidants Connect' },
  { value: 'AC', label: 'Aidants Connect (AC)' },
];

export { centsToInput } from '../../format';

type Refusal = { message: string; fields: Record<string, string>; findings: FindingDto[]; needsAck: boolean };

function refusalOf(e: unknown): Refusal {
  const base = errorOf(e);
  const details = (e instanceof ApiError ? e.details : undefined) as { findings?: FindingDto[]; needsAcknowledgement?: boolean } | undefined;
  return { ...base, findings: details?.findings ?? [], needsAck: details?.needsAcknowledgement === true };
}

/**
 * « Modifier » opening a dialog with the record's form. Saving sends the correction; when the
 * services answer with alerts to acknowledge (the rules of the creation, run again), they are
 * shown with a confirmation box and the officer saves again.
 */
export function EditDialog(props: {
  /** What is corrected, for the button's accessible name and the title (« la facture F-044 »). */
  what: string;
  onOpen: () => void;
  onSave: (acceptWarnings: boolean) => Promise<unknown>;
  onDone: () => void;
  children: (fields: Record<string, string>) => ReactNode;
}) {
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [ack, setAck] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  function open() {
    props.onOpen();
    setRefusal(null);
    setAck(false);
    setOpened(true);
  }
  async function save() {
    setBusy(true);
    try {
      await props.onSave(ack);
      setOpened(false);
      props.onDone();
    } catch (e) {
      const r = refusalOf(e);
      setRefusal(r);
      if (!r.needsAck) setAck(false);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button size="compact-sm" variant="default" onClick={open} aria-label={`Modifier ${props.what}`}>
        Modifier
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Modifier ${props.what}`} size="xl" closeButtonProps={{ 'aria-label': 'Fermer' }}>
        <Stack gap="sm">
          {props.children(refusal?.fields ?? {})}
          {refusal && refusal.findings.length > 0 && <Findings findings={refusal.findings.filter((f) => f.level !== 'info')} title="Contrôles de la correction" />}
          {refusal?.needsAck && <Checkbox label="J’ai pris connaissance des alertes ci-dessus et je confirme la correction" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />}
          {refusal && !refusal.needsAck && refusal.findings.length === 0 && (
            <Alert color="red" role="alert" title="La correction n’a pas été enregistrée">
              {refusal.message}
              {Object.keys(refusal.fields).length > 1 && <FieldErrors fields={refusal.fields} />}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Fermer sans enregistrer
            </Button>
            <Button onClick={() => void save()} loading={busy} disabled={refusal?.needsAck === true && !ack}>
              Enregistrer la correction
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/**
 * « Supprimer » with a confirmation dialog. A refusal (something depends on the record) is shown
 * in the dialog with what to do first; nothing is removed then.
 */
export function DeleteButton(props: { what: string; consequence?: string; onConfirm: () => Promise<unknown>; onDone: () => void }) {
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    try {
      await props.onConfirm();
      setOpened(false);
      props.onDone();
    } catch (e) {
      setError(errorOf(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button
        size="compact-sm"
        variant="default"
        c="red.9"
        onClick={() => {
          setError(null);
          setOpened(true);
        }}
        aria-label={`Supprimer ${props.what}`}
      >
        Supprimer
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Supprimer ${props.what} ?`} closeButtonProps={{ 'aria-label': 'Fermer' }}>
        <Stack gap="sm">
          {props.consequence && <Text>{props.consequence}</Text>}
          <Text size="sm">Les fichiers joints restent conservés. Une sauvegarde est prise juste avant : la suppression peut être annulée depuis l’historique (Sauvegardes).</Text>
          {error && (
            <Alert color="red" role="alert" title="Suppression impossible">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Ne pas supprimer
            </Button>
            {!error && (
              <Button color="red.9" onClick={() => void confirm()} loading={busy}>
                Confirmer la suppression
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
