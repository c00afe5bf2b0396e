// Documents the officer sends out. Routes: #/documents (the application form for structures and
// the needs of the Marché to consult on), #/documents/consultation/<marchéId> (the demande de
// devis: texts to edit, PDF and Word, quotes compared side by side). Display only: the texts'
// defaults, the requirements and the comparison's findings come from the services.
import { Alert, Anchor, Button, Checkbox, Group, Loader, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Consultation } from '../../../../shared/ipc/channels/documents';
import { ApiError, call } from '../../api';
import { DateField } from '../../components/DateField';
import { useConvention } from '../../conventionContext';
import { formatCents, formatDate } from '../../format';
import { useLoad } from '../../useLoad';

function errorOf(e: unknown): { message: string; fields: Record<string, string> } {
  if (e instanceof ApiError) return { message: e.message, fields: e.fields };
  return { message: e instanceof Error ? e.message : String(e), fields: {} };
}

const MIME: Record<string, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Saves a generated file through the browser's download (the desktop host asks where). */
export function download(f: { fileName: string; contentBase64: string }): void {
  const ext = f.fileName.split('.').pop() ?? '';
  const bytes = Uint8Array.from(atob(f.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: MIME[ext] ?? 'application/octet-stream' }));
  const a = window.document.createElement('a');
  a.href = url;
  a.download = f.fileName;
  window.document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DocumentsPage({ route }: { route: string[] }) {
  if (route[0] === 'consultation' && route[1] && /^\d+$/.test(route[1])) return <ConsultationPage marcheId={Number(route[1])} />;
  return (
    <Stack gap="lg">
      <Title order={1}>Documents à envoyer</Title>
      <Text c="dimmed">
        Le formulaire de candidature pour les structures (étape 2) et les demandes de devis aux organismes de formation (étape 3), pré-remplis à partir de ce que l’application sait déjà.
      </Text>
      <FormulaireSection />
      <ConsultationsSection />
    </Stack>
  );
}

/** The application-form workbook; can be placed on the Recensement page as is. */
export function FormulaireSection() {
  const { conventionId } = useConvention();
  const [deadline, setDeadline] = useState('');
  const [returnTo, setReturnTo] = useState('');
  const [rows, setRows] = useState('100');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function generate(e: React.FormEvent) {
    e.preventDefault();
    if (conventionId === null) return;
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      const f = await call('documents.formulaire.xlsx', { conventionId, deadline: deadline || null, returnTo: returnTo.trim() || null, rows: /^\d+$/.test(rows) ? Number(rows) : undefined });
      download(f);
      setDone(f.fileName);
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section aria-labelledby="formulaire-title">
      <Title order={2} size="h3" id="formulaire-title">
        Formulaire de candidature pour les structures
      </Title>
      <Text size="sm" mb="sm">
        Classeur Excel : une ligne par professionnel, listes déroulantes pour chaque réponse fermée, en-têtes protégés, onglet « Notes » expliquant qui peut être financé et
        pourquoi. Les copies remplies se réimportent dans le recensement sans correspondance de colonnes à faire.
      </Text>
      {conventionId === null ? (
        <Alert>Choisissez ou créez d’abord une convention.</Alert>
      ) : (
        <form onSubmit={(e) => void generate(e)} noValidate>
          <Group align="flex-end">
            <DateField label="Date limite de réponse" value={deadline} onChange={setDeadline} error={error?.fields.deadline} w={200} />
            <TextInput label="Adresse de retour" description="e-mail ou service à qui renvoyer le fichier" value={returnTo} onChange={(e) => setReturnTo(e.currentTarget.value)} w={300} />
            <TextInput label="Nombre de lignes" inputMode="numeric" value={rows} onChange={(e) => setRows(e.currentTarget.value)} error={error?.fields.rows} w={140} />
            <Button type="submit" loading={busy}>
              Télécharger le formulaire (Excel)
            </Button>
          </Group>
          {error && (
            <Alert color="red" role="alert" mt="sm">
              {error.message}
            </Alert>
          )}
          {done && (
            <Text role="status" className="fne-success" mt="sm">
              Formulaire produit : {done}
            </Text>
          )}
        </form>
      )}
    </section>
  );
}

