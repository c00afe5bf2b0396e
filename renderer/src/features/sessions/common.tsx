// Small pieces shared by the Sessions screens. Display only: every rule (eligibility, same kind,
// capacity, departures) is decided by the services; these only show what they return.
import { Alert, Badge, Group, List, Progress, Text } from '@mantine/core';
import type { Participant, SessionSummary } from '../../../../shared/ipc/channels/sessions';
import { ApiError } from '../../api';
import { formatDate } from '../../format';

export function errorOf(e: unknown): { message: string; fields: Record<string, string>; details: unknown } {
  if (e instanceof ApiError) return { message: e.message, fields: e.fields, details: e.details };
  return { message: e instanceof Error ? e.message : String(e), fields: {}, details: null };
}

/** A refusal of the assignment service: every person refused with each reason. */
export interface Refused {
  personId: number;
  name: string;
  reasons: { code: string; message: string }[];
}

export function refusedOf(details: unknown): Refused[] {
  const r = (details as { refused?: Refused[] } | null)?.refused;
  return Array.isArray(r) ? r : [];
}

/** Badges in narrow table cells: never cut to « INSC… ». */
export const BADGE_STYLE = { minWidth: 'max-content' } as const;

/** Short labels of the training kinds for dense tables (the long label comes from the service). */
export const KIND_SHORT = { AN: 'AN', AN_AC: 'AN + AC', AC: 'AC' } as const;
const KIND_COLOR = { AN: 'blue', AN_AC: 'grape', AC: 'teal' } as const;

export function KindBadge({ kind, label }: { kind: SessionSummary['kind']; label?: string }) {
  return (
    <Badge variant="light" color={KIND_COLOR[kind]} title={label} style={BADGE_STYLE}>
      {KIND_SHORT[kind]}
    </Badge>
  );
}

export function StatusBadge({ s }: { s: Pick<SessionSummary, 'status' | 'cancelReason'> }) {
  return s.status === 'annulee' ? (
    <Badge color="red" variant="light" title={s.cancelReason ?? undefined} style={BADGE_STYLE}>
      Annulée
    </Badge>
  ) : (
    <Badge color="gray" variant="light" style={BADGE_STYLE}>
      Prévue
    </Badge>
  );
}

export const REGISTRATION_LABELS: Record<Participant['status'], string> = {
  inscrit: 'Inscrit',
  attente: 'Liste d’attente',
  annule: 'Annulé',
  deplace: 'Déplacé',
};

/** Warnings (generic e-mail…) in small text: a dark orange that keeps AA contrast on striped rows. */
export const WARN_COLOR = '#8f3800';

export const MODALITY_LABELS = { presentiel: 'Présentiel', distance: 'À distance' } as const;

/** Registered / capacity as a bar with its figures, plus the waiting list. */
export function FillRate({ s, wide = false }: { s: Pick<SessionSummary, 'registered' | 'capacity' | 'waiting' | 'title'>; wide?: boolean }) {
  const pct = s.capacity > 0 ? Math.min(100, Math.round((s.registered / s.capacity) * 100)) : 0;
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress value={pct} w={wide ? 220 : 80} color={s.registered >= s.capacity ? 'orange' : 'blue'} aria-label={`Remplissage de « ${s.title} »`} />
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {s.registered} / {s.capacity}
        {s.waiting > 0 ? ` (+${s.waiting} en attente)` : ''}
      </Text>
    </Group>
  );
}

export function sessionDates(s: Pick<SessionSummary, 'firstDate' | 'lastDate'>): string {
  if (!s.firstDate) return 'Sans date';
  return s.lastDate && s.lastDate !== s.firstDate ? `${formatDate(s.firstDate)} → ${formatDate(s.lastDate)}` : formatDate(s.firstDate);
}

/** The reasons of a refusal, one line per person and reason. */
export function RefusalList({ refused, title }: { refused: Refused[]; title: string }) {
  return (
    <Alert color="red" title={title} role="alert">
      <List size="sm" spacing={4}>
        {refused.flatMap((r) =>
          r.reasons.map((reason, i) => (
            // Each message already names the person.
            <List.Item key={`${r.personId}-${i}`}>{reason.message}</List.Item>
          )),
        )}
      </List>
    </Alert>
  );
}
