import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { JobStatusDto } from '../../../shared/ipc/channels/jobs';
import { call } from '../api';

/**
 * Follows a job started by a service (import, dossier): progress bar with what is being done,
 * a cancel button, then onDone(result) or the French error. Display only.
 */
export function JobProgress({ job, onDone, onEnd, title }: { job: JobStatusDto; onDone: (result: unknown) => void; onEnd?: (s: JobStatusDto) => void; title: string }) {
  const [status, setStatus] = useState(job);
  const [cancelling, setCancelling] = useState(false);
  const [pollError, setPollError] = useState<string | null>(null);
  const done = useRef(false);
  useEffect(() => {
    let alive = true;
    const tick = async () => {
      try {
        const s = await call('jobs.status', { id: job.id });
        if (!alive) return;
        setStatus(s);
        if (s.state !== 'en_cours') {
          if (!done.current) {
            done.current = true;
            onEnd?.(s);
            if (s.state === 'termine') onDone(s.result);
          }
          return;
        }
      } catch (e) {
        if (alive) setPollError(e instanceof Error ? e.message : String(e));
        return;
      }
      if (alive) setTimeout(() => void tick(), 300);
    };
    void tick();
    return () => {
      alive = false;
    };
  }, [job.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const pct = status.progress.total > 0 ? Math.min(100, (status.progress.done / status.progress.total) * 100) : 0;
  return (
    <Stack gap="xs" aria-live="polite">
      <Text fw={600}>{title}</Text>
      {status.state === 'en_cours' && (
        <>
          <Progress.Root size="lg">
            <Progress.Section value={pct} animated={status.progress.total === 0} aria-label={`${title} : ${Math.round(pct)} %`} />
          </Progress.Root>
          <Group justify="space-between">
            <Text size="sm">
              {status.progress.label}
              {status.progress.total > 0 && ` — ${status.progress.done.toLocaleString('fr-FR')} / ${status.progress.total.toLocaleString('fr-FR')}`}
            </Text>
            <Button
              variant="default"
              size="xs"
              loading={cancelling}
              onClick={() => {
                setCancelling(true);
                void call('jobs.cancel', { id: job.id }).catch(() => {});
              }}
            >
              Annuler
            </Button>
          </Group>
        </>
      )}
      {status.state === 'annule' && <Alert color="gray" role="status">{status.error?.message ?? 'Traitement annulé : rien n’a été enregistré.'}</Alert>}
      {status.state === 'echec' && (
        <Alert color="red" role="alert" title="Le traitement a échoué">
          {status.error?.message}
        </Alert>
      )}
      {pollError && <Alert color="red" role="alert">{pollError}</Alert>}
    </Stack>
  );
}
