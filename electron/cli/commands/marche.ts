// Step 3 from a script: training organisations, the public list of OF, procurement records
// (need → quotes → choice → order → invoices → payments), expenses and the budget.
// Every command goes through the channels (same validation as the screens); --json prints ids.
import fs from 'node:fs';
import path from 'node:path';
import type { OrganismeInput } from '../../../shared/ipc/channels/marche';
import type { ownerTypes } from '../../../shared/ipc/channels/pieces';
import { formatEuros } from '../../services/common/money';
import type { ServiceContext } from '../../services/context';
import { resolveConventionId } from '../../services/convention/service';
import { importPublicListFile } from '../../services/marche/public-list';
import type { ParsedArgs } from '../args';
import { assignDefined, call, choice, CliError, cliErrorOf, optChoice, optEuros, optInt, optString, output, printJson, reqEuros, reqInt, reqString, writeOutFile, type CliCommand } from '../command';

type OwnerType = (typeof ownerTypes)[number];

/** Read-only commands work on the convention named by --convention, else the latest one (as `stats`). */
async function conventionOf(ctx: ServiceContext, args: ParsedArgs): Promise<number> {
  const id = await resolveConventionId(ctx, optInt(args, 'convention'));
  if (id === null) throw new CliError('Aucune convention enregistrée : créez-la d’abord (convention create).', 2);
  return id;
}

const KINDS = ['AN', 'AN_AC', 'AC'] as const;
const upper = (v: string) => v.toUpperCase();

/** Attaches a file on disk to a record as a pièce (same channel as the screens). */
async function attach(ctx: ServiceContext, ownerType: OwnerType, ownerId: number, role: string, file: string | undefined) {
  if (file === undefined) return null;
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const p = await call(ctx, 'pieces.attach', { ownerType, ownerId, role, fileName: path.basename(file), contentBase64: fs.readFileSync(file).toString('base64') });
  return p.id;
}

