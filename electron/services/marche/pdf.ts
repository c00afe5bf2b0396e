// Pre-filled documents the officer prints and signs: the bon de commande and the one-page
// « note de choix » (the quotes compared and the written reason for the choice). pdf-lib with
// Helvetica, through the shared writer (common/pdf/writer.ts).
import { frDate } from '../common/dates';
import { euros, PdfWriter } from '../common/pdf/writer';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { AppError } from '../errors';
import { getOrganisme } from './organismes';
import { checkThreshold } from './rules';
import { getMarche } from './service';

export async function bonDeCommandePdf(ctx: ServiceContext, marcheId: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const m = await getMarche(ctx, marcheId);
  const o = m.order;
  if (!o) throw new AppError('validation', 'Enregistrez d’abord le bon de commande (numéro, date) : le document est pré-rempli à partir de lui.');
  const c = await getConvention(ctx, m.conventionId);
  const of = await getOrganisme(ctx, o.organismeId);
  const q = m.quotes.find((x) => x.id === o.quoteId)!;
  const w = await PdfWriter.create({ title: `Bon de commande ${o.number}`, date: ctx.now() });
  w.text(c.beneficiaireNom, { bold: true, size: 11 });
  if (c.beneficiaireSiret) w.text(`SIRET ${c.beneficiaireSiret}`, { size: 9 });
  w.y -= 14;
  w.text(`BON DE COMMANDE n° ${o.number}`, { bold: true, size: 16 });
  w.text(`Date : ${frDate(o.orderDate)}`, { gap: 8 });
  w.rule();
  w.text('Fournisseur', { bold: true });
  w.text(of.name);
  w.text(`SIRET ${of.siret ?? '—'} — NDA ${of.nda ?? '—'}`);
  if (of.address || of.city) w.text([of.address, [of.postcode, of.city].filter(Boolean).join(' ')].filter(Boolean).join(', '));
  if (of.qualiopiNumber || of.qualiopiValidUntil) {
    w.text(`Certification Qualiopi (actions de formation) n° ${of.qualiopiNumber ?? '—'}, ${of.qualiopiIssuer ?? ''}, valide jusqu’au ${of.qualiopiValidUntil ? frDate(of.qualiopiValidUntil) : '—'}`, { size: 9 });
  }
  w.y -= 6;
  w.rule();
  w.text('Objet de la commande', { bold: true });
  w.text(`${m.label} — ${m.kindLabel}`);
  w.text(`${m.seats} place${m.seats > 1 ? 's' : ''}${q.trainingTitle ? ` — formation « ${q.trainingTitle} »` : ''}`);
  const start = o.contractStart ?? m.needStart;
  const end = o.contractEnd ?? m.needEnd;
  if (start || end) w.text(`Période d’exécution : du ${start ? frDate(start) : '…'} au ${end ? frDate(end) : '…'}`);
  w.text(`Selon le devis ${q.reference ? `n° ${q.reference} ` : ''}du ${frDate(q.quoteDate)}.`, { gap: 8 });
  w.table(['Montant HT', 'TVA', 'Montant TTC'], [[euros(o.amountHtCents), q.vatExemption ? `Exonération : ${q.vatExemption}` : euros(q.vatCents), euros(o.amountTtcCents)]], [165, 165, 165], { size: 10 });
  w.y -= 10;
  w.text('Cadre juridique', { bold: true });
  if (o.otherProcedureRef) {
    w.text(`Commande passée dans le cadre de la procédure « ${o.otherProcedureRef} » du ${o.otherProcedureDate ? frDate(o.otherProcedureDate) : '…'}.`, { size: 9 });
  } else {
    w.text(
      `Marché sans publicité ni mise en concurrence préalables (art. R2122-8 du code de la commande publique). Achats de formation ${o.orderDate.slice(0, 4)}, cette commande comprise : ${euros(o.yearTotalHtCents)} HT pour un seuil de ${euros(o.thresholdCents)} HT.`,
      { size: 9 },
    );
  }
  w.text(`Dépense imputée sur : ${c.label}${c.anctReference ? ` (réf. ANCT ${c.anctReference})` : ''} — programme France Numérique Ensemble.`, { size: 9 });
  w.text('La facture, adressée à l’acheteur, rappellera le numéro du présent bon de commande.', { size: 9, gap: 6 });
  w.signature('Pour l’acheteur, l’ordonnateur');
  return { fileName: `bon-de-commande-${o.number.replace(/[^A-Za-z0-9_-]+/g, '_')}.pdf`, bytes: await w.save() };
}

