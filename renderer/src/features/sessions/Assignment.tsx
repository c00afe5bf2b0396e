// Assignment: the people who could join a session, filtered, each with what the service says
// (refusal reasons, warnings); the officer picks several and registers them. A refusal lists
// every person and reason; a full session offers the waiting list; a person who is not eligible
// is registered only with the officer's written reason (checked by the service).
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Pagination, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Candidate } from '../../../../shared/ipc/channels/sessions';
import { call } from '../../api';
import { useLoad } from '../../useLoad';
import { BADGE_STYLE, errorOf, FillRate, WARN_COLOR, KIND_SHORT, RefusalList, refusedOf, sessionDates, type Refused } from './common';

const PAGE = 50;

export function Assignment({ sessionId }: { sessionId: number }) {
  const session = useLoad(() => call('sessions.get', { id: sessionId }), [sessionId]);
  const structures = useLoad(() => call('recensement.structures.list', { limit: 1000 }), []);
  const [search, setSearch] = useState('');
  const [structureId, setStructureId] = useState<string | null>(null);
  const [eligibility, setEligibility] = useState<'all' | 'eligible' | 'ineligible'>('all');
  const [training, setTraining] = useState<string | null>(null);
  const [assignableOnly, setAssignableOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Map<number, Candidate>>(new Map());
  const [overrideReason, setOverrideReason] = useState('');
  const [waitingList, setWaitingList] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; refused: Refused[] } | null>(null);
  const [result, setResult] = useState<{ text: string; warnings: string[] } | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => setPage(1), [search, structureId, eligibility, training, assignableOnly]);
  const list = useLoad(
    () =>
      call('sessions.candidates', {
        sessionId,
        search: search || undefined,
        structureId: structureId ? Number(structureId) : undefined,
        eligibility,
        training: (training as 'AN' | 'AC' | 'AN_AC' | 'none' | null) ?? undefined,
        assignableOnly,
        offset: (page - 1) * PAGE,
        limit: PAGE,
      }),
    [sessionId, search, structureId, eligibility, training, assignableOnly, page, n],
  );
  if (session.error) return <Alert color="red">{session.error}</Alert>;
  if (!session.data) return <Loader aria-label="Chargement" />;
  const s = session.data;
  const rows = list.data?.rows ?? [];
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE));
  const full = s.registered >= s.capacity;
  const toggle = (c: Candidate, on: boolean) =>
    setSelected((m) => {
      const next = new Map(m);
      if (on) next.set(c.personId, c);
      else next.delete(c.personId);
      return next;
    });
  const selectable = rows.filter((c) => c.inSession === null);
  const allOnPage = selectable.length > 0 && selectable.every((c) => selected.has(c.personId));
  const someIneligible = [...selected.values()].some((c) => !c.eligible);
  const refusedComplet = refusal?.refused.some((r) => r.reasons.some((x) => x.code === 'complet')) ?? false;
  const refusedIneligible = refusal?.refused.some((r) => r.reasons.some((x) => x.code === 'non_eligible')) ?? false;

  async function register(toWaitingList: boolean) {
    setBusy(true);
    setRefusal(null);
    setResult(null);
    try {
      const r = await call('sessions.register', { sessionId, personIds: [...selected.keys()], waitingList: toWaitingList, overrideReason: overrideReason.trim() || null });
      const names = new Map([...selected.values()].map((c) => [c.personId, `${c.prenom} ${c.nom}`]));
      const k = r.registered.length;
      setResult({
        text: `${k} personne${k > 1 ? 's' : ''} ${toWaitingList ? 'mise' + (k > 1 ? 's' : '') + ' en liste d’attente' : 'inscrite' + (k > 1 ? 's' : '')} : ${r.registered.map((x) => names.get(x.personId)).join(', ')}.`,
        warnings: r.registered.flatMap((x) => x.warnings.map((w) => `${names.get(x.personId)} — ${w.message}`)),
      });
      setSelected(new Map());
      setOverrideReason('');
      setWaitingList(false);
      session.reload();
      setN((x) => x + 1);
    } catch (e) {
      const err = errorOf(e);
      setRefusal({ message: err.message, refused: refusedOf(err.details) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack gap="md">
      <Anchor href={`#/sessions/${s.id}`}>← Retour à la session</Anchor>
      <Title order={1}>Inscrire des professionnels — {s.title}</Title>
      <Group gap="lg">
        <Text size="sm">
          {s.kindLabel} — {sessionDates(s)}
        </Text>
        <FillRate s={s} wide />
      </Group>
      {s.status === 'annulee' && <Alert color="red">Cette session est annulée : personne ne peut y être inscrit.</Alert>}
      {full && s.status === 'prevue' && (
        <Alert color="yellow" title="Session complète">
          Toutes les places sont prises : les personnes choisies peuvent être mises en liste d’attente.
        </Alert>
      )}
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Rechercher" placeholder="Nom, e-mail ou structure" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={240} />
        <Select
          label="Structure"
          placeholder="Toutes"
          clearable
          searchable
          nothingFoundMessage="Aucune structure"
          data={(structures.data?.rows ?? []).map((x) => ({ value: String(x.id), label: x.city ? `${x.name} (${x.city})` : x.name }))}
          value={structureId}
          onChange={setStructureId}
          w={300}
        />
        <Select
          label="Éligibilité"
          data={[
            { value: 'all', label: 'Tous' },
            { value: 'eligible', label: 'Éligibles' },
            { value: 'ineligible', label: 'Non éligibles' },
          ]}
          value={eligibility}
          onChange={(v) => setEligibility((v as 'all' | 'eligible' | 'ineligible') ?? 'all')}
          allowDeselect={false}
          w={160}
        />
        <Select
          label="Formation souhaitée"
          placeholder="Toutes"
          clearable
          data={[
            { value: 'AN', label: 'AN' },
            { value: 'AC', label: 'AC' },
            { value: 'AN_AC', label: 'AN + AC' },
            { value: 'none', label: 'Non précisée' },
          ]}
          value={training}
          onChange={setTraining}
          w={180}
        />
        <Checkbox label="Seulement les personnes inscriptibles" checked={assignableOnly} onChange={(e) => setAssignableOnly(e.currentTarget.checked)} mb={8} />
      </Group>
      {list.error && <Alert color="red">{list.error}</Alert>}
      <Text size="sm" aria-live="polite">
        {list.data ? `${list.data.total} professionnel${list.data.total > 1 ? 's' : ''} — ${selected.size} choisi${selected.size > 1 ? 's' : ''}` : 'Chargement…'}
      </Text>
      <Stack gap="xs" maw={760}>
        <Textarea
          label="Motif pour inscrire une personne non éligible"
          description="Seulement si vous décidez d’inscrire quand même une personne que les règles écartent : le motif est conservé avec l’inscription."
          autosize
          minRows={2}
          value={overrideReason}
          onChange={(e) => setOverrideReason(e.currentTarget.value)}
          error={refusedIneligible && someIneligible ? 'Écrivez le motif de cette décision pour inscrire la personne non éligible.' : undefined}
        />
        <Checkbox label="Mettre en liste d’attente" checked={waitingList} onChange={(e) => setWaitingList(e.currentTarget.checked)} />
        <Group>
          <Button onClick={() => void register(waitingList)} loading={busy} disabled={selected.size === 0 || s.status === 'annulee'}>
            {waitingList ? `Mettre en liste d’attente (${selected.size})` : `Inscrire la sélection (${selected.size})`}
          </Button>
          {selected.size > 0 && (
            <Button variant="subtle" onClick={() => setSelected(new Map())}>
              Vider la sélection
            </Button>
          )}
        </Group>
      </Stack>
      {refusal &&
        (refusal.refused.length ? (
          <Stack gap="xs">
            <RefusalList refused={refusal.refused} title="Inscription refusée : rien n’a été enregistré" />
            {refusedComplet && (
              <Group>
                <Button variant="default" onClick={() => void register(true)} loading={busy}>
                  Mettre la sélection en liste d’attente
                </Button>
              </Group>
            )}
          </Stack>
        ) : (
          <Alert color="red" role="alert">
            {refusal.message}
          </Alert>
        ))}
      {result && (
        <Stack gap={4} role="status">
          <Text size="sm" className="fne-success" fw={600}>
            {result.text}
          </Text>
          {result.warnings.map((w, i) => (
            <Text key={i} size="sm" c={WARN_COLOR}>
              ⚠ {w}
            </Text>
          ))}
        </Stack>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover withTableBorder aria-label="Professionnels à inscrire">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Choisir toute la page"
                  checked={allOnPage}
                  indeterminate={!allOnPage && selectable.some((c) => selected.has(c.personId))}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    for (const c of selectable) toggle(c, on);
                  }}
                />
              </Table.Th>
              <Table.Th>Nom</Table.Th>
              <Table.Th>Prénom</Table.Th>
              <Table.Th>Structure</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Souhait</Table.Th>
              <Table.Th>Pour cette session</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.personId}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Choisir ${c.prenom} ${c.nom}`}
                    checked={selected.has(c.personId)}
                    disabled={c.inSession !== null}
                    onChange={(e) => toggle(c, e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td>{c.nom}</Table.Td>
                <Table.Td>{c.prenom}</Table.Td>
                <Table.Td>{c.structureName ?? '—'}</Table.Td>
                <Table.Td>{c.email ?? '—'}</Table.Td>
                <Table.Td>{c.trainingWish ? KIND_SHORT[c.trainingWish] : '—'}</Table.Td>
                <Table.Td>
                  {c.inSession ? (
                    <Badge variant="light" color="blue" style={BADGE_STYLE}>
                      {c.inSession === 'attente' ? 'En liste d’attente' : 'Déjà inscrit'}
                    </Badge>
                  ) : c.refusals.length === 0 ? (
                    <Badge variant="light" color="green" style={BADGE_STYLE}>
                      Inscriptible
                    </Badge>
                  ) : (
                    c.refusals.map((r, i) => (
                      <Text key={i} size="xs" c="red.9">
                        {r.message}
                      </Text>
                    ))
                  )}
                  {c.warnings.map((w) => (
                    <Text key={w.code} size="xs" c={WARN_COLOR}>
                      ⚠ {w.message}{' '}
                      <Anchor href={`#/recensement/personnes/${c.personId}`} size="xs" aria-label={`Voir la fiche de ${c.prenom} ${c.nom}`}>
                        Voir la fiche
                      </Anchor>
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={setPage}
          getItemProps={(k) => ({ 'aria-label': `Page ${k}` })}
          getControlProps={(c) => ({ 'aria-label': c === 'previous' ? 'Page précédente' : c === 'next' ? 'Page suivante' : c === 'first' ? 'Première page' : 'Dernière page' })}
        />
      )}
    </Stack>
  );
}
