// Documents the officer sends out: the application-form workbook (step 2) and the consultation of
// training organisations for a need of the Marché (step 3).
import { formatEuros } from '../../services/common/money';
import { call, choice, optInt, optString, output, parseIds, printJson, reqInt, writeOutFile, type CliCommand, type CliIo } from '../command';
import type { ParsedArgs } from '../args';

/** Writes the produced document (--out) and says where. */
function write(io: CliIo, args: ParsedArgs, f: { fileName: string; contentBase64: string }): void {
  const file = writeOutFile(args, f);
  output(io, args, { file }, `Écrit : ${file}`);
}

export const documentsCommands: CliCommand[] = [
  {
    words: ['documents', 'formulaire'],
    usage: 'documents formulaire --convention ID [--lignes 100] [--date-limite AAAA-MM-JJ] [--retour "fne@cd.fr"] [--structure ID] [--out FICHIER.xlsx] [--json]',
    summary: 'Produit le formulaire de candidature à envoyer aux structures (classeur Excel à listes déroulantes).',
    async run(ctx, args, io) {
      const f = await call(ctx, 'documents.formulaire.xlsx', {
        conventionId: reqInt(args, 'convention'),
        rows: optInt(args, 'lignes'),
        deadline: optString(args, 'date-limite') ?? null,
        returnTo: optString(args, 'retour') ?? null,
        structureId: optInt(args, 'structure') ?? null,
      });
      write(io, args, f);
    },
  },
  {
    words: ['documents', 'consultation'],
    usage:
      'documents consultation --marche ID [--date-limite AAAA-MM-JJ] [--groupes N] [--modalite presentiel|distanciel|mixte] [--contact TEXTE] [--of ID,ID] [--format pdf|docx] [--out FICHIER] [--json]',
    summary: 'Enregistre la demande de devis d’un besoin (textes proposés, ou ceux déjà enregistrés) et produit le PDF ou le Word à envoyer aux organismes.',
    async run(ctx, args, io) {
      const marcheId = reqInt(args, 'marche');
      const format = choice(args, 'format', ['pdf', 'docx'] as const, { fallback: 'pdf' });
      const c = await call(ctx, 'documents.consultation.get', { marcheId });
      const modality = choice(args, 'modalite', ['presentiel', 'distanciel', 'mixte'] as const, { fallback: c.modality });
      const ofs = optString(args, 'of');
      await call(ctx, 'documents.consultation.save', {
        marcheId,
        reference: c.reference,
        deadline: optString(args, 'date-limite') ?? c.deadline,
        groups: optInt(args, 'groupes') ?? c.groups,
        modality,
        contact: optString(args, 'contact') ?? c.contact,
        contextText: c.contextText,
        publicText: c.publicText,
        placesText: c.placesText,
        contentText: c.contentText,
        criteriaText: c.criteriaText,
        otherText: c.otherText,
        organismeIds: ofs === undefined ? c.organismeIds : parseIds(ofs, 'of', { allowEmpty: true }),
      });
      write(io, args, await call(ctx, 'documents.consultation.document', { marcheId, format }));
    },
  },
  {
    words: ['documents', 'comparaison'],
    usage: 'documents comparaison --marche ID [--json]',
    summary: 'Compare côte à côte les devis reçus pour un besoin (prix, Qualiopi, ANCT, délai).',
    async run(ctx, args, io) {
      const cmp = await call(ctx, 'documents.consultation.comparison', { marcheId: reqInt(args, 'marche') });
      if (args.options.json) return printJson(io, cmp);
      const eur = (c: number) => formatEuros(c).replace(/[\u202f\u00a0]/g, ' ');
      for (const o of cmp.offers) {
        io.out(`${o.chosen ? '[retenu] ' : ''}${o.organismeName}\t${o.quoteDate}${o.late ? ' (hors délai)' : ''}\t${eur(o.amountTtcCents)} TTC\t${eur(o.pricePerSeatCents)}/place\t${o.qualiopiLabel}${o.cheapest ? '\tmoins cher' : ''}`);
        for (const p of o.problems) io.out(`  refus : ${p}`);
      }
      for (const s of cmp.consultedWithoutAnswer) io.out(`${s.organismeName}\tconsulté, pas de devis`);
    },
  },
];
