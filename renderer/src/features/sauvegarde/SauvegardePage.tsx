// "Sauvegardes": the start-up check, the backups (manual, restore), the backup folder, and the
// history with the undo of the last operation. Decisions (what is sound, what can be undone)
// come from the services; this screen shows them.
import { Alert, Anchor, Badge, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { call, hasNativeDialogs, pickPath, type Picked } from '../../api';
import { useConvention } from '../../conventionContext';
import { formatBytes } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';

export function SauvegardePage({ route }: { route: string[] }) {
  if (route[0] === 'historique') return <HistoriquePage />;
  return <SauvegardesPage />;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function SauvegardesPage() {
  const { refresh: refreshApp } = useConvention();
  const [n, setN] = useState(0);
  const state = useLoad(() => call('sauvegarde.etat', {}), [n]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  // Keyboard: the confirmation is shown above the list; focus goes to it, and back to the row's
  // « Restaurer… » button when the officer declines.
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (confirm) confirmRef.current?.focus();
  }, [confirm]);
  // Folders and files are chosen in the desktop app's dialogs (never typed: no path crosses the contract).
  const desktop = hasNativeDialogs();
  const [pickedRestore, setPickedRestore] = useState<Picked | null>(null);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setStatus(null);
    setFailure(null);
    try {
      setStatus(await what());
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
      setN((x) => x + 1);
    }
  };

  const s = state.data;
  const report = s?.verification;
  const pending = s?.sauvegardes.find((b) => b.name === confirm);

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Sauvegardes</Title>
        <Anchor href="#/sauvegardes/historique">Historique des modifications</Anchor>
      </Group>
      <Text>
        La base de données est sauvegardée automatiquement chaque jour au premier démarrage, avant chaque mise à jour de l’application, avant chaque import et avant
        chaque modification groupée. Les pièces justificatives ne sont jamais modifiées ni effacées par l’application (elles sont rangées par empreinte) : une
        sauvegarde de la base et le dossier des pièces restent donc cohérents. Quand le dossier de sauvegarde est ailleurs que le dossier de données (lecteur
        réseau), les pièces y sont aussi copiées.
      </Text>
      {state.error && <Alert color="red">{state.error}</Alert>}
      {state.loading && !s && <Loader aria-label="Chargement" />}
      {failure && (
        <Alert color="red" role="alert" title="Opération refusée">
          {failure}
        </Alert>
      )}
      {status && (
        <Text role="status" className="fne-success" fw={600}>
          {status}
        </Text>
      )}

      {report && (
        <Stack gap="xs">
          <Title order={2}>Vérification de la base et des pièces</Title>
          {report.ok ? (
            <Text className="fne-success">Vérifiée le {formatDateTime(report.checkedAt)} : la base est saine et chaque pièce a son fichier.</Text>
          ) : (
            <Alert color="red" title="Problème détecté">
              <Stack gap={4}>
                {report.messages.map((m) => (
                  <Text key={m} size="sm">
                    {m}
                  </Text>
                ))}
              </Stack>
            </Alert>
          )}
          {report.ok &&
            report.messages.map((m) => (
              <Text key={m} size="sm">
                {m}
              </Text>
            ))}
          <Group>
            <Button
              variant="default"
              loading={busy}
              onClick={() =>
                void run(async () => {
                  const r = await call('sauvegarde.etat', { refresh: true });
                  return r.verification.ok ? 'Vérification terminée : tout est en ordre.' : 'Vérification terminée : des problèmes sont signalés.';
                })
              }
            >
              Vérifier maintenant
            </Button>
          </Group>
        </Stack>
      )}

      {s && (
        <Stack gap="xs">
          <Title order={2}>Sauvegardes disponibles</Title>
          <Text size="sm">
            Dossier : <Code>{s.dossier}</Code> — base : <Code>{s.fichierBase}</Code>. Sont gardées les {s.conservees.quotidiennes} dernières sauvegardes
            quotidiennes, les {s.conservees.automatiques} dernières prises avant un import ou une modification groupée, les {s.conservees.manuelles} dernières manuelles et les {s.conservees.avantRestauration} dernières bases remplacées par une restauration.
          </Text>
          <Group>
            <Button
              loading={busy}
              onClick={() =>
                void run(async () => {
                  const b = await call('sauvegarde.creer', {});
                  return `Sauvegarde du ${formatDateTime(b.at)} enregistrée (${formatBytes(b.size)}).`;
                })
              }
            >
              Sauvegarder maintenant
            </Button>
            {desktop && (
              <Button
                variant="default"
                loading={busy}
                onClick={() =>
                  void run(async () => {
                    const p = await pickPath('sauvegarde.fichier');
                    setPickedRestore(p);
                    return p ? 'Vérifiez le fichier choisi puis confirmez la restauration.' : 'Aucun fichier choisi.';
                  })
                }
              >
                Restaurer un autre fichier…
              </Button>
            )}
          </Group>
          {pickedRestore && (
            <Alert color="orange" title="Confirmer la restauration du fichier choisi">
              <Stack gap="xs">
                <Text size="sm">
                  La base actuelle sera remplacée par <Code>{pickedRestore.label}</Code>. Le fichier est d’abord vérifié ; la base actuelle est gardée comme sauvegarde
                  « Base remplacée par une restauration ».
                </Text>
                <Group>
                  <Button
                    loading={busy}
                    onClick={() =>
                      void run(async () => {
                        const r = await call('sauvegarde.restaurer', { fichier: pickedRestore.handle });
                        setPickedRestore(null);
                        refreshApp();
                        return `Fichier restauré. La base remplacée est gardée (${r.previousKeptAs}).`;
                      })
                    }
                  >
                    Restaurer ce fichier
                  </Button>
                  <Button variant="default" onClick={() => setPickedRestore(null)}>
                    Ne pas restaurer
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {pending && (
            <Alert color="orange" title="Confirmer la restauration">
              <Stack gap="xs">
                <Text size="sm">
                  La base actuelle sera remplacée par la sauvegarde du {formatDateTime(pending.at)} ({pending.reasonLabel}). La sauvegarde est d’abord vérifiée ; la
                  base actuelle est gardée comme sauvegarde « Base remplacée par une restauration », pour pouvoir revenir en arrière.
                </Text>
                <Group>
                  <Button
                    ref={confirmRef}
                    loading={busy}
                    onClick={() =>
                      void run(async () => {
                        const r = await call('sauvegarde.restaurer', { name: pending.name });
                        setConfirm(null);
                        refreshApp();
                        return `Sauvegarde du ${formatDateTime(r.restored.at)} restaurée. La base remplacée est gardée (${r.previousKeptAs}).`;
                      })
                    }
                  >
                    Restaurer cette sauvegarde
                  </Button>
                  <Button
                    variant="default"
                    onClick={() => {
                      setConfirm(null);
                      requestAnimationFrame(() => openerRef.current?.focus());
                    }}
                  >
                    Ne pas restaurer
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {s.sauvegardes.length === 0 ? (
            <Text>Aucune sauvegarde dans ce dossier pour l’instant.</Text>
          ) : (
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Motif</Table.Th>
                  <Table.Th>Taille</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.sauvegardes.map((b) => (
                  <Table.Tr key={b.name}>
                    <Table.Td>{formatDateTime(b.at)}</Table.Td>
                    <Table.Td>{b.reasonLabel}</Table.Td>
                    <Table.Td>{formatBytes(b.size)}</Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Restaurer la sauvegarde du ${formatDateTime(b.at)}`}
                        onClick={(e) => {
                          openerRef.current = e.currentTarget;
                          setConfirm(b.name);
                        }}
                      >
                        Restaurer…
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}

      {s && (
        <Stack gap="xs">
          <Title order={2}>Dossier de sauvegarde</Title>
          <Text size="sm">
            Par défaut : <Code>{s.dossierParDefaut}</Code>. Un dossier sur un lecteur réseau protège aussi contre la perte de l’ordinateur. Dossier de données de
            l’application : <Code>{s.dossierDonnees}</Code>
            {s.journal && (
              <>
                {' '}
                — journal : <Code>{s.journal}</Code>
              </>
            )}
            .
          </Text>
          <Group align="end">
            {desktop ? (
              <Button
                loading={busy}
                onClick={() =>
                  void run(async () => {
                    const p = await pickPath('sauvegarde.dossier');
                    if (!p) return 'Aucun dossier choisi : rien n’a été modifié.';
                    const r = await call('sauvegarde.dossier', { dossier: p.handle });
                    return `Les sauvegardes iront désormais dans « ${r.dossier} ».`;
                  })
                }
              >
                Choisir un autre dossier…
              </Button>
            ) : (
              <Text size="sm">Le dossier de sauvegarde se choisit dans l’application de bureau (fenêtre de choix de dossier).</Text>
            )}
            {s.dossier !== s.dossierParDefaut && (
              <Button
                variant="default"
                loading={busy}
                onClick={() =>
                  void run(async () => {
                    const r = await call('sauvegarde.dossier', { dossier: null });
                    return `Les sauvegardes iront de nouveau dans « ${r.dossier} ».`;
                  })
                }
              >
                Revenir au dossier par défaut
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

/** What one journal line changed, as « champ : avant → après » lines (told in French by the services). */
function Changes({ changes: { lines, more } }: { changes: { lines: { label: string; before?: string; after?: string }[]; more: number } }) {
  if (lines.length === 0) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2}>
      {lines.map((l) => (
        <Text key={l.label} size="sm" style={{ overflowWrap: 'anywhere' }}>
          <Text span fw={600} size="sm">
            {l.label}
          </Text>{' '}
          :{' '}
          {l.before !== undefined && l.after !== undefined ? (
            <>
              {l.before} <span aria-label="devient">→</span> {l.after}
            </>
          ) : l.after !== undefined ? (
            l.after
          ) : (
            <>
              {l.before} <Text span size="sm" c="dimmed">(retiré)</Text>
            </>
          )}
        </Text>
      ))}
      {more > 0 && (
        <Text size="xs" c="dimmed">
          … et {more} autre{more > 1 ? 's' : ''} champ{more > 1 ? 's' : ''}
        </Text>
      )}
    </Stack>
  );
}

function HistoriquePage() {
  const { refresh: refreshApp } = useConvention();
  const [n, setN] = useState(0);
  const [limit, setLimit] = useState(100);
  const h = useLoad(() => call('historique.liste', { limit }), [n, limit]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const op = h.data?.lastOperation;

  const undo = async () => {
    if (!op) return;
    setBusy(true);
    setStatus(null);
    setFailure(null);
    try {
      const r = await call('historique.annuler', { lastId: op.lastId });
      refreshApp();
      setStatus(r.message);
    } catch (e) {
      setFailure(message(e));
    } finally {
      setBusy(false);
      setN((x) => x + 1);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Historique des modifications</Title>
        <Anchor href="#/sauvegardes" onClick={(e) => (e.preventDefault(), navigate('sauvegardes'))}>
          Retour aux sauvegardes
        </Anchor>
      </Group>
      <Text>Chaque modification est enregistrée : qui, quand, quoi, avec la valeur avant et après.</Text>
      {h.error && <Alert color="red">{h.error}</Alert>}
      {failure && (
        <Alert color="red" role="alert" title="Annulation refusée">
          {failure}
        </Alert>
      )}
      {status && (
        <Text role="status" className="fne-success" fw={600}>
          {status}
        </Text>
      )}
      {op && (
        <Stack gap="xs">
          <Title order={2}>Dernière opération</Title>
          <Text>
            {op.actionLabel} — {op.recordLabel} — le {formatDateTime(op.at)} par {op.actor}
            {op.count > 1 ? ` (${op.count} lignes du journal)` : ''}.{' '}
            {op.undoable ? <Badge color="green">annulable</Badge> : <Badge color="gray">non annulable</Badge>}
          </Text>
          {op.undoable ? (
            <Group>
              <Button loading={busy} onClick={() => void undo()}>
                Annuler cette opération
              </Button>
              <Text size="sm">L’annulation restaure la sauvegarde prise juste avant ; l’état actuel est gardé comme sauvegarde.</Text>
            </Group>
          ) : (
            <Text size="sm">{op.reason}</Text>
          )}
        </Stack>
      )}
      {h.loading && !h.data && <Loader aria-label="Chargement" />}
      {h.data && h.data.entries.length === 0 && <Text>Aucune modification enregistrée.</Text>}
      {h.data && h.data.entries.length > 0 && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Quand</Table.Th>
              <Table.Th>Qui</Table.Th>
              <Table.Th>Quoi</Table.Th>
              <Table.Th>Enregistrement</Table.Th>
              <Table.Th>Changements (avant → après)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {h.data.entries.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{formatDateTime(e.at)}</Table.Td>
                <Table.Td>{e.actor}</Table.Td>
                <Table.Td>{e.actionLabel}</Table.Td>
                <Table.Td>{e.recordLabel}</Table.Td>
                <Table.Td>
                  <Changes changes={e.changes} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {h.data?.hasMore && (
        <Group>
          <Button variant="default" onClick={() => setLimit((l) => Math.min(500, l + 100))} disabled={limit >= 500}>
            Afficher plus
          </Button>
        </Group>
      )}
    </Stack>
  );
}
