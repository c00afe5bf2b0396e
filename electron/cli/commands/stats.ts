import { formatEuros } from '../../services/common/money';
import { call, optInt, printJson, type CliCommand } from '../command';

export const statsCommands: CliCommand[] = [
  {
    words: ['stats'],
    usage: 'stats [--convention ID] [--json]',
    summary: 'Chiffres de la convention (personnes, éligibilité, départs, budget).',
    async run(ctx, args, io) {
      const s = await call(ctx, 'stats.get', { conventionId: optInt(args, 'convention') });
      if (args.options.json) return printJson(io, s);
      io.out(`Conventions : ${s.conventions}`);
      io.out(`Structures : ${s.structures} — professionnels : ${s.people} (éligibles : ${s.eligible})`);
      io.out(`Départs : ${s.departures.done} réalisés, ${s.departures.planned} prévus, objectif ${s.departures.target}`);
      io.out(
        `Budget : ${formatEuros(s.budget.amount_cents)} — reçu ${formatEuros(s.budget.received_cents)}, engagé ${formatEuros(s.budget.committed_cents)}, payé ${formatEuros(s.budget.paid_cents)}`,
      );
    },
  },
];
