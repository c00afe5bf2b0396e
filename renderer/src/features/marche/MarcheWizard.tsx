// The procurement record of one need, as a wizard: need → quotes → choice and reason → order →
// invoices and payments. Each step shows what the services decided (findings, remaining amounts).
import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, Radio, Select, Stack, Stepper, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Marche, Order, OrderEvaluation } from '../../../../shared/ipc/channels/marche';
import { call } from '../../api';
import { PiecesPanel } from '../../components/PiecesPanel';
import { useConvention } from '../../conventionContext';
import { formatCents, formatDate } from '../../format';
import { useLoad } from '../../useLoad';
import { AttachFile, centsToInput, DateField, DeleteButton, downloadPdf, EditDialog, errorOf, EurosField, FieldErrors, Findings } from './common';

const STAGE_INDEX = { besoin: 1, devis: 1, choix: 3, commande: 4, facturation: 4, solde: 5 } as const;

export function MarcheWizard({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => call('marche.get', { id }), [id]);
  const { refresh } = useConvention();
  if (error) return <Alert color="red">{error}</Alert>;
  if (!data) return <Loader aria-label="Chargement" />;
  const changed = () => {
    reload();
    refresh();
  };
  const active = data.stage === 'devis' && data.quotes.length >= 1 ? 2 : STAGE_INDEX[data.stage];
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1}>{data.label}</Title>
        <Badge size="lg" variant="light">
          {data.stageLabel}
        </Badge>
      </Group>
      <Anchor href="#/marche">← Marché de formation</Anchor>
      {data.windowWarnings.length > 0 && (
        <Alert color="orange" title="Hors de la période de la convention" role="status">
          <Stack gap={4}>
            {data.windowWarnings.map((w) => (
              <Text size="sm" key={w}>
                {w}
              </Text>
            ))}
            <Anchor href={`#/convention/${data.conventionId}`} size="sm">
              Voir les dates de la convention
            </Anchor>
          </Stack>
        </Alert>
      )}
      <Stepper active={active} size="sm" aria-label="Avancement du marché" allowNextStepsSelect={false}>
        <Stepper.Step label="Besoin" description={`${data.kindLabel}, ${data.seats} places`} />
        <Stepper.Step label="Devis" description={`${data.quotes.length} reçu${data.quotes.length > 1 ? 's' : ''}`} />
        <Stepper.Step label="Choix" description="raison écrite" />
        <Stepper.Step label="Commande" description="bon de commande" />
        <Stepper.Step label="Factures et paiements" />
      </Stepper>
      <Text>
        Besoin : {data.kindLabel} — {data.seats} places — du {formatDate(data.needStart)} au {formatDate(data.needEnd)}.
      </Text>
      <ConsultationDate m={data} onChange={changed} />
      {data.order === null && (
        <Text size="sm">
          Pour demander les devis : <Anchor href={`#/documents/consultation/${data.id}`}>demande de devis et cahier des charges à envoyer aux organismes</Anchor> (pré-remplis d’après ce besoin, avec la comparaison des devis reçus).
        </Text>
      )}
      <QuotesStep m={data} onChange={changed} />
      {data.quotes.length > 0 && <ChoiceStep m={data} onChange={changed} />}
      {data.anctReferencing && <ReferencingStep m={data} />}
      {data.chosenQuoteId !== null && <OrderStep m={data} onChange={changed} />}
      {data.order && <InvoicesStep m={data} onChange={changed} />}
    </Stack>
  );
}

const CONSULTATION_SOURCE = {
  demande_de_devis: 'envoi de la demande de devis',
  premier_devis: 'date du premier devis reçu, faute de date d’envoi de la demande de devis',
  commande: 'date de la commande',
} as const;

