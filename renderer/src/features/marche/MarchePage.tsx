// Step 3 — Marché de formation. Routes: #/marche (needs of the convention), #/marche/nouveau,
// #/marche/<id> (the wizard), #/marche/organismes[/nouveau|/<id>], #/marche/budget.
import { Alert, Anchor, Badge, Button, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { call } from '../../api';
import { useConvention } from '../../conventionContext';
import { formatCents } from '../../format';
import { navigate } from '../../router';
import { useLoad } from '../../useLoad';
import { BudgetChart, BudgetView } from './BudgetView';
import { DateField, errorOf, EurosField, KIND_OPTIONS } from './common';
import { MarcheWizard } from './MarcheWizard';
import { OrganismeDetail, OrganismeList, OrganismeNew } from './OrganismesPages';

export function MarchePage({ route }: { route: string[] }) {
  const [a, b] = route;
  if (a === 'organismes') {
    if (b === 'nouveau') return <OrganismeNew />;
    if (b && /^\d+$/.test(b)) return <OrganismeDetail id={Number(b)} />;
    return <OrganismeList />;
  }
  if (a === 'budget') return <BudgetView />;
  if (a === 'nouveau') return <NewMarche />;
  if (a && /^\d+$/.test(a)) return <MarcheWizard id={Number(a)} />;
  return <MarcheOverview />;
}

function MarcheOverview() {
  const { conventionId, refreshKey } = useConvention();
  const list = useLoad(() => (conventionId === null ? Promise.resolve([]) : call('marche.list', { conventionId })), [conventionId, refreshKey]);
  const budget = useLoad(() => (conventionId === null ? Promise.resolve(null) : call('marche.budget', { conventionId })), [conventionId, refreshKey]);
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>Étape 3 — Marché de formation</Title>
        <Group>
          <Button variant="default" onClick={() => navigate('marche/organismes')}>
            Organismes de formation
          </Button>
          <Button onClick={() => navigate('marche/nouveau')} disabled={conventionId === null}>
            Nouveau besoin de formation
          </Button>
        </Group>
      </Group>
      <Text c="dimmed">
        Marché sans publicité ni mise en concurrence (art. R2122-8) : au moins deux devis d’organismes certifiés Qualiopi, une raison écrite du choix, un bon de commande, puis factures et paiements. Le seuil s’apprécie sur l’ensemble des formations achetées dans l’année.
      </Text>
      {conventionId === null && <Alert>Choisissez ou créez d’abord une convention.</Alert>}
      {list.error && <Alert color="red">{list.error}</Alert>}
      {list.loading && !list.data && <Loader aria-label="Chargement" />}
      {list.data && list.data.length === 0 && conventionId !== null && <Alert title="Aucun besoin">Décrivez un premier besoin de formation (type, nombre de places, dates).</Alert>}
      {list.data && list.data.length > 0 && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Besoin</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Places</Table.Th>
              <Table.Th>Devis</Table.Th>
              <Table.Th>Commande</Table.Th>
              <Table.Th>Payé</Table.Th>
              <Table.Th>Avancement</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Anchor href={`#/marche/${m.id}`}>{m.label}</Anchor>
                </Table.Td>
                <Table.Td>{m.kind.replace('_', ' + ')}</Table.Td>
                <Table.Td>{m.seats}</Table.Td>
                <Table.Td>{m.quotes.length}</Table.Td>
                <Table.Td>{m.order ? `${m.order.number} — ${formatCents(m.order.amountTtcCents)}` : '—'}</Table.Td>
                <Table.Td>{m.order ? formatCents(m.order.paidCents) : '—'}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{m.stageLabel}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <YearPurchases refreshKey={refreshKey} />
      {budget.data && (
        <section aria-labelledby="budget-title">
          <Group justify="space-between">
            <Title order={2} size="h3" id="budget-title">
              Budget
            </Title>
            <Anchor href="#/marche/budget">Détail du budget, frais de gestion et ingénierie</Anchor>
          </Group>
          <BudgetChart b={budget.data} />
        </section>
      )}
    </Stack>
  );
}

/**
 * The annual sum compared with the threshold (art. R2121-6/7): each year's orders (all conventions)
 * plus the département's other training purchases of the year, entered as one figure.
 */
function YearPurchases({ refreshKey }: { refreshKey: number }) {
  const list = useLoad(() => call('marche.otherPurchases.list', {}), [refreshKey]);
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [saved, setSaved] = useState(false);
  async function save() {
    setError(null);
    setSaved(false);
    try {
      await call('marche.otherPurchases.set', { year: Number(year), amountHtCents: amount, note: note.trim() === '' ? null : note });
      setSaved(true);
      list.reload();
    } catch (e) {
      setError(errorOf(e));
    }
  }
  return (
    <section aria-labelledby="year-purchases-title">
      <Title order={2} size="h3" id="year-purchases-title" mb={4}>
        Achats de formation de l’année (seuil annuel)
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        Le seuil du marché sans publicité ni mise en concurrence s’apprécie sur toutes les formations achetées par le département dans l’année (art. R2121-6 et R2121-7). Indiquez ici, en un montant HT par année, les autres achats de formation du département faits hors de cette application : ils sont comptés dans le contrôle de chaque bon de commande.
      </Text>
      {list.data && list.data.length > 0 && (
        <Table withTableBorder maw={820} mb="xs" aria-label="Achats de formation par année">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Année</Table.Th>
              <Table.Th ta="right">Bons de commande (HT)</Table.Th>
              <Table.Th ta="right">Autres achats du département (HT)</Table.Th>
              <Table.Th ta="right">Total de l’année (HT)</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((y) => (
              <Table.Tr key={y.year}>
                <Table.Td>{y.year}</Table.Td>
                <Table.Td ta="right">{formatCents(y.ordersHtCents)}</Table.Td>
                <Table.Td ta="right">{formatCents(y.amountHtCents)}</Table.Td>
                <Table.Td ta="right">
                  <strong>{formatCents(y.totalHtCents)}</strong>
                </Table.Td>
                <Table.Td>{y.note ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-start">
        <TextInput label="Année" inputMode="numeric" value={year} onChange={(e) => setYear(e.currentTarget.value)} error={error?.fields.year} w={100} />
        <EurosField label="Autres achats de formation (HT)" value={amount} onChange={setAmount} error={error?.fields.amountHtCents} />
        <TextInput label="Note (facultatif)" value={note} onChange={(e) => setNote(e.currentTarget.value)} w={320} />
        <Button mt={24} variant="default" onClick={() => void save()} disabled={!/^\d{4}$/.test(year)}>
          Enregistrer le montant de l’année
        </Button>
      </Group>
      {saved && (
        <Text role="status" size="sm">
          Montant enregistré.
        </Text>
      )}
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error.message}
        </Alert>
      )}
    </section>
  );
}

function NewMarche() {
  const { conventionId } = useConvention();
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [seats, setSeats] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [consultation, setConsultation] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (conventionId === null) return;
    setError(null);
    try {
      const m = await call('marche.create', { conventionId, label, kind: (kind ?? 'AN') as 'AN', seats: Number(seats), needStart: start || null, needEnd: end || null, consultationDate: consultation || null });
      navigate(`marche/${m.id}`);
    } catch (err) {
      setError(errorOf(err));
    }
  }
  return (
    <Stack>
      <Title order={1}>Nouveau besoin de formation</Title>
      <Anchor href="#/marche">← Marché de formation</Anchor>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack maw={720}>
          <TextInput label="Besoin" description="ex. « Aidants Connect — 12 agents France Services »" value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={error?.fields.label} required />
          <Group align="flex-start">
            <Select label="Type de formation" data={KIND_OPTIONS} value={kind} onChange={setKind} w={300} required />
            <TextInput label="Nombre de places" inputMode="numeric" value={seats} onChange={(e) => setSeats(e.currentTarget.value)} error={error?.fields.seats} w={160} required />
          </Group>
          <Group align="flex-start">
            <DateField label="Début souhaité" value={start} onChange={setStart} error={error?.fields.needStart} />
            <DateField label="Fin souhaitée" value={end} onChange={setEnd} error={error?.fields.needEnd} />
          </Group>
          <DateField label="Demande de devis envoyée le" value={consultation} onChange={setConsultation} error={error?.fields.consultationDate} />
          <Text size="xs" c="dimmed">
            Le seuil applicable est celui du jour où la consultation est engagée (décret n° 2025-1386, art. 4) : 40 000 € HT avant le 01/04/2026, 60 000 € HT à partir de cette date. À défaut, la date du premier devis reçu est retenue.
          </Text>
          {error && (
            <Alert color="red" role="alert">
              {error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" disabled={!kind || !/^\d+$/.test(seats) || label.trim() === ''}>
              Créer le besoin
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
