// The readiness checklist: everything the end-of-convention dossier still lacks, grouped, each
// with what is missing and the screen that fixes it (a route of the renderer). Nothing here
// blocks generating a draft: the dossier lists the same items in « elements-manquants.txt ».
//
// The rules, as the officer reads them:
// - Convention: signed (date and signed convention), avis SIRENE and RIB attached, funds received.
// - Each euro: for each order, the quotes (each with its file), the written reason for the
//   choice, the signed bon de commande, invoices covering the order (each with its file), payments
//   covering the invoices (each with its proof); each frais de gestion or engineering expense with
//   its justificatif; the Qualiopi certificate of every OF ordered from.
// - The departure target of the convention (countDepartures, the one departure rule).
// - Each departure (a registration of a session that has taken place): attendance recorded on
//   every half-day (partial attendance counts only if accepted with a reason), the signed
//   attendance sheet of the session, the attestation de fin de formation, a valid employer SIRET,
//   the OF's Qualiopi certification valid at the session date with its certificate attached.
import { isValidSiret } from '../common/identifiers';
import { frDate } from '../common/dates';
import { formatEuros } from '../common/money';
import type { ServiceContext } from '../context';
import { anctReferencing, qualiopiStatus } from '../marche/rules';
import { acStepWarningCodes, type AcStepsOfSession } from '../sessions/ac-steps';
import { countDepartures, type DepartureCounts } from '../sessions/departures';
import { expenseWindowWarning, sessionWindowWarning, type ConventionWindow } from '../convention/window';
import { notCountedCodes, type NotCountedCode } from '../sessions/rules';
import { warningRules } from '../recensement/eligibility';
import { gatherFacts, piecesOf, type DepartureFact, type DossierFacts } from './facts';

export type ChecklistGroup = 'convention' | 'depenses' | 'objectif' | 'departs' | 'aidants_connect';
export const checklistGroupLabels: Record<ChecklistGroup, string> = {
  convention: 'Convention',
  depenses: 'Dépenses (chaque euro)',
  objectif: 'Objectif de départs',
  departs: 'Départs en formation (chaque professionnel)',
  aidants_connect: 'Étapes Aidants Connect avec l’ANCT',
};

export interface ChecklistItem {
  /** Stable key ("departure:12:attestation"), to compare two checklists. */
  key: string;
  group: ChecklistGroup;
  /** What the item is about ("Commande BC-2025-01", "Dupont Élise — Aidants Connect"). */
  label: string;
  /** What is missing, in French. */
  missing: string;
  /** Route of the renderer that fixes it ("marche/3", "justification/presences/4"). */
  link: string;
}