/** The date the consultation was engaged: it decides the threshold in force (décret n° 2025-1386, art. 4). */
function ConsultationDate({ m, onChange }: { m: Marche; onChange: () => void }) {
  const [date, setDate] = useState(m.consultationDate ?? '');
  const [ack, setAck] = useState(false);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  async function save() {
    setError(null);
    try {
      await call('marche.setConsultationDate', { marcheId: m.id, consultationDate: date || null, acceptWarnings: ack });
      onChange();
    } catch (e) {
      setError(errorOf(e));
    }
  }
  return (
    <section aria-labelledby="consultation-title">
      <Title order={2} size="h3" id="consultation-title" mb={4}>
        Consultation
      </Title>
      <Text size="sm" mb="xs">
        {m.consultation
          ? `Consultation engagée ${m.consultation.source === 'premier_devis' ? 'au plus tard ' : ''}le ${formatDate(m.consultation.date)} (${CONSULTATION_SOURCE[m.consultation.source]}). `
          : 'Date d’envoi de la demande de devis non enregistrée. '}
        Le seuil du marché sans publicité ni mise en concurrence est celui en vigueur ce jour-là (décret n° 2025-1386, art. 4), quelle que soit la date du bon de commande.
      </Text>
      <Group align="flex-start">
        <DateField label="Demande de devis envoyée le" value={date} onChange={setDate} error={error?.fields.consultationDate} />
        <Button mt={24} variant="default" onClick={() => void save()} disabled={(date || null) === m.consultationDate}>
          Enregistrer la date de consultation
        </Button>
      </Group>
      {m.order && <Checkbox mt="xs" label="Le bon de commande est émis : ses contrôles seront refaits ; je confirme les alertes éventuelles" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />}
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error.message}
          <FieldErrors fields={error.fields} />
        </Alert>
      )}
    </section>
  );
}

/** After the choice: the chosen OF is referenced with ANCT (every kind of training) — the next step, not a condition of the order. */
function ReferencingStep({ m }: { m: Marche }) {
  const r = m.anctReferencing!;
  if (r.status === 'sans_objet') return null;
  const done = r.status === 'reference';
  return (
    <section aria-labelledby="referencing-title">
      <Title order={2} size="h3" id="referencing-title" mb="xs">
        Référencement de l’organisme auprès de l’ANCT
      </Title>
      <Alert color={done ? 'green' : 'yellow'} title={done ? 'Étape faite' : 'Étape à faire avant les sessions'}>
        {r.message}{' '}
        {!done && <Anchor href={`#/marche/organismes/${r.organismeId}`}>Enregistrer le référencement de {r.organismeName}</Anchor>}
      </Alert>
    </section>
  );
}

