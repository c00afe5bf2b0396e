// Budget of the convention: received / committed / paid / remaining as an accessible bar chart
// and a table, then the frais de gestion and engineering expenses (reliquat rule shown as decided).
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Budget, FindingDto } from '../../../../shared/ipc/channels/marche';
import type { OutputOf } from '../../../../shared/ipc/contract';
import { call } from '../../api';
import { useConvention } from '../../conventionContext';
import { formatCents, formatDate } from '../../format';
import { useLoad } from '../../useLoad';
import { AttachFile, centsToInput, DateField, DeleteButton, EditDialog, errorOf, EurosField, Findings } from './common';

type ExpenseKind = OutputOf<'marche.expenses.list'>[number]['kind'];

/** Horizontal bars, scaled on the largest figure; each bar carries its own text. */
export function BudgetChart({ b }: { b: Budget }) {
  const bars = [
    { label: 'Reçu', value: b.receivedCents, color: '#364fc7' },
    { label: 'Engagé (commandes)', value: b.committedCents, color: '#e67700' },
    { label: 'Payé', value: b.paidCents, color: '#2b8a3e' },
    { label: 'Frais de gestion et ingénierie', value: b.fraisGestionSpentCents + b.engineeringSpentCents, color: '#862e9c' },
    { label: 'Formateurs internes', value: b.internalTrainersSpentCents, color: '#0b7285' },
    { label: 'Reste disponible', value: Math.max(0, b.remainingCents), color: '#495057' },
  ];
  const max = Math.max(1, ...bars.map((x) => x.value));
  const W = 640;
  const labelW = 230;
  const barMax = W - labelW - 120;
  const H = bars.length * 34 + 8;
  const summary = bars.map((x) => `${x.label} : ${formatCents(x.value)}`).join(' ; ');
  return (
    <svg role="img" aria-label={`Budget de la convention — ${summary}`} viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }}>
      {bars.map((x, i) => {
        const y = 8 + i * 34;
        const w = Math.round((x.value / max) * barMax);
        return (
          <g key={x.label}>
            <text x={0} y={y + 17} fontSize={14} fill="#212529">
              {x.label}
            </text>
            <rect x={labelW} y={y} width={Math.max(w, 1)} height={24} fill={x.color} rx={3} />
            <text x={labelW + Math.max(w, 1) + 8} y={y + 17} fontSize={14} fill="#212529">
              {formatCents(x.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function BudgetView() {
  const { conventionId, refresh, refreshKey } = useConvention();
  const budget = useLoad(() => (conventionId === null ? Promise.resolve(null) : call('marche.budget', { conventionId })), [conventionId, refreshKey]);
  const expenses = useLoad(() => (conventionId === null ? Promise.resolve([]) : call('marche.expenses.list', { conventionId })), [conventionId, refreshKey]);
  const convention = useLoad(() => (conventionId === null ? Promise.resolve(null) : call('convention.get', { id: conventionId })), [conventionId]);
  if (conventionId === null) return <Alert>Choisissez ou créez d’abord une convention.</Alert>;
  if (budget.error) return <Alert color="red">{budget.error}</Alert>;
  const b = budget.data;
  if (!b) return <Loader aria-label="Chargement" />;
  const changed = () => {
    budget.reload();
    expenses.reload();
    refresh();
  };
  return (
    <Stack gap="lg">
      <Title order={1}>Budget de la convention</Title>
      <Anchor href="#/marche">← Marché de formation</Anchor>
      {b.overspentCents > 0 && (
        <Alert color="red" title="Dépassement">
          Les engagements dépassent le montant reçu de {formatCents(b.overspentCents)}.
        </Alert>
      )}
      <BudgetChart b={b} />
      <Table withTableBorder maw={640}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Poste</Table.Th>
            <Table.Th ta="right">Montant</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[
            ['Montant de la convention', b.amountCents],
            ['Reçu', b.receivedCents],
            ['Engagé (bons de commande, TTC)', b.committedCents],
            ['Facturé', b.invoicedCents],
            ['Payé (factures de formation)', b.paidCents],
            [`Frais de gestion (prévu ${formatCents(b.fraisGestionPlannedCents)})`, b.fraisGestionSpentCents],
            [`Ingénierie sur le reliquat (prévu ${formatCents(b.engineeringPlannedCents)})`, b.engineeringSpentCents],
            ['Rémunération des formateurs internes (décret n° 2010-235)', b.internalTrainersSpentCents],
            ['Total engagé', b.totalCommittedCents],
            ['Reste disponible', b.remainingCents],
          ].map(([label, v]) => (
            <Table.Tr key={label as string}>
              <Table.Td>{label}</Table.Td>
              <Table.Td ta="right">{formatCents(v as number)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Alert color={b.reliquat.allowed ? 'green' : 'gray'} title="Reliquat">
        {b.reliquat.message}
      </Alert>
      <section aria-labelledby="expenses-title">
        <Title order={2} size="h3" id="expenses-title" mb="xs">
          Frais de gestion et dépenses d’ingénierie
        </Title>
        {(expenses.data ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            Aucune dépense enregistrée.
          </Text>
        ) : (
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Nature</Table.Th>
                <Table.Th>Libellé</Table.Th>
                <Table.Th ta="right">Montant</Table.Th>
                <Table.Th>Justificatif</Table.Th>
                <Table.Th>Corriger</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(expenses.data ?? []).map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{formatDate(e.expenseDate)}</Table.Td>
                  <Table.Td>
                    {e.kindLabel}
                    {e.engineeringActionLabel ? ` — ${e.engineeringActionLabel}` : ''}
                  </Table.Td>
                  <Table.Td>
                    {e.label}
                    {e.windowWarning && (
                      <Text size="xs" c="#8f3800" role="note">
                        ⚠ {e.windowWarning}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatCents(e.amountCents)}</Table.Td>
                  <Table.Td>{e.hasProof ? <Badge variant="light">joint</Badge> : <AttachFile ownerType="expense" ownerId={e.id} role="justificatif" label={`Justificatif de « ${e.label} »`} onDone={changed} />}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ExpenseEdit e={e} actions={convention.data?.engineeringActions ?? []} onChange={changed} />
                      <DeleteButton what={`la dépense « ${e.label} »`} onConfirm={() => call('marche.expenses.delete', { id: e.id })} onDone={changed} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <ExpenseForm conventionId={conventionId} actions={convention.data?.engineeringActions ?? []} onSaved={changed} />
      </section>
    </Stack>
  );
}

function ExpenseForm({ conventionId, actions, onSaved }: { conventionId: number; actions: { id: number; label: string }[]; onSaved: () => void }) {
  const [kind, setKind] = useState<string | null>('frais_gestion');
  const [action, setAction] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [findings, setFindings] = useState<FindingDto[]>([]);
  const [ack, setAck] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const input = () => ({
    conventionId,
    kind: (kind ?? 'frais_gestion') as ExpenseKind,
    engineeringActionId: kind === 'ingenierie' && action ? Number(action) : null,
    label,
    expenseDate: date,
    amountCents: amount,
    acceptWarnings: ack,
  });
  async function save() {
    setError(null);
    try {
      const ev = await call('marche.expenses.check', input());
      setFindings(ev.findings);
      if (!ev.canSave || (ev.needsAcknowledgement && !ack)) {
        if (ev.canSave) setError({ message: 'Confirmez les alertes ci-dessus pour enregistrer la dépense.', fields: {} });
        else if (!ev.findings.some((f) => f.level === 'refus')) await call('marche.expenses.create', input()); // shows the field messages
        return;
      }
      await call('marche.expenses.create', input());
      setLabel('');
      setAmount('');
      setFindings([]);
      setAck(false);
      onSaved();
    } catch (e) {
      setError(errorOf(e));
    }
  }
  return (
    <Stack gap="xs" mt="sm">
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Select
          label="Nature de la dépense"
          data={[
            { value: 'frais_gestion', label: 'Frais de gestion' },
            { value: 'ingenierie', label: 'Ingénierie (reliquat)' },
            { value: 'formateurs_internes', label: 'Rémunération des formateurs internes (décret n° 2010-235)' },
          ]}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setFindings([]);
          }}
        />
        {kind === 'ingenierie' && <Select label="Action d’ingénierie de la convention" data={actions.map((a) => ({ value: String(a.id), label: a.label }))} value={action} onChange={setAction} error={error?.fields.engineeringActionId} />}
        <TextInput label="Libellé de la dépense" value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={error?.fields.label} />
      </SimpleGrid>
      <Group align="flex-start">
        <DateField label="Date de la dépense" value={date} onChange={setDate} error={error?.fields.expenseDate} />
        <EurosField label="Montant de la dépense" value={amount} onChange={setAmount} error={error?.fields.amountCents} />
      </Group>
      <Findings findings={findings} title="Contrôles de la dépense" />
      {findings.some((f) => f.level === 'alerte') && <Checkbox label="J’ai pris connaissance des alertes et je confirme la dépense" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />}
      <Group>
        <Button onClick={() => void save()} disabled={!label || !date || !amount}>
          Enregistrer la dépense
        </Button>
      </Group>
      {error && (
        <Alert color="red" role="alert">
          {error.message}
        </Alert>
      )}
    </Stack>
  );
}

type ExpenseRow = OutputOf<'marche.expenses.list'>[number];

function ExpenseEdit({ e, actions, onChange }: { e: ExpenseRow; actions: { id: number; label: string }[]; onChange: () => void }) {
  const [kind, setKind] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  return (
    <EditDialog
      what={`la dépense « ${e.label} »`}
      onOpen={() => {
        setKind(e.kind);
        setAction(e.engineeringActionId === null ? null : String(e.engineeringActionId));
        setLabel(e.label);
        setDate(e.expenseDate);
        setAmount(centsToInput(e.amountCents));
      }}
      onSave={(acceptWarnings) =>
        call('marche.expenses.update', {
          id: e.id,
          kind: (kind ?? 'frais_gestion') as ExpenseKind,
          engineeringActionId: kind === 'ingenierie' && action ? Number(action) : null,
          label,
          expenseDate: date,
          amountCents: amount,
          acceptWarnings,
        })
      }
      onDone={onChange}
    >
      {(fields) => (
        <>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Select
              label="Nature de la dépense"
              data={[
                { value: 'frais_gestion', label: 'Frais de gestion' },
                { value: 'ingenierie', label: 'Ingénierie (reliquat)' },
                { value: 'formateurs_internes', label: 'Rémunération des formateurs internes (décret n° 2010-235)' },
              ]}
              value={kind}
              onChange={setKind}
            />
            {kind === 'ingenierie' && <Select label="Action d’ingénierie de la convention" data={actions.map((a) => ({ value: String(a.id), label: a.label }))} value={action} onChange={setAction} error={fields.engineeringActionId} />}
            <TextInput label="Libellé de la dépense" value={label} onChange={(ev) => setLabel(ev.currentTarget.value)} error={fields.label} />
          </SimpleGrid>
          <Group align="flex-start">
            <DateField label="Date de la dépense" value={date} onChange={setDate} error={fields.expenseDate} />
            <EurosField label="Montant de la dépense" value={amount} onChange={setAmount} error={fields.amountCents} />
          </Group>
        </>
      )}
    </EditDialog>
  );
}