export async function noteDeChoixPdf(ctx: ServiceContext, marcheId: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const m = await getMarche(ctx, marcheId);
  const chosen = m.quotes.find((q) => q.chosen);
  if (!chosen || !m.choiceReason) throw new AppError('validation', 'Choisissez d’abord une offre et rédigez la raison du choix : la note de choix les reprend.');
  const c = await getConvention(ctx, m.conventionId);
  const w = await PdfWriter.create({ title: `Note de choix — ${m.label}`, date: ctx.now() });
  w.text(c.beneficiaireNom, { bold: true, size: 11 });
  w.y -= 10;
  w.text('NOTE DE CHOIX — Marché de formation', { bold: true, size: 15 });
  w.text(`${c.label} — programme France Numérique Ensemble`, { size: 9, gap: 6 });
  w.rule();
  w.text('Besoin', { bold: true });
  w.text(`${m.label} — ${m.kindLabel} — ${m.seats} place${m.seats > 1 ? 's' : ''}`);
  if (m.needStart || m.needEnd) w.text(`Période : du ${m.needStart ? frDate(m.needStart) : '…'} au ${m.needEnd ? frDate(m.needEnd) : '…'}`);
  w.y -= 6;
  w.text(`Devis comparés (${m.quotes.length})`, { bold: true, gap: 2 });
  const widths = [140, 60, 72, 72, 72, 79];
  w.table(
    ['Organisme', 'Date', 'Montant HT', 'TVA', 'Montant TTC', 'Qualiopi'],
    m.quotes.map((q) => [`${q.chosen ? '[RETENU] ' : ''}${q.organismeName}`, frDate(q.quoteDate), euros(q.amountHtCents), q.vatExemption ? 'exonéré' : euros(q.vatCents), euros(q.amountTtcCents), q.qualiopiLabel]),
    widths,
    { size: 9, align: ['left', 'left', 'right', 'right', 'right', 'left'] },
  );
  w.y -= 10;
  w.text('Offre retenue', { bold: true });
  w.text(`${chosen.organismeName} — ${euros(chosen.amountHtCents)} HT, ${euros(chosen.amountTtcCents)} TTC (${euros(chosen.pricePerSeatCents)} TTC par place).`, { gap: 6 });
  w.text('Raison du choix', { bold: true });
  w.text(m.choiceReason, { gap: 6 });
  if (m.choiceComparison) {
    w.text('Comparaison des offres', { bold: true });
    w.text(m.choiceComparison, { gap: 6 });
  }
  w.text('Cadre juridique', { bold: true });
  let yearTotal: number;
  let threshold: number;
  let at: string;
  if (m.order) {
    yearTotal = m.order.yearTotalHtCents;
    threshold = m.order.thresholdCents;
    at = m.order.orderDate;
  } else {
    at = m.choiceDate ?? ctx.now().toISOString().slice(0, 10);
    const y = at.slice(0, 4);
    const { s } = await ctx.store.db
      .selectFrom('orders')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_ht_cents'), eb.lit(0)).as('s'))
      .where('order_date', '>=', `${y}-01-01`)
      .where('order_date', '<=', `${y}-12-31`)
      .executeTakeFirstOrThrow();
    const t = checkThreshold({ orderDate: at, amountHtCents: chosen.amountHtCents, otherOrdersSameYearHtCents: Number(s) });
    yearTotal = t.yearTotalHtCents;
    threshold = t.thresholdCents;
  }
  w.text(
    `Marché sans publicité ni mise en concurrence préalables (art. R2122-8 du code de la commande publique) : achats de formation ${at.slice(0, 4)}, cette commande comprise, ${euros(yearTotal)} HT pour un seuil de ${euros(threshold)} HT en vigueur au ${frDate(at)}. Sous ce seuil, l’acheteur choisit une offre pertinente, fait bon usage des deniers publics et ne contracte pas systématiquement avec le même fournisseur : la raison du choix ci-dessus en témoigne.`,
    { size: 9, gap: 4 },
  );
  w.text(`Choix arrêté le ${m.choiceDate ? frDate(m.choiceDate) : '…'}.`, { size: 9 });
  w.signature('Le responsable du marché');
  return { fileName: `note-de-choix-marche-${m.id}.pdf`, bytes: await w.save() };
}