function QuotesStep({ m, onChange }: { m: Marche; onChange: () => void }) {
  const ofs = useLoad(() => call('marche.of.list', {}), []);
  const [organismeId, setOrganismeId] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [ht, setHt] = useState('');
  const [vat, setVat] = useState('');
  const [exemption, setExemption] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const closed = m.order !== null;
  async function add() {
    setError(null);
    try {
      await call('marche.addQuote', {
        marcheId: m.id,
        organismeId: Number(organismeId),
        quoteDate: date,
        amountHtCents: ht,
        vatCents: vat,
        vatExemption: exemption.trim() === '' ? null : exemption,
        reference: reference.trim() === '' ? null : reference,
      });
      setOrganismeId(null);
      setHt('');
      setVat('');
      setExemption('');
      setReference('');
      onChange();
    } catch (e) {
      setError(errorOf(e));
    }
  }
  return (
    <section aria-labelledby="quotes-title">
      <Title order={2} size="h3" id="quotes-title" mb="xs">
        Devis reçus
      </Title>
      {m.quotes.length === 0 ? (
        <Text size="sm" c="dimmed">
          Aucun devis. Demandez au moins deux devis à des organismes certifiés Qualiopi.
        </Text>
      ) : (
        <Table withTableBorder striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Organisme</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th>Montant HT</Table.Th>
              <Table.Th>TVA</Table.Th>
              <Table.Th>Montant TTC</Table.Th>
              <Table.Th>Par place</Table.Th>
              <Table.Th>Qualiopi</Table.Th>
              <Table.Th>Fichier du devis</Table.Th>
              <Table.Th>Corriger</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.quotes.map((q) => (
              <Table.Tr key={q.id}>
                <Table.Td>
                  {q.organismeName} {q.chosen && <Badge color="dark">retenu</Badge>}
                  {q.reference && (
                    <Text size="xs" c="dimmed">
                      réf. {q.reference}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{formatDate(q.quoteDate)}</Table.Td>
                <Table.Td>{formatCents(q.amountHtCents)}</Table.Td>
                <Table.Td>{q.vatExemption ? `exonéré (${q.vatExemption})` : formatCents(q.vatCents)}</Table.Td>
                <Table.Td>{formatCents(q.amountTtcCents)}</Table.Td>
                <Table.Td>{formatCents(q.pricePerSeatCents)}</Table.Td>
                <Table.Td>{q.qualiopiLabel}</Table.Td>
                <Table.Td>{q.hasFile ? <Badge variant="light">joint</Badge> : <AttachFile ownerType="quote" ownerId={q.id} role="devis" label={`Fichier du devis de ${q.organismeName}`} onDone={onChange} />}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <QuoteEdit q={q} organismes={(ofs.data ?? []).filter((o) => !o.isInternal)} onChange={onChange} />
                    {!closed && (
                      <DeleteButton
                        what={`le devis de ${q.organismeName}`}
                        consequence={q.chosen ? 'C’est l’offre retenue : le choix et sa raison écrite seront retirés avec ce devis.' : undefined}
                        onConfirm={() => call('marche.deleteQuote', { id: q.id })}
                        onDone={onChange}
                      />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!closed && (
        <Stack gap="xs" mt="sm">
          <Group align="flex-start">
            <Select
              label="Organisme"
              placeholder="Choisir"
              data={(ofs.data ?? []).filter((o) => !o.isInternal).map((o) => ({ value: String(o.id), label: `${o.name} — ${o.qualiopi.label}` }))}
              value={organismeId}
              onChange={setOrganismeId}
              error={error?.fields.organismeId}
              w={320}
            />
            <DateField label="Date du devis" value={date} onChange={setDate} error={error?.fields.quoteDate} />
            <TextInput label="Référence du devis" value={reference} onChange={(e) => setReference(e.currentTarget.value)} w={160} />
          </Group>
          <Group align="flex-start">
            <EurosField label="Montant HT" value={ht} onChange={setHt} error={error?.fields.amountHtCents} />
            <EurosField label="TVA" value={vat} onChange={setVat} description="laisser vide si exonéré" error={error?.fields.vatCents} />
            <TextInput label="Motif d’exonération de TVA" value={exemption} onChange={(e) => setExemption(e.currentTarget.value)} error={error?.fields.vatExemption} w={360} placeholder="ex. art. 261-4-4° a du CGI" />
          </Group>
          <Group>
            <Button onClick={() => void add()} disabled={!organismeId || !date || ht.trim() === ''}>
              Enregistrer le devis
            </Button>
          </Group>
          {error && (
            <Alert color="red" role="alert">
              {error.message}
            </Alert>
          )}
        </Stack>
      )}
    </section>
  );
}

type QuoteRow = Marche['quotes'][number];

function QuoteEdit({ q, organismes, onChange }: { q: QuoteRow; organismes: { id: number; name: string; qualiopi: { label: string } }[]; onChange: () => void }) {
  const [organismeId, setOrganismeId] = useState<string | null>(null);
  const [date, setDate] = useState('');
  const [ht, setHt] = useState('');
  const [vat, setVat] = useState('');
  const [exemption, setExemption] = useState('');
  const [reference, setReference] = useState('');
  return (
    <EditDialog
      what={`le devis de ${q.organismeName}`}
      onOpen={() => {
        setOrganismeId(String(q.organismeId));
        setDate(q.quoteDate);
        setHt(centsToInput(q.amountHtCents));
        setVat(q.vatCents === 0 ? '' : centsToInput(q.vatCents));
        setExemption(q.vatExemption ?? '');
        setReference(q.reference ?? '');
      }}
      onSave={(acceptWarnings) =>
        call('marche.updateQuote', {
          id: q.id,
          organismeId: Number(organismeId),
          trainingId: q.trainingId,
          quoteDate: date,
          amountHtCents: ht,
          vatCents: vat,
          vatExemption: exemption.trim() === '' ? null : exemption,
          reference: reference.trim() === '' ? null : reference,
          acceptWarnings,
        })
      }
      onDone={onChange}
    >
      {(fields) => (
        <>
          {q.chosen && <Text size="sm">C’est l’offre retenue : si le bon de commande est émis, ses montants suivent le devis et ses contrôles (seuil annuel, budget) sont refaits.</Text>}
          <Group align="flex-start">
            <Select label="Organisme" data={organismes.map((o) => ({ value: String(o.id), label: `${o.name} — ${o.qualiopi.label}` }))} value={organismeId} onChange={setOrganismeId} error={fields.organismeId} w={320} />
            <DateField label="Date du devis" value={date} onChange={setDate} error={fields.quoteDate} />
            <TextInput label="Référence du devis" value={reference} onChange={(e) => setReference(e.currentTarget.value)} w={160} />
          </Group>
          <Group align="flex-start">
            <EurosField label="Montant HT" value={ht} onChange={setHt} error={fields.amountHtCents} />
            <EurosField label="TVA" value={vat} onChange={setVat} description="laisser vide si exonéré" error={fields.vatCents} />
            <TextInput label="Motif d’exonération de TVA" value={exemption} onChange={(e) => setExemption(e.currentTarget.value)} error={fields.vatExemption} w={320} />
          </Group>
        </>
      )}
    </EditDialog>
  );
}

function ChoiceStep({ m, onChange }: { m: Marche; onChange: () => void }) {
  const [quoteId, setQuoteId] = useState<string>(m.chosenQuoteId ? String(m.chosenQuoteId) : '');
  const [reason, setReason] = useState(m.choiceReason ?? '');
  const [comparison, setComparison] = useState(m.choiceComparison ?? '');
  const [date, setDate] = useState(m.choiceDate ?? '');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const closed = m.order !== null;
  async function save() {
    setError(null);
    try {
      await call('marche.choose', { marcheId: m.id, quoteId: Number(quoteId), reason, comparison: comparison || null, choiceDate: date || null });
      onChange();
    } catch (e) {
      setError(errorOf(e));
    }
  }
  return (
    <section aria-labelledby="choice-title">
      <Title order={2} size="h3" id="choice-title" mb="xs">
        Choix de l’offre et raison écrite
      </Title>
      {m.quotes.length < 2 && (
        <Alert color="yellow" title="À vérifier" mb="xs">
          Un seul devis : sous le seuil, deux devis comparés et une raison écrite sont la preuve habituelle du bon usage des deniers publics.
        </Alert>
      )}
      <Stack gap="xs">
        <Radio.Group label="Offre retenue" value={quoteId} onChange={setQuoteId} error={error?.fields.quoteId}>
          <Stack gap={4} mt={4}>
            {m.quotes.map((q) => (
              <Radio key={q.id} value={String(q.id)} disabled={closed} label={`${q.organismeName} — ${formatCents(q.amountTtcCents)} TTC (${formatCents(q.pricePerSeatCents)} par place)`} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea label="Raison du choix" description="Prix, contenu, dates, lieu, référencement ANCT… (au moins 30 caractères)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={error?.fields.reason} autosize minRows={3} disabled={closed} />
        <Textarea label="Comparaison des offres (facultatif)" value={comparison} onChange={(e) => setComparison(e.currentTarget.value)} autosize minRows={2} disabled={closed} />
        {!closed && <DateField label="Date du choix" value={date} onChange={setDate} />}
        {closed && m.choiceDate && <Text size="sm">Choix arrêté le {formatDate(m.choiceDate)}.</Text>}
        <Group>
          {!closed && (
            <Button onClick={() => void save()} disabled={!quoteId}>
              Enregistrer le choix
            </Button>
          )}
          {m.chosenQuoteId !== null && (
            <Button
              variant="default"
              onClick={() => {
                setPdfError(null);
                downloadPdf(m.id, 'note_de_choix').catch((e) => setPdfError(errorOf(e).message));
              }}
            >
              Note de choix (PDF à signer)
            </Button>
          )}
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error.message}
          </Alert>
        )}
        {pdfError && (
          <Alert color="red" role="alert">
            {pdfError}
          </Alert>
        )}
      </Stack>
    </section>
  );
}

function OrderStep({ m, onChange }: { m: Marche; onChange: () => void }) {
  const [number, setNumber] = useState('');
  const [date, setDate] = useState('');
  const [start, setStart] = useState(m.needStart ?? '');
  const [end, setEnd] = useState(m.needEnd ?? '');
  const [opRef, setOpRef] = useState('');
  const [opDate, setOpDate] = useState('');
  const [ack, setAck] = useState(false);
  const [ev, setEv] = useState<OrderEvaluation | null>(null);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const input = () => ({
    marcheId: m.id,
    number,
    orderDate: date,
    contractStart: start || null,
    contractEnd: end || null,
    otherProcedureRef: opRef || null,
    otherProcedureDate: opDate || null,
    acceptWarnings: ack,
  });
  async function check() {
    setError(null);
    try {
      setEv(await call('marche.checkOrder', input()));
    } catch (e) {
      setError(errorOf(e));
    }
  }
  async function save() {
    setError(null);
    try {
      await call('marche.createOrder', input());
      onChange();
    } catch (e) {
      setError(errorOf(e));
      void check();
    }
  }
  const o = m.order;
  return (
    <section aria-labelledby="order-title">
      <Title order={2} size="h3" id="order-title" mb="xs">
        Bon de commande
      </Title>
      {o ? (
        <Stack gap="xs">
          <Text>
            Bon de commande n° <strong>{o.number}</strong> du {formatDate(o.orderDate)} à {o.organismeName} : {formatCents(o.amountHtCents)} HT, <strong>{formatCents(o.amountTtcCents)} TTC</strong>. Exécution du {formatDate(o.contractStart)} au {formatDate(o.contractEnd)}.
          </Text>
          <Findings findings={o.findings} title="Contrôles enregistrés avec la commande" />
          <Group>
            <OrderEdit o={o} onChange={onChange} />
            <DeleteButton
              what={`le bon de commande n° ${o.number}`}
              consequence="Le marché revient à l’étape « Offre choisie » : l’offre retenue et sa raison écrite restent. Un bon de commande qui a des factures ou des sessions ne peut pas être supprimé."
              onConfirm={() => call('marche.deleteOrder', { id: o.id })}
              onDone={onChange}
            />
            <Button
              variant="default"
              onClick={() => {
                setPdfError(null);
                downloadPdf(m.id, 'bon_de_commande').catch((e) => setPdfError(errorOf(e).message));
              }}
            >
              Bon de commande (PDF à signer)
            </Button>
          </Group>
          {pdfError && (
            <Alert color="red" role="alert">
              {pdfError}
            </Alert>
          )}
          <PiecesPanel ownerType="order" ownerId={o.id} title="Bon de commande signé et note de choix signée" onChange={onChange} />
        </Stack>
      ) : (
        <Stack gap="xs">
          <Group align="flex-start">
            <TextInput label="Numéro du bon de commande" value={number} onChange={(e) => setNumber(e.currentTarget.value)} error={error?.fields.number} w={220} />
            <DateField label="Date de commande" value={date} onChange={setDate} error={error?.fields.orderDate} />
            <DateField label="Début d’exécution" value={start} onChange={setStart} error={error?.fields.contractStart} />
            <DateField label="Fin d’exécution" value={end} onChange={setEnd} error={error?.fields.contractEnd} />
          </Group>
          <Group align="flex-start">
            <TextInput label="Autre procédure utilisée (référence)" description="Seulement si le seuil annuel est atteint" value={opRef} onChange={(e) => setOpRef(e.currentTarget.value)} error={error?.fields.otherProcedureRef} w={300} />
            <DateField label="Date de cette procédure" value={opDate} onChange={setOpDate} error={error?.fields.otherProcedureDate} />
          </Group>
          <Group>
            <Button variant="default" onClick={() => void check()} disabled={!date}>
              Vérifier les règles
            </Button>
          </Group>
          {ev && (
            <>
              <Text size="sm">
                Achats de formation de l’année : {formatCents(ev.yearTotalHtCents)} HT{ev.otherPurchasesHtCents > 0 ? ` (dont ${formatCents(ev.otherPurchasesHtCents)} HT d’autres achats du département)` : ''}, soit {ev.percent} % du seuil de {formatCents(ev.thresholdCents)} HT en vigueur pour une consultation engagée le {formatDate(ev.consultationDate)}.
              </Text>
              <Findings findings={ev.findings} title="Contrôles de la commande" />
              {ev.needsAcknowledgement && ev.canSave && <Checkbox label="J’ai pris connaissance des alertes ci-dessus et je confirme la commande" checked={ack} onChange={(e) => setAck(e.currentTarget.checked)} />}
              <Group>
                <Button onClick={() => void save()} disabled={!ev.canSave || (ev.needsAcknowledgement && !ack) || number.trim() === ''}>
                  Émettre le bon de commande
                </Button>
              </Group>
            </>
          )}
          {error && (
            <Alert color="red" role="alert" title="Le bon de commande n’a pas été enregistré">
              {error.message}
              <FieldErrors fields={error.fields} />
            </Alert>
          )}
        </Stack>
      )}
    </section>
  );
}

function InvoicesStep({ m, onChange }: { m: Marche; onChange: () => void }) {
  const o = m.order!;
  const [number, setNumber] = useState('');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [payInvoice, setPayInvoice] = useState<string | null>(null);
  const [payDate, setPayDate] = useState('');
  const [payAmount, setPayAmount] = useState('');
  const [mandate, setMandate] = useState('');
  const [error, setError] = useState<{ form: 'invoice' | 'payment'; message: string; fields: Record<string, string> } | null>(null);
  // Each form shows its own field messages (both have an amount).
  const invoiceFields = error?.form === 'invoice' ? error.fields : {};
  const paymentFields = error?.form === 'payment' ? error.fields : {};
  async function run(form: 'invoice' | 'payment', f: () => Promise<unknown>, reset: () => void) {
    setError(null);
    try {
      await f();
      reset();
      onChange();
    } catch (e) {
      setError({ form, ...errorOf(e) });
    }
  }
  return (
    <section aria-labelledby="invoices-title">
      <Title order={2} size="h3" id="invoices-title" mb="xs">
        Factures et paiements
      </Title>
      <Text mb="xs">
        Commandé {formatCents(o.amountTtcCents)} TTC — facturé {formatCents(o.invoicedCents)} — payé {formatCents(o.paidCents)} — <strong>reste à facturer {formatCents(o.remainingToInvoiceCents)}</strong> — <strong>reste à payer {formatCents(o.remainingToPayCents)}</strong>
      </Text>
      {o.invoices.length > 0 && (
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Facture</Table.Th>
              <Table.Th>Date</Table.Th>
              <Table.Th>Montant</Table.Th>
              <Table.Th>Fichier</Table.Th>
              <Table.Th>Paiements</Table.Th>
              <Table.Th>Corriger</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {o.invoices.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.number}</Table.Td>
                <Table.Td>{formatDate(i.invoiceDate)}</Table.Td>
                <Table.Td>{formatCents(i.amountCents)}</Table.Td>
                <Table.Td>{i.hasFile ? <Badge variant="light">joint</Badge> : <AttachFile ownerType="invoice" ownerId={i.id} role="facture" label={`Fichier de la facture ${i.number}`} onDone={onChange} />}</Table.Td>
                <Table.Td>
                  {i.payments.length === 0 && <Text size="sm">non payée</Text>}
                  {i.payments.map((p) => (
                    <Stack key={p.id} gap={4} mb={4}>
                      <Text size="sm">
                        {formatDate(p.paymentDate)} — {formatCents(p.amountCents)} — mandat {p.mandateRef}
                      </Text>
                      <Group gap="xs">
                        {p.hasProof ? <Badge variant="light">preuve jointe</Badge> : <AttachFile ownerType="payment" ownerId={p.id} role="preuve_paiement" label={`Preuve du paiement du ${formatDate(p.paymentDate)}`} onDone={onChange} />}
                        <PaymentEdit p={p} onChange={onChange} />
                        <DeleteButton what={`le paiement du ${formatDate(p.paymentDate)} (mandat ${p.mandateRef})`} onConfirm={() => call('marche.deletePayment', { id: p.id })} onDone={onChange} />
                      </Group>
                    </Stack>
                  ))}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <InvoiceEdit i={i} onChange={onChange} />
                    <DeleteButton what={`la facture ${i.number}`} consequence={i.payments.length > 0 ? 'Cette facture a des paiements : supprimez-les d’abord.' : undefined} onConfirm={() => call('marche.deleteInvoice', { id: i.id })} onDone={onChange} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {o.remainingToInvoiceCents > 0 && (
        <Group align="flex-start" mt="sm">
          <TextInput label="Numéro de facture" value={number} onChange={(e) => setNumber(e.currentTarget.value)} error={invoiceFields.number} w={180} />
          <DateField label="Date de facture" value={date} onChange={setDate} error={invoiceFields.invoiceDate} />
          <EurosField label="Montant facturé" value={amount} onChange={setAmount} error={invoiceFields.amountCents} />
          <Button
            mt={24}
            onClick={() =>
              void run(
                'invoice',
                () => call('marche.addInvoice', { orderId: o.id, number, invoiceDate: date, amountCents: amount }),
                () => {
                  setNumber('');
                  setAmount('');
                },
              )
            }
            disabled={!number || !date || !amount}
          >
            Enregistrer la facture
          </Button>
        </Group>
      )}
      {o.invoices.some((i) => i.paidCents < i.amountCents) && (
        <Group align="flex-start" mt="sm">
          <Select
            label="Facture payée"
            data={o.invoices.filter((i) => i.paidCents < i.amountCents).map((i) => ({ value: String(i.id), label: `${i.number} — reste ${formatCents(i.amountCents - i.paidCents)}` }))}
            value={payInvoice}
            onChange={setPayInvoice}
            w={240}
          />
          <DateField label="Date du paiement" value={payDate} onChange={setPayDate} error={paymentFields.paymentDate} />
          <EurosField label="Montant payé" value={payAmount} onChange={setPayAmount} error={paymentFields.amountCents} />
          <TextInput label="Référence du mandat" value={mandate} onChange={(e) => setMandate(e.currentTarget.value)} error={paymentFields.mandateRef} w={180} />
          <Button
            mt={24}
            onClick={() =>
              void run(
                'payment',
                () => call('marche.addPayment', { invoiceId: Number(payInvoice), paymentDate: payDate, amountCents: payAmount, mandateRef: mandate }),
                () => {
                  setPayAmount('');
                  setMandate('');
                },
              )
            }
            disabled={!payInvoice || !payDate || !payAmount || !mandate}
          >
            Enregistrer le paiement
          </Button>
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert" mt="xs">
          {error.message}
        </Alert>
      )}
    </section>
  );
}

function OrderEdit({ o, onChange }: { o: Order; onChange: () => void }) {
  const [number, setNumber] = useState('');
  const [date, setDate] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [opRef, setOpRef] = useState('');
  const [opDate, setOpDate] = useState('');
  return (
    <EditDialog
      what={`le bon de commande n° ${o.number}`}
      onOpen={() => {
        setNumber(o.number);
        setDate(o.orderDate);
        setStart(o.contractStart ?? '');
        setEnd(o.contractEnd ?? '');
        setOpRef(o.otherProcedureRef ?? '');
        setOpDate(o.otherProcedureDate ?? '');
      }}
      onSave={(acceptWarnings) =>
        call('marche.updateOrder', {
          marcheId: o.marcheId,
          number,
          orderDate: date,
          contractStart: start || null,
          contractEnd: end || null,
          otherProcedureRef: opRef || null,
          otherProcedureDate: opDate || null,
          acceptWarnings,
        })
      }
      onDone={onChange}
    >
      {(fields) => (
        <>
          <Text size="sm">Les contrôles de la commande (seuil annuel, devis comparés, Qualiopi, référencement ANCT, budget) sont refaits avec les valeurs corrigées.</Text>
          <Group align="flex-start">
            <TextInput label="Numéro du bon de commande" value={number} onChange={(e) => setNumber(e.currentTarget.value)} error={fields.number} w={220} />
            <DateField label="Date de commande" value={date} onChange={setDate} error={fields.orderDate} />
          </Group>
          <Group align="flex-start">
            <DateField label="Début d’exécution" value={start} onChange={setStart} error={fields.contractStart} />
            <DateField label="Fin d’exécution" value={end} onChange={setEnd} error={fields.contractEnd} />
          </Group>
          <Group align="flex-start">
            <TextInput label="Autre procédure utilisée (référence)" value={opRef} onChange={(e) => setOpRef(e.currentTarget.value)} error={fields.otherProcedureRef} w={300} />
            <DateField label="Date de cette procédure" value={opDate} onChange={setOpDate} error={fields.otherProcedureDate} />
          </Group>
        </>
      )}
    </EditDialog>
  );
}

type InvoiceRow = Order['invoices'][number];

function InvoiceEdit({ i, onChange }: { i: InvoiceRow; onChange: () => void }) {
  const [number, setNumber] = useState('');
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  return (
    <EditDialog
      what={`la facture ${i.number}`}
      onOpen={() => {
        setNumber(i.number);
        setDate(i.invoiceDate);
        setAmount(centsToInput(i.amountCents));
      }}
      onSave={() => call('marche.updateInvoice', { id: i.id, number, invoiceDate: date, amountCents: amount })}
      onDone={onChange}
    >
      {(fields) => (
        <Group align="flex-start">
          <TextInput label="Numéro de facture" value={number} onChange={(e) => setNumber(e.currentTarget.value)} error={fields.number} w={180} />
          <DateField label="Date de facture" value={date} onChange={setDate} error={fields.invoiceDate} />
          <EurosField label="Montant facturé" value={amount} onChange={setAmount} error={fields.amountCents} />
        </Group>
      )}
    </EditDialog>
  );
}

function PaymentEdit({ p, onChange }: { p: InvoiceRow['payments'][number]; onChange: () => void }) {
  const [date, setDate] = useState('');
  const [amount, setAmount] = useState('');
  const [mandate, setMandate] = useState('');
  return (
    <EditDialog
      what={`le paiement du ${formatDate(p.paymentDate)} (mandat ${p.mandateRef})`}
      onOpen={() => {
        setDate(p.paymentDate);
        setAmount(centsToInput(p.amountCents));
        setMandate(p.mandateRef);
      }}
      onSave={() => call('marche.updatePayment', { id: p.id, paymentDate: date, amountCents: amount, mandateRef: mandate })}
      onDone={onChange}
    >
      {(fields) => (
        <Group align="flex-start">
          <DateField label="Date du paiement" value={date} onChange={setDate} error={fields.paymentDate} />
          <EurosField label="Montant payé" value={amount} onChange={setAmount} error={fields.amountCents} />
          <TextInput label="Référence du mandat" value={mandate} onChange={(e) => setMandate(e.currentTarget.value)} error={fields.mandateRef} w={180} />
        </Group>
      )}
    </EditDialog>
  );
}
