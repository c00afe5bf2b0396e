// CLI of step 5 — attendance: import of the OF's attendance file (preview, then --appliquer),
// one half-day for the whole session, the Pix date, and the certificates split from one
// multi-page PDF. Every command goes through the channels (same validation as the screens).
import fs from 'node:fs';
import path from 'node:path';
import { call, choice, CliError, flag, optString, printJson, reqInt, reqString, type CliCommand } from '../command';
import { describeChange } from '../../services/presence/import';

function readFile(file: string): string {
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  return fs.readFileSync(file).toString('base64');
}

export const presenceCommands: CliCommand[] = [
  {
    words: ['presence', 'import'],
    usage: 'presence import --session ID --fichier RELEVE.xlsx|.csv [--appliquer] [--json]',
    summary: 'Lit le relevé de présence de l’organisme (xlsx, xls, ods, CSV) ; sans --appliquer, montre seulement les changements.',
    async run(ctx, args, io) {
      const file = reqString(args, 'fichier');
      const input = { sessionId: reqInt(args, 'session'), fileName: path.basename(file), contentBase64: readFile(file) };
      const plan = await call(ctx, flag(args, 'appliquer') ? 'presence.import.commit' : 'presence.import.preview', input);
      if (args.options.json) return printJson(io, plan);
      io.out(`Feuille « ${plan.sheet} », en-têtes ligne ${plan.headerRow} ; ${plan.rows} ligne(s), ${plan.matched.length} participant(s) reconnu(s).`);
      for (const h of plan.halfDays) io.out(`  ${h.label} : ${h.column === null ? 'aucune colonne' : `colonne « ${plan.headers[h.column]} »`}`);
      io.out(`${plan.changes.length} changement(s)${plan.applied ? ' enregistré(s)' : ' (rien n’est enregistré : ajoutez --appliquer)'}, ${plan.unchanged} déjà à jour.`);
      for (const c of plan.changes) io.out(`  ${describeChange(c)}`);
      for (const u of plan.unmatched) io.out(`  ligne ${u.row} : ${u.label} — ${u.reason}`);
      for (const v of plan.invalid) io.out(`  ligne ${v.row}, « ${v.column} » : « ${v.value} » — ${v.message}`);
      for (const m of plan.missing) io.out(`  absent(e) du fichier : ${m.prenom} ${m.nom}`);
    },
  },
  {
    words: ['presence', 'tous'],
    usage: 'presence tous --session ID --demi-journee ID --statut present|absent|excuse|efface [--vides] [--json]',
    summary: 'Saisit la même présence pour tous les inscrits sur une demi-journée (--vides : seulement là où rien n’est saisi).',
    async run(ctx, args, io) {
      const raw = choice(args, 'statut', ['present', 'absent', 'excuse', 'efface'] as const, { normalise: (v) => v.toLowerCase() });
      const status = raw === 'efface' ? null : raw;
      const r = await call(ctx, 'presence.halfDay.setAll', { sessionId: reqInt(args, 'session'), halfDayId: reqInt(args, 'demi-journee'), status, onlyEmpty: flag(args, 'vides') });
      if (args.options.json) return printJson(io, r);
      for (const p of r.participants) io.out(`  ${p.nom.toUpperCase()} ${p.prenom} : ${p.stateLabel}`);
    },
  },
  {
    words: ['presence', 'pix'],
    usage: 'presence pix --inscription ID --date AAAA-MM-JJ|efface [--json]',
    summary: 'Date du test Pix d’un participant à une formation Aidants Connect.',
    async run(ctx, args, io) {
      const raw = reqString(args, 'date');
      const p = await call(ctx, 'presence.pix.set', { registrationId: reqInt(args, 'inscription'), date: raw === 'efface' ? null : raw });
      if (args.options.json) return printJson(io, p);
      io.out(`${p.prenom} ${p.nom} : test Pix ${p.pixDate ? `le ${p.pixDate}` : 'non renseigné'}.`);
    },
  },
  {
    words: ['attestations', 'decouper'],
    usage: 'attestations decouper --session ID --fichier ATTESTATIONS.pdf [--pages 1:INSCRIPTION,2:INSCRIPTION…] [--apercu] [--json]',
    summary: 'Découpe un PDF d’attestations (une page par personne) et joint chaque page à son participant (par défaut dans l’ordre de la liste).',
    async run(ctx, args, io) {
      const file = reqString(args, 'fichier');
      const base = { sessionId: reqInt(args, 'session'), fileName: path.basename(file), contentBase64: readFile(file) };
      if (flag(args, 'apercu')) {
        const r = await call(ctx, 'presence.certificates.inspect', base);
        if (args.options.json) return printJson(io, r);
        io.out(`${r.pages} page(s) pour ${r.participants.length} inscrit(s).`);
        for (const p of r.proposal) {
          const who = r.participants.find((x) => x.registrationId === p.registrationId);
          io.out(`  page ${p.page} → ${who ? `${who.prenom} ${who.nom} (inscription ${who.registrationId})` : 'personne'}`);
        }
        for (const w of r.warnings) io.out(`  ! ${w}`);
        return;
      }
      const raw = optString(args, 'pages');
      const assignments = raw
        ? raw.split(/[,\s]+/).filter(Boolean).map((s) => {
            const m = /^(\d+):(\d+)$/.exec(s);
            if (!m) throw new CliError(`--pages attend page:inscription séparés par des virgules (reçu « ${s} »).`);
            return { page: Number(m[1]), registrationId: Number(m[2]) };
          })
        : undefined;
      const r = await call(ctx, 'presence.certificates.split', { ...base, ...(assignments ? { assignments } : {}) });
      if (args.options.json) return printJson(io, { attached: r.attached.map((a) => ({ page: a.page, registrationId: a.registrationId, pieceId: a.piece.id, sha256: a.piece.sha256 })) });
      for (const a of r.attached) {
        const p = r.session.participants.find((x) => x.registrationId === a.registrationId)!;
        io.out(`  page ${a.page} → ${p.prenom} ${p.nom} : ${a.piece.originalName}`);
      }
    },
  },
];
