import type { ConventionInput } from '../../../shared/ipc/channels/convention';
import { formatEuros } from '../../services/common/money';
import { assignDefined, call, optEuros, optInt, optString, output, printJson, type CliCommand } from '../command';

export const conventionCommands: CliCommand[] = [
  {
    words: ['convention', 'create'],
    usage:
      'convention create --departement 23 --beneficiaire "Conseil départemental de la Creuse" [--siret 22230001600011] [--designation AAAA-MM-JJ] [--signature AAAA-MM-JJ] [--reference REF] [--montant 20000] [--recu-le AAAA-MM-JJ --montant-recu 20000] [--fin 2025-12-31] [--objectif 60] [--frais-gestion 1000] [--libelle TEXTE]',
    summary: 'Enregistre une convention signée avec l’ANCT.',
    async run(ctx, args, io) {
      const input = assignDefined<ConventionInput>(
        { departement: optString(args, 'departement') ?? '', beneficiaireNom: optString(args, 'beneficiaire') ?? '' },
        {
          label: optString(args, 'libelle'),
          beneficiaireSiret: optString(args, 'siret'),
          designationDate: optString(args, 'designation'),
          signatureDate: optString(args, 'signature'),
          anctReference: optString(args, 'reference'),
          amountCents: optEuros(args, 'montant'),
          fundsReceivedDate: optString(args, 'recu-le'),
          fundsReceivedCents: optEuros(args, 'montant-recu'),
          endDate: optString(args, 'fin'),
          departureTarget: optInt(args, 'objectif'),
          fraisGestionPlannedCents: optEuros(args, 'frais-gestion'),
        },
      );
      const c = await call(ctx, 'convention.create', input);
      output(io, args, c, `Convention n° ${c.id} enregistrée : ${c.label} (${formatEuros(c.amountCents)}, objectif ${c.departureTarget} départs).`);
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
