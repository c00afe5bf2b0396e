// The rules a convention must respect before it is saved. Each problem is a French message
// keyed by the field it concerns, so the form can show it next to the field.
import { frDate, isValidIsoDate } from '../common/dates';
import { compactDigits, isValidDepartement, isValidSiret } from '../common/identifiers';
import { formatEuros } from '../common/money';

export interface ConventionValues {
  departement: string;
  beneficiaireNom: string;
  beneficiaireSiret: string | null;
  designationDate: string | null;
  signatureDate: string | null;
  amountCents: number;
  fundsReceivedDate: string | null;
  fundsReceivedCents: number | null;
  endDate: string;
  departureTarget: number;
  fraisGestionPlannedCents: number;
  engineeringActions: { label: string; plannedCents: number }[];
}

export function conventionFieldErrors(v: ConventionValues): Record<string, string> {
  const e: Record<string, string> = {};
  if (!isValidDepartement(v.departement)) {
    e.departement = `« ${v.departement} » n'est pas un code de département (ex. 01, 2A, 23, 974, 977).`;
  }
  if (v.beneficiaireNom.trim() === '') e.beneficiaireNom = 'Le nom du bénéficiaire est obligatoire.';
  if (v.beneficiaireSiret !== null && v.beneficiaireSiret !== '') {
    const s = compactDigits(v.beneficiaireSiret);
    if (!/^\d{14}$/.test(s)) e.beneficiaireSiret = 'Le SIRET doit comporter 14 chiffres.';
    else if (!isValidSiret(s)) e.beneficiaireSiret = `Le SIRET ${s} n'est pas valide (clé de contrôle incorrecte).`;
  }
  for (const [field, label] of [
    ['designationDate', 'La date de désignation'],
    ['signatureDate', 'La date de signature'],
    ['fundsReceivedDate', 'La date de réception des fonds'],
    ['endDate', 'La date de fin'],
  ] as const) {
    const d = v[field];
    if (d !== null && !isValidIsoDate(d)) e[field] = `${label} n'est pas une date valide.`;
  }
  const ok = (d: string | null): d is string => d !== null && isValidIsoDate(d);
  if (ok(v.designationDate) && ok(v.signatureDate) && v.signatureDate < v.designationDate) {
    e.signatureDate = `La signature (${frDate(v.signatureDate)}) ne peut pas précéder la désignation par la préfecture (${frDate(v.designationDate)}).`;
  }
  if (ok(v.signatureDate) && ok(v.endDate) && v.endDate <= v.signatureDate) {
    e.endDate = `La date de fin (${frDate(v.endDate)}) doit être postérieure à la signature (${frDate(v.signatureDate)}).`;
  }
  if (ok(v.signatureDate) && ok(v.fundsReceivedDate) && v.fundsReceivedDate < v.signatureDate) {
    e.fundsReceivedDate = `Les fonds (reçus le ${frDate(v.fundsReceivedDate)}) ne peuvent pas arriver avant la signature (${frDate(v.signatureDate)}).`;
  }
  if (v.amountCents <= 0) e.amountCents = 'Le montant de la convention doit être positif.';
  if (v.fundsReceivedCents !== null && v.fundsReceivedCents > v.amountCents) {
    e.fundsReceivedCents = `Le montant reçu (${formatEuros(v.fundsReceivedCents)}) dépasse le montant de la convention (${formatEuros(v.amountCents)}).`;
  }
  if ((v.fundsReceivedCents === null) !== (v.fundsReceivedDate === null)) {
    if (v.fundsReceivedCents === null) e.fundsReceivedCents = 'Indiquez le montant reçu avec la date de réception.';
    else e.fundsReceivedDate = 'Indiquez la date de réception avec le montant reçu.';
  }
  if (v.departureTarget < 1) e.departureTarget = "L'objectif de départs doit être d'au moins 1.";
  const engineering = v.engineeringActions.reduce((s, a) => s + a.plannedCents, 0);
  if (v.fraisGestionPlannedCents + engineering > v.amountCents) {
    e.fraisGestionPlannedCents = `Frais de gestion et ingénierie prévus (${formatEuros(v.fraisGestionPlannedCents + engineering)}) dépassent le montant de la convention (${formatEuros(v.amountCents)}).`;
  }
  v.engineeringActions.forEach((a, i) => {
    if (a.label.trim() === '') e[`engineeringActions.${i}.label`] = "Donnez un intitulé à l'action d'ingénierie.";
  });
  return e;
}