function ConsultationsSection() {
  const { conventionId, refreshKey } = useConvention();
  const list = useLoad(() => (conventionId === null ? Promise.resolve([]) : call('marche.list', { conventionId })), [conventionId, refreshKey]);
  return (
    <section aria-labelledby="consultations-title">
      <Title order={2} size="h3" id="consultations-title">
        Demandes de devis aux organismes de formation
      </Title>
      <Text size="sm" mb="sm">
        Pour chaque besoin de formation du marché : cahier des charges pré-rempli (contexte, public, places, lieux, contenu, exigences Qualiopi et ANCT, pièces à fournir, date
        limite, critères de choix), puis comparaison des devis reçus.
      </Text>
      {list.error && <Alert color="red">{list.error}</Alert>}
      {list.data && list.data.length === 0 && (
        <Alert>
          Aucun besoin de formation : décrivez-en un à l’étape <Anchor href="#/marche/nouveau">Marché de formation</Anchor>.
        </Alert>
      )}
      {list.data && list.data.length > 0 && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Besoin</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Places</Table.Th>
              <Table.Th>Devis reçus</Table.Th>
              <Table.Th>Demande de devis</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{m.label}</Table.Td>
                <Table.Td>{m.kindLabel}</Table.Td>
                <Table.Td>{m.seats}</Table.Td>
                <Table.Td>{m.quotes.length}</Table.Td>
                <Table.Td>
                  <Anchor href={`#/documents/consultation/${m.id}`} aria-label={`Préparer la demande de devis : ${m.label}`}>
                    Préparer la demande de devis
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </section>
  );
}

type Texts = Pick<Consultation, 'contextText' | 'publicText' | 'placesText' | 'contentText' | 'criteriaText'>;
const TEXT_FIELDS: { key: keyof Texts; label: string; rows: number }[] = [
  { key: 'contextText', label: 'Contexte', rows: 5 },
  { key: 'publicText', label: 'Public', rows: 4 },
  { key: 'placesText', label: 'Lieux et calendrier', rows: 3 },
  { key: 'contentText', label: 'Contenu attendu', rows: 5 },
  { key: 'criteriaText', label: 'Critères de choix', rows: 4 },
];

export function ConsultationPage({ marcheId }: { marcheId: number }) {
  const c = useLoad(() => call('documents.consultation.get', { marcheId }), [marcheId]);
  const ofs = useLoad(() => call('marche.of.list', {}), []);
  const [form, setForm] = useState<Consultation | null>(null);
  const [groups, setGroups] = useState('');
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cmpKey, setCmpKey] = useState(0);
  useEffect(() => {
    if (c.data) {
      setForm(c.data);
      setGroups(String(c.data.groups));
    }
  }, [c.data]);
  if (c.error) return <Alert color="red">{c.error}</Alert>;
  if (!form) return <Loader aria-label="Chargement" />;
  const set = <K extends keyof Consultation>(k: K, v: Consultation[K]) => setForm({ ...form, [k]: v });
  const external = (ofs.data ?? []).filter((o) => !o.isInternal);

  async function save(then?: 'pdf' | 'docx') {
    if (!form) return;
    setError(null);
    setStatus(null);
    setBusy(true);
    try {
      const saved = await call('documents.consultation.save', {
        marcheId,
        reference: form.reference,
        deadline: form.deadline,
        groups: Number(groups),
        modality: form.modality,
        contact: form.contact,
        contextText: form.contextText,
        publicText: form.publicText,
        placesText: form.placesText,
        contentText: form.contentText,
        criteriaText: form.criteriaText,
        otherText: form.otherText,
        organismeIds: form.organismeIds,
      });
      setForm(saved);
      setCmpKey((k) => k + 1);
      if (then) {
        const f = await call('documents.consultation.document', { marcheId, format: then });
        download(f);
        setStatus(`Demande de devis enregistrée ; document produit : ${f.fileName}`);
      } else setStatus('Demande de devis enregistrée.');
    } catch (err) {
      setError(errorOf(err));
    } finally {
      setBusy(false);
    }
  }

  const n = form.need;
  return (
    <Stack gap="lg">
      <Title order={1}>Demande de devis — {n.label}</Title>
      <Group>
        <Anchor href="#/documents">← Documents à envoyer</Anchor>
        <Anchor href={`#/marche/${marcheId}`}>Le marché de ce besoin (devis, choix, commande)</Anchor>
      </Group>
      <Text>
        {n.kindLabel} — {n.seats} places — {n.period}. {n.wishing > 0 ? `${n.wishing} professionnels éligibles recensés souhaitent cette formation.` : ''}
      </Text>
      {!form.saved && <Alert title="Textes proposés">Les textes ci-dessous sont proposés à partir du besoin : relisez-les, modifiez-les, puis enregistrez.</Alert>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
      >
        <Stack maw={900}>
          <Group align="flex-start">
            <TextInput label="Référence" value={form.reference ?? ''} onChange={(e) => set('reference', e.currentTarget.value)} w={180} />
            <DateField label="Date limite de réponse" value={form.deadline} onChange={(v) => set('deadline', v)} error={error?.fields.deadline} w={200} required />
            <TextInput label="Nombre de groupes" inputMode="numeric" value={groups} onChange={(e) => setGroups(e.currentTarget.value)} error={error?.fields.groups} w={160} required />
            <Select
              label="Modalité"
              data={[
                { value: 'presentiel', label: 'En présentiel' },
                { value: 'distanciel', label: 'À distance' },
                { value: 'mixte', label: 'Mixte (présentiel et distance)' },
              ]}
              value={form.modality}
              onChange={(v) => v && set('modality', v as Consultation['modality'])}
              allowDeselect={false}
              w={240}
            />
          </Group>
          <TextInput label="Contact pour les réponses" description="service, e-mail, téléphone" value={form.contact ?? ''} onChange={(e) => set('contact', e.currentTarget.value)} />
          {TEXT_FIELDS.map((t) => (
            <Textarea key={t.key} label={t.label} autosize minRows={t.rows} value={form[t.key]} onChange={(e) => set(t.key, e.currentTarget.value)} error={error?.fields[t.key]} required />
          ))}
          <Textarea label="Autres précisions (facultatif)" autosize minRows={2} value={form.otherText ?? ''} onChange={(e) => set('otherText', e.currentTarget.value)} />
          <section aria-labelledby="exigences-title">
            <Title order={2} size="h4" id="exigences-title">
              Exigences et pièces à fournir (fixées par le programme)
            </Title>
            <ul>
              {[...form.requirements, ...form.documentsWithOffer.map((d) => `Avec l’offre : ${d}`), ...form.documentsAfterSessions.map((d) => `Après chaque session : ${d}`)].map((r) => (
                <li key={r}>
                  <Text size="sm">{r}</Text>
                </li>
              ))}
            </ul>
          </section>
          <Checkbox.Group
            label="Organismes consultés"
            description="Organismes à qui la demande est envoyée (non nommés dans le document)"
            value={form.organismeIds.map(String)}
            onChange={(v) => set('organismeIds', v.map(Number))}
            error={error?.fields.organismeIds}
          >
            <Stack gap={4} mt="xs">
              {external.map((o) => (
                <Checkbox key={o.id} value={String(o.id)} label={`${o.name} — ${o.qualiopi.label}${o.anctReferencedDate ? ', référencé ANCT' : ''}`} />
              ))}
              {external.length === 0 && <Text size="sm">Aucun organisme enregistré : ajoutez-en à l’étape Marché.</Text>}
            </Stack>
          </Checkbox.Group>
          {error && (
            <Alert color="red" role="alert">
              {error.message}
            </Alert>
          )}
          {status && (
            <Text role="status" className="fne-success">
              {status}
            </Text>
          )}
          <Group>
            <Button type="submit" variant="default" loading={busy}>
              Enregistrer
            </Button>
            <Button onClick={() => void save('pdf')} loading={busy}>
              Enregistrer et télécharger le PDF
            </Button>
            <Button variant="light" onClick={() => void save('docx')} loading={busy}>
              Enregistrer et télécharger le Word
            </Button>
          </Group>
        </Stack>
      </form>
      <Comparison marcheId={marcheId} refresh={cmpKey} />
    </Stack>
  );
}

function Comparison({ marcheId, refresh }: { marcheId: number; refresh: number }) {
  const cmp = useLoad(() => call('documents.consultation.comparison', { marcheId }), [marcheId, refresh]);
  if (cmp.error) return <Alert color="red">{cmp.error}</Alert>;
  if (!cmp.data) return null;
  const d = cmp.data;
  const rows: { label: string; cell: (o: (typeof d.offers)[number]) => React.ReactNode }[] = [
    { label: 'Date du devis', cell: (o) => (o.late ? <Text span fw={700} size="sm">{formatDate(o.quoteDate)} — hors délai</Text> : formatDate(o.quoteDate)) },
    { label: 'Formation proposée', cell: (o) => [o.trainingTitle, o.hours ? `${o.hours} h` : null].filter(Boolean).join(' — ') || '—' },
    { label: 'Montant HT', cell: (o) => formatCents(o.amountHtCents) },
    { label: 'TVA', cell: (o) => (o.vatExemption ? `exonéré (${o.vatExemption})` : formatCents(o.vatCents)) },
    { label: 'Montant TTC', cell: (o) => <strong>{formatCents(o.amountTtcCents)}</strong> },
    { label: 'Prix par place (TTC)', cell: (o) => formatCents(o.pricePerSeatCents) },
    { label: `Prix par groupe (TTC, ${d.groups} groupes)`, cell: (o) => formatCents(o.pricePerGroupCents) },
    { label: 'Qualiopi', cell: (o) => `${o.qualiopiLabel}${o.hasQualiopiCertificate ? ' (certificat joint)' : ' (certificat à joindre)'}` },
    { label: 'NDA', cell: (o) => o.nda ?? '—' },
    { label: 'Référencement ANCT', cell: (o) => (o.anctReferencedDate ? `depuis le ${formatDate(o.anctReferencedDate)}` : o.anctRequired ? 'à référencer après le choix' : 'non requis') },
    { label: 'Devis joint', cell: (o) => (o.hasQuoteFile ? 'oui' : 'non') },
    { label: 'Contrôles', cell: (o) => (o.problems.length ? o.problems.map((p) => <Text key={p} size="sm" c="red.9">{p}</Text>) : 'conforme') },
    { label: 'Repères', cell: (o) => [o.cheapest ? 'moins cher (offres conformes)' : null, o.chosen ? 'retenu' : null, o.consulted ? null : 'non consulté'].filter(Boolean).join(', ') || '—' },
  ];
  return (
    <section aria-labelledby="comparaison-title">
      <Title order={2} size="h3" id="comparaison-title">
        Devis reçus, côte à côte
      </Title>
      <Text size="sm" mb="sm">
        Les devis s’enregistrent sur le <Anchor href={`#/marche/${marcheId}`}>marché de ce besoin</Anchor> (montants, date, fichier) ; ils apparaissent ici.
        {d.deadline ? ` Date limite de réponse : ${formatDate(d.deadline)}.` : ''}
      </Text>
      {d.offers.length === 0 ? (
        <Alert>Aucun devis reçu pour l’instant.</Alert>
      ) : (
        <Table withTableBorder withColumnBorders aria-label="Comparaison des devis">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Critère</Table.Th>
              {d.offers.map((o) => (
                <Table.Th scope="col" key={o.quoteId}>
                  {o.organismeName}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.label}>
                <Table.Th scope="row">{r.label}</Table.Th>
                {d.offers.map((o) => (
                  <Table.Td key={o.quoteId}>{r.cell(o)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {d.consultedWithoutAnswer.length > 0 && (
        <Text size="sm" mt="sm">
          Consultés sans réponse : {d.consultedWithoutAnswer.map((s) => s.organismeName).join(', ')}.
        </Text>
      )}
    </section>
  );
}
