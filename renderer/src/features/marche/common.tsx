// Small pieces shared by the Marché screens. Display only: every rule is decided by the services.
import { Alert, FileInput, List, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
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