export interface Checklist {
  conventionId: number;
  items: ChecklistItem[];
  /** Per group: how many things were checked, how many are missing. */
  groups: { group: ChecklistGroup; label: string; checked: number; missing: number }[];
  missingCount: number;
  ready: boolean;
  /** Points to check that do not block the dossier: see attentionItems. */
  attention: ChecklistItem[];
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n > 1 ? many : one}`;

/** Route of the attendance screen of a session. */
export const attendanceRoute = (sessionId: number) => `justification/presences/${sessionId}`;

export function buildChecklist(f: DossierFacts, departures: DepartureCounts): Checklist {
  const items: ChecklistItem[] = [];
  const checked: Record<ChecklistGroup, number> = { convention: 0, depenses: 0, objectif: 0, departs: 0, aidants_connect: 0 };
  const check = (ok: boolean, item: ChecklistItem) => {
    checked[item.group]++;
    if (!ok) items.push(item);
  };
  const c = f.convention;

  // Convention -----------------------------------------------------------------------------
  const convLink = `convention/${c.id}`;
  const convLabel = c.label;
  check(c.signatureDate !== null, { key: 'convention:signature', group: 'convention', label: convLabel, missing: 'Date de signature de la convention à saisir.', link: convLink });
  check(piecesOf(f, 'convention', c.id, 'convention_signee').length > 0, { key: 'convention:convention_signee', group: 'convention', label: convLabel, missing: 'Convention signée à joindre.', link: convLink });
  check(piecesOf(f, 'convention', c.id, 'avis_sirene').length > 0, { key: 'convention:avis_sirene', group: 'convention', label: convLabel, missing: 'Avis de situation SIRENE à joindre.', link: convLink });
  check(piecesOf(f, 'convention', c.id, 'rib').length > 0, { key: 'convention:rib', group: 'convention', label: convLabel, missing: 'RIB à joindre.', link: convLink });
  check(c.fundsReceivedCents !== null, { key: 'convention:fonds', group: 'convention', label: convLabel, missing: 'Réception des fonds (date et montant) à saisir.', link: convLink });

  // Each euro --------------------------------------------------------------------------------
  const orderedFrom = new Set<number>();
  for (const m of f.marches) {
    const link = `marche/${m.id}`;
    const o = m.order;
    if (!o) {
      check(false, { key: `marche:${m.id}:commande`, group: 'depenses', label: `Besoin « ${m.label} »`, missing: 'Aucun bon de commande : passez la commande ou supprimez ce besoin s’il est abandonné.', link });
      continue;
    }
    orderedFrom.add(o.organismeId);
    const label = `Commande ${o.number} — ${o.organismeName} (${formatEuros(o.amountTtcCents)} TTC)`;
    check(m.quotes.length > 0, { key: `order:${o.id}:devis`, group: 'depenses', label, missing: 'Aucun devis enregistré.', link });
    for (const q of m.quotes) {
      check(q.hasFile, { key: `quote:${q.id}:devis`, group: 'depenses', label, missing: `Devis de ${q.organismeName} du ${frDate(q.quoteDate)} : fichier à joindre.`, link });
    }
    check(!!m.choiceReason && m.choiceReason.trim() !== '', { key: `marche:${m.id}:raison`, group: 'depenses', label, missing: 'Raison écrite du choix de l’offre à rédiger.', link });
    check(o.hasSignedOrder, { key: `order:${o.id}:bon_de_commande`, group: 'depenses', label, missing: 'Bon de commande signé à joindre.', link });
    check(o.invoicedCents >= o.amountTtcCents, {
      key: `order:${o.id}:factures`,
      group: 'depenses',
      label,
      missing: o.invoices.length === 0 ? 'Aucune facture enregistrée.' : `Factures enregistrées : ${formatEuros(o.invoicedCents)} sur ${formatEuros(o.amountTtcCents)} commandés.`,
      link,
    });
    for (const inv of o.invoices) {
      const invLabel = `Facture ${inv.number} (commande ${o.number})`;
      check(inv.hasFile, { key: `invoice:${inv.id}:facture`, group: 'depenses', label: invLabel, missing: 'Fichier de la facture à joindre.', link });
      check(inv.paidCents >= inv.amountCents, {
        key: `invoice:${inv.id}:paiement`,
        group: 'depenses',
        label: invLabel,
        missing: inv.payments.length === 0 ? 'Paiement (mandat) à enregistrer.' : `Payé ${formatEuros(inv.paidCents)} sur ${formatEuros(inv.amountCents)}.`,
        link,
      });
      for (const p of inv.payments) {
        check(p.hasProof, { key: `payment:${p.id}:preuve`, group: 'depenses', label: `Paiement ${p.mandateRef} du ${frDate(p.paymentDate)} (facture ${inv.number})`, missing: 'Preuve de paiement (mandat) à joindre.', link });
      }
    }
  }
  for (const id of [...orderedFrom].sort((a, b) => a - b)) {
    const of = f.organismes.get(id);
    if (!of) continue;
    check(piecesOf(f, 'organisme', id, 'certificat_qualiopi').length > 0, { key: `organisme:${id}:qualiopi`, group: 'depenses', label: `Organisme ${of.name}`, missing: 'Certificat Qualiopi à joindre.', link: `marche/organismes/${id}` });
  }
  for (const r of referencingChecks(f)) check(r.ok, r.item);
  for (const e of f.expenses) {
    check(e.hasProof, { key: `expense:${e.id}:justificatif`, group: 'depenses', label: `${e.kindLabel} — ${e.label} (${formatEuros(e.amountCents)})`, missing: 'Justificatif de dépense à joindre.', link: 'marche/budget' });
  }

  // Target -------------------------------------------------------------------------------------
  const missingDepartures = Math.max(0, c.departureTarget - departures.done);
  check(missingDepartures === 0, {
    key: 'objectif:departs',
    group: 'objectif',
    label: `Objectif de ${c.departureTarget} départs en formation`,
    missing: `${plural(departures.done, 'départ réalisé', 'départs réalisés')} sur ${c.departureTarget} : il en manque ${missingDepartures}${departures.planned > departures.done ? ` (${plural(departures.planned - departures.done, 'départ prévu', 'départs prévus')} non encore réalisé${departures.planned - departures.done > 1 ? 's' : ''})` : ''}.`,
    link: 'sessions',
  });

  // Each departure ------------------------------------------------------------------------------
  const sheetChecked = new Set<number>();
  // A departure that never counts (not eligible, outside the window) is not justified to ANCT:
  // it is named in the points to check (attentionItems) instead.
  for (const d of f.departures) if (d.notCounted.length === 0) checkDeparture(f, d, check, sheetChecked);

  // Aidants Connect steps with ANCT (none blocks a departure; each missing one is listed) ---------
  for (const s of f.acSteps) checkAcSteps(s, check);

  const groups = (Object.keys(checklistGroupLabels) as ChecklistGroup[]).map((g) => ({
    group: g,
    label: checklistGroupLabels[g],
    checked: checked[g],
    missing: items.filter((i) => i.group === g).length,
  }));
  return { conventionId: c.id, items, groups, missingCount: items.length, ready: items.length === 0, attention: attentionItems(f) };
}

/** One item per kind of missing step of an Aidants Connect session, naming the people (a few). */
function checkAcSteps(s: AcStepsOfSession, check: (ok: boolean, item: ChecklistItem) => void): void {
  for (const code of acStepWarningCodes) {
    const w = s.warnings.find((x) => x.code === code);
    const who = w ? ` (${w.people.slice(0, 5).join(', ')}${w.people.length > 5 ? ', …' : ''})` : '';
    check(!w, { key: `ac:${s.sessionId}:${code}`, group: 'aidants_connect', label: `Session « ${s.title} »`, missing: w ? `${w.message.replace(/\.$/, '')}${who}.` : '', link: `sessions/${s.sessionId}` });
  }
}

// ---------------------------------------------------------------------------------------------
// ANCT referencing of the OF chosen (issue 13, marché part). Kept in its own block: a step after
// the choice, for every kind of training, never a condition of the order. Each external OF
// ordered from or running a session must be referenced with ANCT by the officer: the date on its
// record and the proof attached. One item per OF, fixed on the OF's record.
// ---------------------------------------------------------------------------------------------

export function referencingChecks(f: DossierFacts): { ok: boolean; item: ChecklistItem }[] {
  const sessions = new Map<number, Set<number>>();
  for (const m of f.marches) if (m.order && !sessions.has(m.order.organismeId)) sessions.set(m.order.organismeId, new Set());
  for (const d of f.departures) {
    if (d.organismeId === null) continue;
    const set = sessions.get(d.organismeId) ?? new Set<number>();
    set.add(d.sessionId);
    sessions.set(d.organismeId, set);
  }
  const out: { ok: boolean; item: ChecklistItem }[] = [];
  for (const id of [...sessions.keys()].sort((a, b) => a - b)) {
    const of = f.organismes.get(id);
    if (!of || of.isInternal) continue;
    const r = anctReferencing(of, piecesOf(f, 'organisme', id, 'referencement_anct').length > 0);
    const n = sessions.get(id)!.size;
    const concerned = n > 0 ? ` (${plural(n, 'session concernée', 'sessions concernées')})` : '';
    out.push({
      ok: r.status === 'reference',
      item: {
        key: `organisme:${id}:referencement_anct`,
        group: 'depenses',
        label: `Organisme ${of.name}`,
        missing:
          r.status === 'non_reference'
            ? `Référencement auprès de l’ANCT à enregistrer (date et preuve) : il suit le choix de l’organisme, pour tout type de formation, avant les sessions${concerned}.`
            : `Preuve du référencement auprès de l’ANCT du ${frDate(of.anctReferencedDate!)} à joindre${concerned}.`,
        link: `marche/organismes/${id}`,
      },
    });
  }
  return out;
}

function kindShort(kind: DepartureFact['kind']): string {
  return kind === 'AN' ? 'Aidant Numérique' : kind === 'AC' ? 'Aidants Connect' : 'Aidant Numérique + brique Aidants Connect';
}

export function departureLabel(d: DepartureFact): string {
  return `${d.nom.toUpperCase()} ${d.prenom} — ${kindShort(d.kind)}, session « ${d.sessionTitle} »${d.firstDate ? ` du ${frDate(d.firstDate)}` : ''}`;
}

function checkDeparture(f: DossierFacts, d: DepartureFact, check: (ok: boolean, item: ChecklistItem) => void, sheetChecked: Set<number>): void {
  // A session that has not taken place yet, or a person recorded absent, proves nothing.
  if (d.attendance === 'future' || d.attendance === 'absent') return;
  const label = departureLabel(d);
  const link = attendanceRoute(d.sessionId);
  const k = `departure:${d.registrationId}`;
  if (d.attendance === 'not_recorded') {
    check(false, { key: `${k}:presence`, group: 'departs', label, missing: `Présence à saisir (${d.recorded} demi-journée${d.recorded > 1 ? 's' : ''} renseignée${d.recorded > 1 ? 's' : ''} sur ${d.halfDays}).`, link });
    return;
  }
  if (d.attendance === 'partial') {
    check(false, {
      key: `${k}:presence`,
      group: 'departs',
      label,
      missing: `Présence partielle (${d.present} demi-journée${d.present > 1 ? 's' : ''} sur ${d.halfDays}) : elle ne compte comme départ que si vous l’acceptez avec un motif.`,
      link,
    });
    return;
  }
  check(true, { key: `${k}:presence`, group: 'departs', label, missing: '', link });
  if (!sheetChecked.has(d.sessionId)) {
    sheetChecked.add(d.sessionId);
    check(piecesOf(f, 'session', d.sessionId, 'feuille_presence').length > 0, {
      key: `session:${d.sessionId}:feuille_presence`,
      group: 'departs',
      label: `Session « ${d.sessionTitle} »${d.firstDate ? ` du ${frDate(d.firstDate)}` : ''}`,
      missing: 'Feuille d’émargement signée à joindre.',
      link,
    });
  }
  check(piecesOf(f, 'registration', d.registrationId, 'attestation_fin_formation').length > 0, { key: `${k}:attestation`, group: 'departs', label, missing: 'Attestation de fin de formation à joindre.', link });
  const siret = d.structureSiret;
  check(siret !== null && isValidSiret(siret), {
    key: `${k}:siret`,
    group: 'departs',
    label,
    missing: d.structureId === null ? 'Employeur inconnu : rattachez la personne à sa structure (SIRET).' : siret === null ? `SIRET de l’employeur (${d.structureName ?? '?'}) à saisir.` : `SIRET de l’employeur invalide (${siret}).`,
    link: d.structureId === null ? `recensement/personnes/${d.personId}` : `recensement/structures/${d.structureId}`,
  });
  const of = d.organismeId === null ? undefined : f.organismes.get(d.organismeId);
  if (!of) {
    check(false, { key: `${k}:organisme`, group: 'departs', label, missing: 'Organisme de formation de la session à préciser.', link: `sessions/${d.sessionId}` });
    return;
  }
  if (of.isInternal) {
    check(true, { key: `${k}:qualiopi`, group: 'departs', label, missing: '', link });
    return;
  }
  const at = d.firstDate ?? f.convention.endDate;
  const q = qualiopiStatus(
    { name: of.name, isInternal: of.isInternal, qualiopiActionsFormation: of.qualiopiActionsFormation, qualiopiValidFrom: of.qualiopiValidFrom, qualiopiValidUntil: of.qualiopiValidUntil, anctReferencedDate: of.anctReferencedDate },
    at,
  );
  const valid = q.status === 'valide' || q.status === 'expire_bientot';
  const certificate = piecesOf(f, 'organisme', of.id, 'certificat_qualiopi').length > 0;
  check(valid && certificate, {
    key: `${k}:qualiopi`,
    group: 'departs',
    label,
    missing: !valid
      ? `Certification Qualiopi de ${of.name} non valide au ${frDate(at)} (${q.label}).`
      : `Certificat Qualiopi de ${of.name} à joindre.`,
    link: `marche/organismes/${of.id}`,
  });
}

// ---------------------------------------------------------------------------------------------
// Points d'attention (issue 13: the convention's window, who counts, unknown OPCO). They do not
// block the dossier — a session held outside the window, or a person trained against the rules,
// stays recorded and is simply not counted (sessions/rules.ts: notCountedReasons) — but the
// officer must see them, each with the screen that corrects a wrong date or a wrong record.
// ---------------------------------------------------------------------------------------------

export function attentionItems(f: DossierFacts): ChecklistItem[] {
  const w: ConventionWindow = { signatureDate: f.convention.signatureDate, endDate: f.convention.endDate };
  return [...departureWindowAttention(f, w), ...notCountedAttention(f), ...opcoAttention(f), ...expenseWindowAttention(f, w)];
}

/** Each session outside the convention's window, once: its participants do not count. */
function departureWindowAttention(f: DossierFacts, w: ConventionWindow): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  const seen = new Set<number>();
  for (const d of f.departures) {
    if (seen.has(d.sessionId) || !d.notCounted.includes('hors_fenetre')) continue;
    seen.add(d.sessionId);
    const people = f.departures.filter((x) => x.sessionId === d.sessionId).length;
    out.push({
      key: `session:${d.sessionId}:hors_fenetre`,
      group: 'objectif',
      label: `Session « ${d.sessionTitle} »${d.firstDate ? ` du ${frDate(d.firstDate)}` : ''} (${plural(people, 'inscrit')})`,
      missing: sessionWindowWarning(d.firstDate, d.lastDate, w) ?? notCountedCodes.hors_fenetre,
      link: `sessions/${d.sessionId}/modifier`,
    });
  }
  return out;
}

/** Each person registered whom the eligibility rules exclude: trained with a reason, never counted. */
function notCountedAttention(f: DossierFacts): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  for (const d of f.departures) {
    const codes = d.notCounted.filter((c): c is Exclude<NotCountedCode, 'hors_fenetre'> => c !== 'hors_fenetre');
    if (codes.length === 0) continue;
    out.push({
      key: `departure:${d.registrationId}:non_compte`,
      group: 'departs',
      label: departureLabel(d),
      missing: `${codes.map((c) => notCountedCodes[c]).join(' ')}${d.overrideReason ? ` Motif de l’inscription : « ${d.overrideReason} ».` : ''} Si la fiche est erronée, corrigez-la.`,
      link: `recensement/personnes/${d.personId}`,
    });
  }
  return out;
}

/** Each person trained whose employer's OPCO is unknown (an association's employee may be an Uniformation member). */
function opcoAttention(f: DossierFacts): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  const seen = new Set<number>();
  for (const d of f.departures) {
    if (seen.has(d.personId) || !d.personWarnings.includes('opco_inconnu')) continue;
    seen.add(d.personId);
    out.push({ key: `person:${d.personId}:opco_inconnu`, group: 'departs', label: departureLabel(d), missing: warningRules.opco_inconnu, link: `recensement/personnes/${d.personId}` });
  }
  return out;
}

/** Orders, invoices, management fees and engineering expenses dated outside the window. */
function expenseWindowAttention(f: DossierFacts, w: ConventionWindow): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  for (const m of f.marches) {
    const o = m.order;
    if (!o) continue;
    const link = `marche/${m.id}`;
    const label = `Commande ${o.number} — ${o.organismeName} (${formatEuros(o.amountTtcCents)} TTC)`;
    const ow = expenseWindowWarning('Bon de commande', o.orderDate, w);
    if (ow) out.push({ key: `order:${o.id}:hors_fenetre`, group: 'depenses', label, missing: ow, link });
    for (const inv of o.invoices) {
      const iw = expenseWindowWarning('Facture', inv.invoiceDate, w);
      if (iw) out.push({ key: `invoice:${inv.id}:hors_fenetre`, group: 'depenses', label: `Facture ${inv.number} (commande ${o.number})`, missing: iw, link });
    }
  }
  for (const e of f.expenses) {
    const ew = expenseWindowWarning(e.kindLabel, e.expenseDate, w);
    if (ew) out.push({ key: `expense:${e.id}:hors_fenetre`, group: 'depenses', label: `${e.kindLabel} — ${e.label} (${formatEuros(e.amountCents)})`, missing: ew, link: 'marche/budget' });
  }
  return out;
}

export async function readinessChecklist(ctx: ServiceContext, conventionId: number): Promise<Checklist> {
  const facts = await gatherFacts(ctx, conventionId);
  return buildChecklist(facts, await countDepartures(ctx, conventionId));
}
