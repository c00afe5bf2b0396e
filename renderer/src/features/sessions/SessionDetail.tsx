// One session: what it is, who is registered (fill rate), the waiting list and the history
// (cancelled, moved), the lists for the OF and ANCT, the émargement sheets and convocations,
// its pièces, and the cancellation of the session. The services decide; this screen displays.
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Participant, SessionDetail } from '../../../../shared/ipc/channels/sessions';
import { call } from '../../api';
import { PiecesPanel } from '../../components/PiecesPanel';
import { formatDate } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { download } from '../documents/DocumentsPage';
import { AcStepsPanel } from './AcSteps';
import { BADGE_STYLE, errorOf, FillRate, WARN_COLOR, KindBadge, MODALITY_LABELS, REGISTRATION_LABELS, RefusalList, refusedOf, sessionDates, StatusBadge, type Refused } from './common';

export function SessionDetailPage({ id }: { id: number }) {
  const s = useLoad(() => call('sessions.get', { id }), [id]);
  if (s.error) return <Alert color="red">{s.error}</Alert>;
  if (!s.data) return <Loader aria-label="Chargement" />;
  return <Detail s={s.data} reload={s.reload} />;
}

function Detail({ s, reload }: { s: SessionDetail; reload: () => void }) {
  const active = s.status === 'prevue';
  const registered = s.participants.filter((p) => p.status === 'inscrit');
  const waiting = s.participants.filter((p) => p.status === 'attente');
  const history = s.participants.filter((p) => p.status === 'annule' || p.status === 'deplace');
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Anchor href="#/sessions">← Sessions</Anchor>
        <Group justify="space-between" align="flex-start">
          <Title order={1}>{s.title}</Title>
          <Group>
            {active && (
              <Button variant="default" onClick={() => navigate(`sessions/${s.id}/modifier`)}>
                Modifier
              </Button>
            )}
            <Button variant="default" component="a" href={`#/justification/presences/${s.id}`}>
              Saisir les présences
            </Button>
            {active && <Button onClick={() => navigate(`sessions/${s.id}/inscrire`)}>Inscrire des professionnels</Button>}
          </Group>
        </Group>
        <Group gap="xs">
          <KindBadge kind={s.kind} label={s.kindLabel} />
          <Text size="sm">{s.kindLabel}</Text>
          <StatusBadge s={s} />
          {s.cohortLabel && <Badge variant="outline">Cohorte : {s.cohortLabel}</Badge>}
        </Group>
      </Stack>
      {s.status === 'annulee' && (
        <Alert color="red" title="Session annulée">
          {s.cancelReason}
        </Alert>
      )}
      {s.warnings.map((w) => (
        <Alert key={w.code} color="orange" title={w.code === 'hors_fenetre' ? 'Session hors de la période de la convention' : 'À vérifier pour cette session'} role={w.code === 'hors_fenetre' ? 'status' : undefined} data-warning={w.code}>
          <Text size="sm">{w.message}</Text>
          {w.code === 'hors_fenetre' ? (
            <Group gap="md" mt={6}>
              <Anchor href={`#/sessions/${s.id}/modifier`}>Corriger les dates de la session</Anchor>
              <Anchor href={`#/convention/${s.conventionId}`}>Voir les dates de la convention</Anchor>
            </Group>
          ) : (
            'link' in w &&
            w.link && (
              <Anchor href={`#/${w.link}`} size="sm">
                {w.code.startsWith('anct_') ? 'Enregistrer le référencement ANCT de l’organisme' : 'Corriger'}
              </Anchor>
            )
          )}
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <div>
          <Table withTableBorder variant="vertical" aria-label="Informations de la session">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={170}>Convention</Table.Th>
                <Table.Td>{s.conventionLabel}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Organisme</Table.Th>
                <Table.Td>
                  {s.internal ? `Formateurs internes${s.organismeName ? ` — ${s.organismeName}` : ''}` : s.organismeId ? <Anchor href={`#/marche/organismes/${s.organismeId}`}>{s.organismeName}</Anchor> : '—'}
                  {s.orderNumber && ` — bon de commande ${s.orderNumber}`}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{s.modality === 'distance' ? 'Lien' : 'Lieu'}</Table.Th>
                <Table.Td>
                  {s.place ?? '—'} ({MODALITY_LABELS[s.modality].toLowerCase()})
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Formateurs</Table.Th>
                <Table.Td>{s.trainers.length ? s.trainers.join(', ') : '—'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Dates</Table.Th>
                <Table.Td>
                  {sessionDates(s)} — {s.halfDayCount} demi-journée{s.halfDayCount > 1 ? 's' : ''}, {String(s.hours).replace('.', ',')} h
                  {s.halfDays.map((h) => (
                    <Text key={h.id} size="sm" c="dimmed">
                      {h.label} : {h.start} – {h.end}
                      {s.kind === 'AN_AC' && (h.part === 'AN' ? ' — partie Aidant Numérique' : h.part === 'AC' ? ' — partie Aidants Connect' : ' — les deux parties')}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
              {s.note && (
                <Table.Tr>
                  <Table.Th>Note</Table.Th>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{s.note}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </div>
        <Stack gap="xs">
          <Title order={2} size="h3">
            Remplissage
          </Title>
          <FillRate s={s} wide />
          <Text size="sm">
            {s.registered} inscrit{s.registered > 1 ? 's' : ''} pour {s.capacity} places
            {s.waiting > 0 ? `, ${s.waiting} en liste d’attente` : ''}
            {s.attended > 0 ? `, ${s.attended} ayant suivi la formation` : ''}.
          </Text>
          <Documents s={s} />
        </Stack>
      </SimpleGrid>

      <section aria-labelledby="inscrits-title">
        <Title order={2} size="h3" id="inscrits-title" mb="xs">
          Participants ({registered.length} / {s.capacity})
        </Title>
        {registered.length === 0 ? (
          <Text c="dimmed">Personne n’est encore inscrit.</Text>
        ) : (
          <ParticipantsTable s={s} rows={registered} label="Participants inscrits" onChange={reload} />
        )}
      </section>
      {waiting.length > 0 && (
        <section aria-labelledby="attente-title">
          <Title order={2} size="h3" id="attente-title" mb="xs">
            Liste d’attente ({waiting.length})
          </Title>
          <ParticipantsTable s={s} rows={waiting} label="Liste d’attente" onChange={reload} />
        </section>
      )}
      {history.length > 0 && (
        <section aria-labelledby="historique-title">
          <Title order={2} size="h3" id="historique-title" mb="xs">
            Historique : inscriptions annulées ou déplacées ({history.length})
          </Title>
          <ParticipantsTable s={s} rows={history} label="Inscriptions annulées ou déplacées" onChange={reload} />
        </section>
      )}
      {s.status === 'prevue' && <AcStepsPanel key={`${s.id}-${s.updatedAt}-${registered.length}`} sessionId={s.id} lastDate={s.lastDate} />}
      <PiecesPanel ownerType="session" ownerId={s.id} title="Pièces de la session" onChange={reload} />
      {active && <CancelSession s={s} onDone={reload} />}
    </Stack>
  );
}

type Doc = { key: string; label: string; run: () => Promise<{ fileName: string; contentBase64: string }> };

/** The generated files of the session, downloaded like the other steps' documents. */
function Documents({ s }: { s: SessionDetail }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const exp = (audience: 'of' | 'anct', format: 'xlsx' | 'csv') => () => call('sessions.export', { audience, format, sessionId: s.id });
  const pdf = (document: 'emargement' | 'emargement_vierge' | 'convocations') => () => call('sessions.pdf', { sessionId: s.id, document });
  const groups: { title: string; docs: Doc[] }[] = [
    {
      title: 'Liste pour l’organisme de formation',
      docs: [
        { key: 'of-xlsx', label: 'Liste pour l’organisme (Excel)', run: exp('of', 'xlsx') },
        { key: 'of-csv', label: 'Liste pour l’organisme (CSV)', run: exp('of', 'csv') },
      ],
    },
    {
      title: 'Liste pour l’ANCT (tableau de suivi FNE)',
      docs: [
        { key: 'anct-xlsx', label: 'Liste pour l’ANCT (Excel)', run: exp('anct', 'xlsx') },
        { key: 'anct-csv', label: 'Liste pour l’ANCT (CSV)', run: exp('anct', 'csv') },
      ],
    },
    {
      title: 'Émargement et convocations',
      docs: [
        { key: 'emargement', label: 'Feuille d’émargement (PDF)', run: pdf('emargement') },
        { key: 'vierge', label: 'Feuille d’émargement vierge (PDF)', run: pdf('emargement_vierge') },
        { key: 'convocations', label: 'Convocations (PDF)', run: pdf('convocations') },
      ],
    },
  ];
  async function get(d: Doc) {
    setBusy(d.key);
    setError(null);
    setDone(null);
    try {
      const f = await d.run();
      download(f);
      setDone(`« ${f.fileName} » téléchargé.`);
    } catch (e) {
      setError(errorOf(e).message);
    } finally {
      setBusy(null);
    }
  }
  return (
    <Stack gap="xs" mt="sm" aria-labelledby="documents-title">
      <Title order={2} size="h3" id="documents-title">
        Listes et documents
      </Title>
      {groups.map((g) => (
        <Stack key={g.title} gap={4}>
          <Text size="sm" fw={600}>
            {g.title}
          </Text>
          <Group gap="xs">
            {g.docs.map((d) => (
              <Button key={d.key} size="xs" variant="default" loading={busy === d.key} onClick={() => void get(d)}>
                {d.label}
              </Button>
            ))}
          </Group>
        </Stack>
      ))}
      <Text size="xs" c="dimmed">
        La liste pour l’organisme ne contient que les colonnes nécessaires (nom, prénom, fonction, e-mail, téléphone, structure, SIRET, adresse) ; celle pour l’ANCT reprend les colonnes du tableau de suivi FNE.
      </Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Text size="sm" className="fne-success" role="status">
          {done}
        </Text>
      )}
    </Stack>
  );
}

function ParticipantsTable({ s, rows, label, onChange }: { s: SessionDetail; rows: Participant[]; label: string; onChange: () => void }) {
  const [open, setOpen] = useState<{ id: number; action: 'annuler' | 'deplacer' } | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string; refused?: Refused[] } | null>(null);
  async function promote(p: Participant) {
    setMsg(null);
    try {
      await call('sessions.registration.promote', { registrationId: p.registrationId });
      setMsg({ ok: true, text: `${p.prenom} ${p.nom} est inscrit(e) depuis la liste d’attente.` });
      onChange();
    } catch (e) {
      const err = errorOf(e);
      setMsg({ ok: false, text: err.message, refused: refusedOf(err.details) });
    }
  }
  const showAttendance = rows.some((p) => p.status === 'inscrit') && s.halfDayCount > 0;
  const showActions = s.status === 'prevue' && rows.some((p) => p.status === 'inscrit' || p.status === 'attente');
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={800}>
        <Table striped withTableBorder aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Nom</Table.Th>
              <Table.Th>Prénom</Table.Th>
              <Table.Th>Structure</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Statut</Table.Th>
              {showAttendance && <Table.Th>Présence</Table.Th>}
              {showActions && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((p) => (
              <ParticipantRow
                key={p.registrationId}
                s={s}
                p={p}
                showAttendance={showAttendance}
                showActions={showActions}
                open={open?.id === p.registrationId ? open.action : null}
                setOpen={(action) => setOpen(action ? { id: p.registrationId, action } : null)}
                onPromote={() => void promote(p)}
                onDone={(text) => {
                  setOpen(null);
                  setMsg({ ok: true, text });
                  onChange();
                }}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {msg &&
        (msg.ok ? (
          <Text size="sm" className="fne-success" role="status">
            {msg.text}
          </Text>
        ) : msg.refused && msg.refused.length ? (
          <RefusalList refused={msg.refused} title="Inscription refusée" />
        ) : (
          <Alert color="red" role="alert">
            {msg.text}
          </Alert>
        ))}
    </Stack>
  );
}

function ParticipantRow({
  s,
  p,
  showAttendance,
  showActions,
  open,
  setOpen,
  onPromote,
  onDone,
}: {
  s: SessionDetail;
  p: Participant;
  showAttendance: boolean;
  showActions: boolean;
  open: 'annuler' | 'deplacer' | null;
  setOpen: (a: 'annuler' | 'deplacer' | null) => void;
  onPromote: () => void;
  onDone: (text: string) => void;
}) {
  const current = p.status === 'inscrit' || p.status === 'attente';
  const who = `${p.prenom} ${p.nom}`;
  return (
    <>
      <Table.Tr>
        <Table.Td>
          <Anchor href={`#/recensement/personnes/${p.personId}`}>{p.nom}</Anchor>
        </Table.Td>
        <Table.Td>{p.prenom}</Table.Td>
        <Table.Td>{p.structureName ?? '—'}</Table.Td>
        <Table.Td>
          {p.email ?? '—'}
          {p.warnings.map((w) => (
            <Text key={w.code} size="xs" c={WARN_COLOR}>
              ⚠ {w.message}
            </Text>
          ))}
        </Table.Td>
        <Table.Td>
          <Badge variant="light" color={p.status === 'inscrit' ? 'blue' : p.status === 'attente' ? 'yellow' : 'gray'} style={BADGE_STYLE}>
            {REGISTRATION_LABELS[p.status]}
          </Badge>
          {p.overrideReason && (
            <Text size="xs" c="dimmed">
              Inscrit malgré la non-éligibilité : {p.overrideReason}
            </Text>
          )}
          {p.status === 'inscrit' &&
            p.notCounted.map((w) => (
              <Text key={w.code} size="xs" c={WARN_COLOR} data-warning={`non_compte_${w.code}`}>
                ⚠ {w.message} <Anchor href={`#/recensement/personnes/${p.personId}`} size="xs">Vérifier sa fiche</Anchor>
              </Text>
            ))}
          {p.cancelReason && <Text size="xs">Motif : {p.cancelReason}</Text>}
          {p.status === 'deplace' && p.movedToSessionId && (
            <Text size="xs">
              Vers <Anchor href={`#/sessions/${p.movedToSessionId}`}>{p.movedToSessionTitle}</Anchor>
            </Text>
          )}
          {p.movedFromSessionId && (
            <Text size="xs">
              Venu(e) de la <Anchor href={`#/sessions/${p.movedFromSessionId}`}>session n° {p.movedFromSessionId}</Anchor>
            </Text>
          )}
          <Text size="xs" c="dimmed">
            le {formatDate(p.registeredAt)}
          </Text>
        </Table.Td>
        {showAttendance && (
          <Table.Td>
            {p.status === 'inscrit' ? (
              <>
                {p.present} / {s.halfDayCount} demi-journée{s.halfDayCount > 1 ? 's' : ''}
                {p.attended && (
                  <Text size="xs" className="fne-success">
                    {s.kind === 'AN_AC'
                      ? p.partsCompleted.length === 2
                        ? 'Les deux parties suivies (2 départs)'
                        : `Partie ${p.partsCompleted[0] === 'AN' ? 'Aidant Numérique' : 'Aidants Connect'} suivie (1 départ)`
                      : 'Formation suivie'}
                  </Text>
                )}
              </>
            ) : (
              '—'
            )}
          </Table.Td>
        )}
        {showActions && (
          <Table.Td>
            {current && s.status === 'prevue' ? (
              <Group gap={4} wrap="nowrap">
                {p.status === 'attente' && (
                  <Button size="compact-sm" onClick={onPromote} aria-label={`Inscrire ${who} depuis la liste d’attente`}>
                    Inscrire
                  </Button>
                )}
                <Button size="compact-sm" variant="default" onClick={() => setOpen(open === 'deplacer' ? null : 'deplacer')} aria-expanded={open === 'deplacer'} aria-label={`Déplacer ${who}`}>
                  Déplacer
                </Button>
                <Button size="compact-sm" variant="default" color="red" onClick={() => setOpen(open === 'annuler' ? null : 'annuler')} aria-expanded={open === 'annuler'} aria-label={`Annuler l’inscription de ${who}`}>
                  Annuler
                </Button>
              </Group>
            ) : (
              '—'
            )}
          </Table.Td>
        )}
      </Table.Tr>
      {open && (
        <Table.Tr>
          <Table.Td colSpan={5 + (showAttendance ? 1 : 0) + (showActions ? 1 : 0)}>
            {open === 'annuler' ? <CancelRegistration p={p} onCancel={() => setOpen(null)} onDone={onDone} /> : <MoveRegistration s={s} p={p} onCancel={() => setOpen(null)} onDone={onDone} />}
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function CancelRegistration({ p, onCancel, onDone }: { p: Participant; onCancel: () => void; onDone: (text: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await call('sessions.registration.cancel', { registrationId: p.registrationId, reason });
      onDone(`Inscription de ${p.prenom} ${p.nom} annulée.`);
    } catch (err) {
      const x = errorOf(err);
      setError(x.fields.reason ?? x.message);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Annuler l’inscription de ${p.prenom} ${p.nom}`}>
      <Group align="flex-end">
        <TextInput label={`Motif de l’annulation (${p.prenom} ${p.nom})`} placeholder="Absence prévenue, départ du poste…" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} w={420} data-autofocus autoFocus />
        <Button type="submit" color="red">
          Confirmer l’annulation
        </Button>
        <Button variant="subtle" onClick={onCancel}>
          Fermer
        </Button>
      </Group>
    </form>
  );
}

function MoveRegistration({ s, p, onCancel, onDone }: { s: SessionDetail; p: Participant; onCancel: () => void; onDone: (text: string) => void }) {
  const sessions = useLoad(() => call('sessions.list', { conventionId: s.conventionId }), [s.conventionId]);
  const [to, setTo] = useState<string | null>(null);
  const [waitingList, setWaitingList] = useState(false);
  const [error, setError] = useState<{ message: string; refused: Refused[] } | null>(null);
  const targets = (sessions.data ?? []).filter((x) => x.id !== s.id && x.status === 'prevue');
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!to) return;
    setError(null);
    try {
      const dest = await call('sessions.registration.move', { registrationId: p.registrationId, toSessionId: Number(to), waitingList });
      onDone(`${p.prenom} ${p.nom} est déplacé(e) vers « ${dest.title} » ; l’inscription d’origine reste dans l’historique.`);
    } catch (err) {
      const x = errorOf(err);
      setError({ message: x.message, refused: refusedOf(x.details) });
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Déplacer ${p.prenom} ${p.nom}`}>
      <Stack gap="xs">
        <Group align="flex-end">
          <Select
            label={`Nouvelle session pour ${p.prenom} ${p.nom}`}
            placeholder={targets.length ? 'Choisir' : 'Aucune autre session prévue'}
            data={targets.map((x) => ({ value: String(x.id), label: `${sessionDates(x)} — ${x.title} (${x.registered}/${x.capacity})` }))}
            value={to}
            onChange={setTo}
            w={480}
            searchable
          />
          <Checkbox label="En liste d’attente" checked={waitingList} onChange={(e) => setWaitingList(e.currentTarget.checked)} mb={8} />
          <Button type="submit" disabled={!to}>
            Déplacer
          </Button>
          <Button variant="subtle" onClick={onCancel}>
            Fermer
          </Button>
        </Group>
        {error && (error.refused.length ? <RefusalList refused={error.refused} title="Déplacement refusé" /> : <Alert color="red" role="alert">{error.message}</Alert>)}
      </Stack>
    </form>
  );
}

function CancelSession({ s, onDone }: { s: SessionDetail; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await call('sessions.cancel', { id: s.id, reason });
      onDone();
    } catch (err) {
      const x = errorOf(err);
      setError(x.fields.reason ?? x.message);
    }
  }
  return (
    <section aria-labelledby="annuler-title">
      <Title order={2} size="h3" id="annuler-title" mb="xs">
        Annuler la session
      </Title>
      {!open ? (
        <Button variant="default" color="red" onClick={() => setOpen(true)}>
          Annuler la session…
        </Button>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack maw={640} gap="xs">
            <Text size="sm">Les inscriptions en cours (inscrits et liste d’attente) seront annulées avec la session ; elles restent dans l’historique.</Text>
            <Textarea label="Motif de l’annulation de la session" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error} autosize minRows={2} required />
            <Group>
              <Button type="submit" color="red">
                Confirmer l’annulation de la session
              </Button>
              <Button variant="subtle" onClick={() => setOpen(false)}>
                Ne pas annuler
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </section>
  );
}