export const marcheCommands: CliCommand[] = [
  {
    words: ['of', 'import-public-list'],
    usage: 'of import-public-list <fichier.csv> [--confirmer] [--json]',
    summary: 'Importe la liste publique des organismes de formation (data.gouv.fr, CSV « ; »).',
    async run(ctx, args, io) {
      const file = args.positionals[0];
      if (!file) throw new CliError('Indiquez le fichier CSV de la liste publique des organismes de formation.');
      // The CLI keeps paths (the officer's own command line): the service is called directly, no
      // channel takes a path. --confirmer: replace the stored list even by a list less than half as long.
      const r = await importPublicListFile(ctx, path.resolve(file), { confirmShrink: args.options.confirmer === true }).catch(cliErrorOf);
      const s = (n: number) => (n > 1 ? 's' : '');
      const skipped = r.skipped === 0 ? '' : ` (${r.skipped} ligne${s(r.skipped)} ignorée${s(r.skipped)}, sans identifiant)`;
      output(io, args, r, `Liste publique importée : ${r.rows} organisme${s(r.rows)}${skipped}.`);
    },
  },
  {
    words: ['of', 'check'],
    usage: 'of check <siret|siren|nda> [--json]',
    summary: 'Cherche un organisme dans la liste publique et dit s’il est certifié Qualiopi (actions de formation).',
    async run(ctx, args, io) {
      const q = args.positionals.join('');
      if (!q) throw new CliError('Indiquez un SIRET, un SIREN ou un NDA.');
      const r = await call(ctx, 'marche.of.check', { query: q });
      output(io, args, r, r.message);
    },
  },
  {
    words: ['of', 'add'],
    usage:
      'of add --nom NOM --siret SIRET [--nda NDA] [--adresse TXT --cp CP --ville VILLE] [--contact NOM --email E --tel T] [--qualiopi-certificateur ORG --qualiopi-numero N --qualiopi-debut AAAA-MM-JJ --qualiopi-fin AAAA-MM-JJ] [--certificat FICHIER] [--anct-le AAAA-MM-JJ --anct-note TXT --preuve-anct FICHIER] [--json]',
    summary: 'Enregistre un organisme de formation (Qualiopi, référencement ANCT, pièces).',
    async run(ctx, args, io) {
      const input = assignDefined<OrganismeInput>(
        { name: reqString(args, 'nom'), siret: reqString(args, 'siret') },
        {
          nda: optString(args, 'nda'),
          address: optString(args, 'adresse'),
          postcode: optString(args, 'cp'),
          city: optString(args, 'ville'),
          contactName: optString(args, 'contact'),
          contactEmail: optString(args, 'email'),
          contactPhone: optString(args, 'tel'),
          qualiopiIssuer: optString(args, 'qualiopi-certificateur'),
          qualiopiNumber: optString(args, 'qualiopi-numero'),
          qualiopiValidFrom: optString(args, 'qualiopi-debut'),
          anctReferencedDate: optString(args, 'anct-le'),
          anctReferenceNote: optString(args, 'anct-note'),
        },
      );
      const fin = optString(args, 'qualiopi-fin');
      if (fin !== undefined) {
        input.qualiopiActionsFormation = true;
        input.qualiopiValidUntil = fin;
      }
      const of = await call(ctx, 'marche.of.create', input);
      const certificateId = await attach(ctx, 'organisme', of.id, 'certificat_qualiopi', optString(args, 'certificat'));
      const anctProofId = await attach(ctx, 'organisme', of.id, 'referencement_anct', optString(args, 'preuve-anct'));
      const final = await call(ctx, 'marche.of.get', { id: of.id });
      output(io, args, { ...final, certificatePieceId: certificateId, anctProofPieceId: anctProofId }, `Organisme n° ${of.id} enregistré : ${of.name} — ${final.qualiopi.label}.${final.warnings.length ? `\nÀ noter : ${final.warnings.join(' ')}` : ''}`);
    },
  },
  {
    words: ['of', 'training'],
    usage: 'of training --of ID --type AN|AN_AC|AC --intitule TXT [--heures 7] [--prix 700 --par place|session] [--json]',
    summary: 'Ajoute une formation proposée par un organisme.',
    async run(ctx, args, io) {
      const par = optChoice(args, 'par', ['place', 'session'] as const);
      const heures = optString(args, 'heures');
      const of = await call(ctx, 'marche.of.addTraining', {
        organismeId: reqInt(args, 'of'),
        kind: choice(args, 'type', KINDS, { normalise: upper }),
        title: reqString(args, 'intitule'),
        hours: heures === undefined ? null : Number(heures.replace(',', '.')),
        priceCents: optEuros(args, 'prix') ?? null,
        priceUnit: par ?? null,
      });
      const t = of.trainings[of.trainings.length - 1];
      output(io, args, t, `Formation n° ${t.id} ajoutée à ${of.name} : ${t.title}.`);
    },
  },
  {
    words: ['of', 'list'],
    usage: 'of list [--json]',
    summary: 'Liste les organismes de formation et leur statut Qualiopi.',
    async run(ctx, args, io) {
      const list = await call(ctx, 'marche.of.list', {});
      if (args.options.json) return printJson(io, list);
      for (const o of list) io.out(`${o.id}\t${o.name}\t${o.siret ?? '—'}\t${o.qualiopi.label}`);
    },
  },
  {
    words: ['marche', 'create'],
    usage: 'marche create --convention ID --libelle TXT --type AN|AN_AC|AC --places N [--debut AAAA-MM-JJ --fin AAAA-MM-JJ] [--consultation AAAA-MM-JJ] [--json]',
    summary: 'Ouvre un marché : le besoin de formation (type, places, dates, date d’envoi de la demande de devis).',
    async run(ctx, args, io) {
      const m = await call(ctx, 'marche.create', {
        conventionId: reqInt(args, 'convention'),
        label: reqString(args, 'libelle'),
        kind: choice(args, 'type', KINDS, { normalise: upper }),
        seats: reqInt(args, 'places'),
        needStart: optString(args, 'debut') ?? null,
        needEnd: optString(args, 'fin') ?? null,
        consultationDate: optString(args, 'consultation') ?? null,
      });
      output(io, args, m, `Marché n° ${m.id} ouvert : ${m.label} (${m.seats} places).`);
    },
  },
  {
    words: ['marche', 'consultation'],
    usage: 'marche consultation --marche ID --date AAAA-MM-JJ|aucune [--yes] [--json]',
    summary: 'Enregistre la date d’envoi de la demande de devis (elle fixe le seuil applicable, décret n° 2025-1386 art. 4) ; une commande émise est revérifiée.',
    async run(ctx, args, io) {
      const date = reqString(args, 'date');
      const m = await call(ctx, 'marche.setConsultationDate', { marcheId: reqInt(args, 'marche'), consultationDate: date === 'aucune' ? null : date, acceptWarnings: args.options.yes === true });
      const c = m.consultation;
      output(io, args, m, c ? `Marché n° ${m.id} : consultation engagée ${c.source === 'premier_devis' ? 'au plus tard ' : ''}le ${c.date.split('-').reverse().join('/')}.` : `Marché n° ${m.id} : aucune date de consultation.`);
    },
  },
  {
    words: ['marche', 'autres-achats'],
    usage: 'marche autres-achats [--annee AAAA --ht 20000 [--note TXT]] [--json]',
    summary: 'Autres achats de formation du département dans l’année (un montant HT par année), comptés dans le seuil annuel ; sans option, liste les années.',
    async run(ctx, args, io) {
      const annee = optInt(args, 'annee');
      const list =
        annee === undefined
          ? await call(ctx, 'marche.otherPurchases.list', {})
          : await call(ctx, 'marche.otherPurchases.set', { year: annee, amountHtCents: reqEuros(args, 'ht'), note: optString(args, 'note') ?? null });
      if (args.options.json) return printJson(io, list);
      for (const y of list) io.out(`${y.year}\tcommandes ${formatEuros(y.ordersHtCents)} HT\tautres achats ${formatEuros(y.amountHtCents)} HT\ttotal ${formatEuros(y.totalHtCents)} HT${y.note ? `\t${y.note}` : ''}`);
    },
  },
  {
    words: ['marche', 'quote'],
    usage: 'marche quote --marche ID --of ID --date AAAA-MM-JJ --ht 7000 (--tva 1400 | --exoneration TXT) [--reference REF] [--formation ID] [--fichier DEVIS.pdf] [--json]',
    summary: 'Enregistre un devis reçu (et son fichier).',
    async run(ctx, args, io) {
      const exemption = optString(args, 'exoneration');
      const m = await call(ctx, 'marche.addQuote', {
        marcheId: reqInt(args, 'marche'),
        organismeId: reqInt(args, 'of'),
        trainingId: optInt(args, 'formation') ?? null,
        reference: optString(args, 'reference') ?? null,
        quoteDate: reqString(args, 'date'),
        amountHtCents: reqEuros(args, 'ht'),
        vatCents: optEuros(args, 'tva') ?? 0,
        vatExemption: exemption ?? null,
      });
      const q = m.quotes.reduce((a, b) => (b.id > a.id ? b : a));
      const pieceId = await attach(ctx, 'quote', q.id, 'devis', optString(args, 'fichier'));
      output(io, args, { id: q.id, marcheId: m.id, pieceId, quote: { ...q, hasFile: pieceId !== null } }, `Devis n° ${q.id} de ${q.organismeName} : ${formatEuros(q.amountHtCents)} HT, ${formatEuros(q.amountTtcCents)} TTC.`);
    },
  },
  {
    words: ['marche', 'choose'],
    usage: 'marche choose --marche ID --devis ID --raison TXT [--comparaison TXT] [--date AAAA-MM-JJ] [--json]',
    summary: 'Retient un devis avec la raison écrite du choix.',
    async run(ctx, args, io) {
      const m = await call(ctx, 'marche.choose', {
        marcheId: reqInt(args, 'marche'),
        quoteId: reqInt(args, 'devis'),
        reason: reqString(args, 'raison'),
        comparison: optString(args, 'comparaison') ?? null,
        choiceDate: optString(args, 'date') ?? null,
      });
      output(io, args, m, `Marché n° ${m.id} : devis n° ${m.chosenQuoteId} retenu.`);
    },
  },
  {
    words: ['marche', 'order'],
    usage:
      'marche order --marche ID --numero N --date AAAA-MM-JJ [--debut AAAA-MM-JJ --fin AAAA-MM-JJ] [--autre-procedure REF --autre-procedure-date AAAA-MM-JJ] [--yes] [--check] [--fichier BC-SIGNE.pdf] [--json]',
    summary: 'Émet le bon de commande (vérifie seuil, devis, Qualiopi, ANCT ; --yes confirme les alertes).',
    async run(ctx, args, io) {
      const input = {
        marcheId: reqInt(args, 'marche'),
        number: reqString(args, 'numero'),
        orderDate: reqString(args, 'date'),
        contractStart: optString(args, 'debut') ?? null,
        contractEnd: optString(args, 'fin') ?? null,
        otherProcedureRef: optString(args, 'autre-procedure') ?? null,
        otherProcedureDate: optString(args, 'autre-procedure-date') ?? null,
        acceptWarnings: args.options.yes === true,
      };
      if (args.options.check) {
        const ev = await call(ctx, 'marche.checkOrder', input);
        return output(io, args, ev, ev.findings.map((f) => `[${f.level}] ${f.message}`).join('\n'));
      }
      const m = await call(ctx, 'marche.createOrder', input);
      const o = m.order!;
      const pieceId = await attach(ctx, 'order', o.id, 'bon_de_commande', optString(args, 'fichier'));
      output(io, args, { id: o.id, marcheId: m.id, pieceId, order: o }, `Bon de commande n° ${o.number} (id ${o.id}) : ${formatEuros(o.amountTtcCents)} TTC.\n${o.findings.filter((f) => f.level !== 'info').map((f) => `[${f.level}] ${f.message}`).join('\n')}`.trim());
    },
  },
  {
    words: ['marche', 'invoice'],
    usage: 'marche invoice --commande ID --numero N --date AAAA-MM-JJ --montant 8400 [--fichier FACTURE.pdf] [--json]',
    summary: 'Enregistre une facture reçue pour un bon de commande.',
    async run(ctx, args, io) {
      const number = reqString(args, 'numero');
      const m = await call(ctx, 'marche.addInvoice', { orderId: reqInt(args, 'commande'), number, invoiceDate: reqString(args, 'date'), amountCents: reqEuros(args, 'montant') });
      const inv = m.order!.invoices.find((i) => i.number === number.trim())!;
      const pieceId = await attach(ctx, 'invoice', inv.id, 'facture', optString(args, 'fichier'));
      output(io, args, { id: inv.id, orderId: m.order!.id, marcheId: m.id, pieceId, remainingToInvoiceCents: m.order!.remainingToInvoiceCents }, `Facture n° ${inv.number} (id ${inv.id}) : ${formatEuros(inv.amountCents)} ; reste à facturer ${formatEuros(m.order!.remainingToInvoiceCents)}.`);
    },
  },
  {
    words: ['marche', 'pay'],
    usage: 'marche pay --facture ID --date AAAA-MM-JJ --montant 8400 --mandat REF [--fichier PREUVE.pdf] [--json]',
    summary: 'Enregistre un paiement (mandat) d’une facture.',
    async run(ctx, args, io) {
      const invoiceId = reqInt(args, 'facture');
      const m = await call(ctx, 'marche.addPayment', { invoiceId, paymentDate: reqString(args, 'date'), amountCents: reqEuros(args, 'montant'), mandateRef: reqString(args, 'mandat') });
      const inv = m.order!.invoices.find((i) => i.id === invoiceId)!;
      const p = inv.payments.reduce((a, b) => (b.id > a.id ? b : a));
      const pieceId = await attach(ctx, 'payment', p.id, 'preuve_paiement', optString(args, 'fichier'));
      output(io, args, { id: p.id, invoiceId, orderId: m.order!.id, marcheId: m.id, pieceId, remainingToPayCents: m.order!.remainingToPayCents }, `Paiement n° ${p.id} : ${formatEuros(p.amountCents)} ; reste à payer sur la commande ${formatEuros(m.order!.remainingToPayCents)}.`);
    },
  },
  {
    words: ['marche', 'pdf'],
    usage: 'marche pdf --marche ID --document bon_de_commande|note_de_choix [--out FICHIER.pdf] [--json]',
    summary: 'Produit le bon de commande ou la note de choix pré-remplis (PDF à signer).',
    async run(ctx, args, io) {
      const document = choice(args, 'document', ['bon_de_commande', 'note_de_choix'] as const);
      const pdf = await call(ctx, 'marche.pdf', { marcheId: reqInt(args, 'marche'), document });
      const file = writeOutFile(args, pdf);
      output(io, args, { file }, `Écrit : ${file}`);
    },
  },
  {
    words: ['marche', 'list'],
    usage: 'marche list [--convention ID] [--json]',
    summary: 'Liste les marchés d’une convention.',
    async run(ctx, args, io) {
      const list = await call(ctx, 'marche.list', { conventionId: await conventionOf(ctx, args) });
      if (args.options.json) return printJson(io, list);
      for (const m of list) io.out(`${m.id}\t${m.label}\t${m.stageLabel}\t${m.order ? formatEuros(m.order.amountTtcCents) : '—'}`);
    },
  },
  {
    words: ['marche', 'show'],
    usage: 'marche show ID [--json]',
    summary: 'Affiche un marché (devis, choix, commande, factures, paiements).',
    async run(ctx, args, io) {
      const id = Number(args.positionals[0]);
      if (!Number.isInteger(id) || id <= 0) throw new CliError('Indiquez le numéro du marché.');
      const m = await call(ctx, 'marche.get', { id });
      if (args.options.json) return printJson(io, m);
      io.out(`${m.label} — ${m.kindLabel} — ${m.seats} places — ${m.stageLabel}`);
      for (const q of m.quotes) io.out(`  devis ${q.id}${q.chosen ? ' (retenu)' : ''} : ${q.organismeName} ${formatEuros(q.amountHtCents)} HT`);
      if (m.order) io.out(`  commande ${m.order.number} : ${formatEuros(m.order.amountTtcCents)} TTC, facturé ${formatEuros(m.order.invoicedCents)}, payé ${formatEuros(m.order.paidCents)}`);
    },
  },
  {
    words: ['depense', 'add'],
    usage: 'depense add --convention ID --type frais_gestion|ingenierie|formateurs_internes [--action ID] --libelle TXT --date AAAA-MM-JJ --montant 120,50 [--fichier JUSTIFICATIF.pdf] [--yes] [--json]',
    summary: 'Enregistre des frais de gestion, une dépense d’ingénierie (reliquat) ou la rémunération des formateurs internes (décret n° 2010-235).',
    async run(ctx, args, io) {
      const type = choice(args, 'type', ['frais_gestion', 'ingenierie', 'formateurs_internes'] as const);
      const e = await call(ctx, 'marche.expenses.create', {
        conventionId: reqInt(args, 'convention'),
        kind: type,
        engineeringActionId: optInt(args, 'action') ?? null,
        label: reqString(args, 'libelle'),
        expenseDate: reqString(args, 'date'),
        amountCents: reqEuros(args, 'montant'),
        acceptWarnings: args.options.yes === true,
      });
      const pieceId = await attach(ctx, 'expense', e.id, 'justificatif', optString(args, 'fichier'));
      output(io, args, { ...e, pieceId, hasProof: pieceId !== null || e.hasProof }, `Dépense n° ${e.id} enregistrée : ${e.kindLabel}, ${formatEuros(e.amountCents)}.`);
    },
  },
  {
    words: ['budget'],
    usage: 'budget [--convention ID] [--json]',
    summary: 'Budget de la convention : reçu, engagé, facturé, payé, frais de gestion, ingénierie, reste.',
    async run(ctx, args, io) {
      const b = await call(ctx, 'marche.budget', { conventionId: await conventionOf(ctx, args) });
      if (args.options.json) return printJson(io, b);
      io.out(`Reçu ${formatEuros(b.receivedCents)} — engagé (commandes) ${formatEuros(b.committedCents)} — payé ${formatEuros(b.paidCents)} — reste ${formatEuros(b.remainingCents)}`);
      io.out(`Facturé ${formatEuros(b.invoicedCents)}, frais de gestion ${formatEuros(b.fraisGestionSpentCents)} / ${formatEuros(b.fraisGestionPlannedCents)}, ingénierie ${formatEuros(b.engineeringSpentCents)}`);
      io.out(b.reliquat.message);
    },
  },
  {
    words: ['marche', 'corriger-facture'],
    usage: 'marche corriger-facture --facture ID --numero N --date AAAA-MM-JJ --montant 8400 [--json]',
    summary: 'Corrige une facture (mêmes contrôles qu’à l’enregistrement : jamais moins que le payé, ni plus que le commandé).',
    async run(ctx, args, io) {
      const m = await call(ctx, 'marche.updateInvoice', { id: reqInt(args, 'facture'), number: reqString(args, 'numero'), invoiceDate: reqString(args, 'date'), amountCents: reqEuros(args, 'montant') });
      output(io, args, m, `Facture corrigée : commande facturée ${formatEuros(m.order?.invoicedCents ?? 0)}.`);
    },
  },
  {
    words: ['marche', 'supprimer'],
    usage: 'marche supprimer --quoi devis|commande|facture|paiement|depense --id ID [--json]',
    summary: 'Supprime une saisie erronée (refusé tant qu’une autre en dépend) ; une sauvegarde est prise avant, l’historique peut l’annuler.',
    async run(ctx, args, io) {
      const what = choice(args, 'quoi', ['devis', 'commande', 'facture', 'paiement', 'depense'] as const);
      const id = reqInt(args, 'id');
      const channel = ({ devis: 'marche.deleteQuote', commande: 'marche.deleteOrder', facture: 'marche.deleteInvoice', paiement: 'marche.deletePayment', depense: 'marche.expenses.delete' } as const)[what];
      const r = await call(ctx, channel, { id });
      output(io, args, r, `Supprimé : ${what} n° ${id}.`);
    },
  },
];
