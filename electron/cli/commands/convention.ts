import type { ConventionInput } from '../../../shared/ipc/channels/convention';
import { formatEuros, parseEurosToCents } from '../../services/common/money';
import { call, CliError, optInt, optString, printJson, type CliCommand } from '../command';
import type { ParsedArgs } from '../args';

function optEuros(args: ParsedArgs, name: string): number | undefined {
  const v = optString(args, name);
  if (v === undefined) return undefined;
  const cents = parseEurosToCents(v);
  if (cents === null || cents < 0) throw new CliError(`L'option --${name} attend un montant en euros (ex. 20000 ou 1 234,56) ; reçu « ${v} ».`);
  return cents;
}

export const conventionCommands: CliCommand[] = [
  {
    words: ['convention', 'create'],
    usage:
      'convention create --departement 23 --beneficiaire "Conseil départemental de la Creuse" [--siret 22230001400019] [--designation AAAA-MM-JJ] [--signature AAAA-MM-JJ] [--reference REF] [--montant 20000] [--recu-le AAAA-MM-JJ --montant-recu 20000] [--fin 2025-12-31] [--objectif 60] [--frais-gestion 1000] [--libelle TEXTE]',
    summary: 'Enregistre une convention signée avec l’ANCT.',
    async run(ctx, args, io) {
      const input: ConventionInput = {
        departement: optString(args, 'departement') ?? '',
        beneficiaireNom: optString(args, 'beneficiaire') ?? '',
      };
      const set = <K extends keyof ConventionInput>(k: K, v: ConventionInput[K] | undefined) => {
        if (v !== undefined) input[k] = v;
      };
      set('label', optString(args, 'libelle'));
      set('beneficiaireSiret', optString(args, 'siret'));
      set('designationDate', optString(args, 'designation'));
      set('signatureDate', optString(args, 'signature'));
      set('anctReference', optString(args, 'reference'));
      set('amountCents', optEuros(args, 'montant'));
      set('fundsReceivedDate', optString(args, 'recu-le'));
      set('fundsReceivedCents', optEuros(args, 'montant-recu'));
      set('endDate', optString(args, 'fin'));
      set('departureTarget', optInt(args, 'objectif'));
      set('fraisGestionPlannedCents', optEuros(args, 'frais-gestion'));
      const c = await call(ctx, 'convention.create', input);
      if (args.options.json) printJson(io, c);
      else io.out(`Convention n° ${c.id} enregistrée : ${c.label} (${formatEuros(c.amountCents)}, objectif ${c.departureTarget} départs).`);
    },
  },
  {
    words: ['convention', 'list'],
    usage: 'convention list [--json]',
    summary: 'Liste les conventions.',
    async run(ctx, args, io) {
      const list = await call(ctx, 'convention.list', {});
      if (args.options.json) return printJson(io, list);
      if (list.length === 0) return io.out('Aucune convention.');
      for (const c of list) {
        io.out(`${c.id}\t${c.departement}\t${c.label}\t${formatEuros(c.amountCents)}\treçu : ${c.fundsReceivedCents === null ? '—' : formatEuros(c.fundsReceivedCents)}`);
      }
    },
  },
];
