// CLI of step 4: sessions with half-days, registrations, attendance, lists and émargement,
// Aidants Connect follow-up. Every command goes through the channels (same validation as the UI);
// --json prints the result with its ids (for demo scripts).
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedArgs } from '../args';
import { call, choice, CliError, flag, optInt, optString, output, parseIds, printJson, reqInt, reqString, writeOutFile, type CliCommand } from '../command';

/** "2025-04-08:matin,2025-04-08:apres-midi@13:30-17:00" → half-days. */
export function parseHalfDays(raw: string): { date: string; period: 'matin' | 'apres_midi'; start?: string; end?: string }[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(\d{4}-\d{2}-\d{2})[: ](matin|apres[-_ ]midi|après[-_ ]midi|am|pm)(?:@(\d{1,2}[:h]\d{2})-(\d{1,2}[:h]\d{2}))?$/i.exec(s);
      if (!m) throw new CliError(`Demi-journée illisible : « ${s} » (attendu : AAAA-MM-JJ:matin ou AAAA-MM-JJ:apres-midi, heures facultatives @09:00-12:30).`);
      const t = (x: string | undefined) => (x === undefined ? undefined : x.replace('h', ':').padStart(5, '0'));
      const period = /^(matin|am)$/i.test(m[2]) ? 'matin' : 'apres_midi';
      return { date: m[1], period, start: t(m[3]), end: t(m[4]) };
    });
}

async function personIdsFrom(ctx: Parameters<CliCommand['run']>[0], args: ParsedArgs): Promise<number[]> {
  const list: number[] = [];
  const raw = optString(args, 'personnes');
  if (raw) list.push(...parseIds(raw, 'personnes'));
  const emails = optString(args, 'emails');
  if (emails) {
    for (const e of emails.split(/[,\s;]+/).filter(Boolean)) {
      const found = await call(ctx, 'recensement.people.list', { search: e, limit: 5 });
      const p = found.rows.find((r) => r.email === e.toLowerCase());
      if (!p) throw new CliError(`Aucun professionnel n'a l'adresse « ${e} ».`);
      list.push(p.id);
    }
  }
  if (list.length === 0) throw new CliError('Indiquez les personnes : --personnes 1,2,3 ou --emails a@x.fr,b@y.fr.');
  return list;
}

export const sessionsCommands: CliCommand[] = [
  {
    words: ['session', 'create'],
    usage:
      'session create --convention ID --type AN|AN_AC|AC --titre TEXTE (--commande ID | --interne) --modalite presentiel|distance --lieu TEXTE --demi-journees 2025-04-08:matin,2025-04-08:apres-midi[@13:30-17:00] [--capacite 18] [--formateurs "A,B"] [--cohorte ID] [--json]',
    summary: 'Programme une session (demi-journées avec horaires).',
    async run(ctx, args, io) {
      const kind = choice(args, 'type', ['AN', 'AN_AC', 'AC'] as const, { normalise: (v) => v.toUpperCase() });
      const modality = choice(args, 'modalite', ['presentiel', 'distance'] as const, { fallback: 'presentiel', normalise: (v) => v.toLowerCase() });
      const s = await call(ctx, 'sessions.create', {
        conventionId: reqInt(args, 'convention'),
        kind,
        title: reqString(args, 'titre'),
        orderId: optInt(args, 'commande') ?? null,
        internal: flag(args, 'interne'),
        modality,
        place: optString(args, 'lieu') ?? null,
        capacity: optInt(args, 'capacite'),
        trainers: (optString(args, 'formateurs') ?? '').split(',').map((t) => t.trim()).filter(Boolean),
        cohortId: optInt(args, 'cohorte') ?? null,
        halfDays: parseHalfDays(reqString(args, 'demi-journees')),
      });
      output(io, args, s, `Session n° ${s.id} programmée : ${s.title} (${s.kindLabel}), ${s.halfDayCount} demi-journée(s), ${s.capacity} places. Demi-journées : ${s.halfDays.map((h) => `${h.id} = ${h.label}`).join(' ; ')}.`);
    },
  },
  {
    words: ['session', 'list'],
    usage: 'session list --convention ID [--json]',
    summary: 'Liste les sessions d’une convention avec leur remplissage.',
    async run(ctx, args, io) {
      const list = await call(ctx, 'sessions.list', { conventionId: reqInt(args, 'convention') });
      if (args.options.json) return printJson(io, list);
      if (list.length === 0) return io.out('Aucune session.');
      for (const s of list) io.out(`${s.id}\t${s.firstDate ?? '—'}\t${s.kind}\t${s.title}\t${s.registered}/${s.capacity} inscrits\t${s.waiting} en attente\t${s.status === 'annulee' ? 'ANNULÉE' : ''}`);
    },
  },
  {
    words: ['session', 'show'],
    usage: 'session show --session ID [--json]',
    summary: 'Détail d’une session : demi-journées et participants.',
    async run(ctx, args, io) {
      const s = await call(ctx, 'sessions.get', { id: reqInt(args, 'session') });
      if (args.options.json) return printJson(io, s);
      io.out(`${s.title} — ${s.kindLabel} — ${s.organismeName ?? 'organisme à préciser'} — ${s.registered}/${s.capacity}`);
      for (const h of s.halfDays) io.out(`  demi-journée ${h.id} : ${h.label} ${h.start}–${h.end}`);
      for (const p of s.participants) io.out(`  inscription ${p.registrationId}\t${p.status}\t${p.prenom} ${p.nom}\t${p.attended ? 'formé(e)' : ''}`);
    },
  },
  {
    words: ['session', 'register'],
    usage: 'session register --session ID (--personnes 1,2,3 | --emails a@x.fr,b@y.fr) [--attente] [--motif "pourquoi inscrire une personne non éligible"] [--json]',
    summary: 'Inscrit des personnes (tout ou rien : chaque refus est expliqué).',
    async run(ctx, args, io) {
      const r = await call(ctx, 'sessions.register', {
        sessionId: reqInt(args, 'session'),
        personIds: await personIdsFrom(ctx, args),
        waitingList: flag(args, 'attente'),
        overrideReason: optString(args, 'motif') ?? null,
      });
      const warned = r.registered.filter((x) => x.warnings.length);
      output(
        io,
        args,
        { sessionId: r.session.id, registered: r.registered },
        `${r.registered.length} inscription(s) : ${r.registered.map((x) => `personne ${x.personId} → inscription ${x.registrationId}`).join(', ')}.` +
          (warned.length ? `\nÀ vérifier : ${warned.map((x) => `personne ${x.personId} (${x.warnings.map((w) => w.message).join(' ')})`).join(' ; ')}` : ''),
      );
    },
  },
  {
    words: ['session', 'cancel-registration'],
    usage: 'session cancel-registration --inscription ID --motif TEXTE [--json]',
    summary: 'Annule une inscription (motif conservé).',
    async run(ctx, args, io) {
      const s = await call(ctx, 'sessions.registration.cancel', { registrationId: reqInt(args, 'inscription'), reason: reqString(args, 'motif') });
      output(io, args, s, `Inscription annulée ; ${s.registered}/${s.capacity} inscrits.`);
    },
  },
  {
    words: ['session', 'move'],
    usage: 'session move --inscription ID --vers SESSION_ID [--attente] [--json]',
    summary: 'Déplace une personne vers une autre session (l’historique est gardé).',
    async run(ctx, args, io) {
      const s = await call(ctx, 'sessions.registration.move', { registrationId: reqInt(args, 'inscription'), toSessionId: reqInt(args, 'vers'), waitingList: flag(args, 'attente') });
      output(io, args, s, `Déplacé(e) vers la session n° ${s.id} ; ${s.registered}/${s.capacity} inscrits.`);
    },
  },
  {
    words: ['session', 'attendance'],
    usage:
      'session attendance (--inscription ID --demi-journee ID --statut present|absent|excuse | --session ID --tous-presents) [--json]',
    summary: 'Saisit la présence d’une inscription sur une demi-journée (ou tous présents à une session).',
    async run(ctx, args, io) {
      if (flag(args, 'tous-presents')) {
        const s = await call(ctx, 'sessions.get', { id: reqInt(args, 'session') });
        let n = 0;
        for (const p of s.participants.filter((x) => x.status === 'inscrit')) {
          for (const h of s.halfDays) {
            await call(ctx, 'sessions.attendance.set', { registrationId: p.registrationId, halfDayId: h.id, status: 'present' });
            n++;
          }
        }
        return output(io, args, { sessionId: s.id, recorded: n }, `${n} présences enregistrées.`);
      }
      const status = choice(args, 'statut', ['present', 'absent', 'excuse'] as const);
      const p = await call(ctx, 'sessions.attendance.set', { registrationId: reqInt(args, 'inscription'), halfDayId: reqInt(args, 'demi-journee'), status });
      output(io, args, p, `${p.prenom} ${p.nom} : ${p.present} demi-journée(s) de présence${p.attended ? ' — formation suivie' : ''}.`);
    },
  },
  {
    words: ['session', 'partial'],
    usage: 'session partial --inscription ID --motif TEXTE [--json]',
    summary: 'Accepte une présence partielle comme départ, avec son motif.',
    async run(ctx, args, io) {
      const p = await call(ctx, 'sessions.attendance.acceptPartial', { registrationId: reqInt(args, 'inscription'), reason: reqString(args, 'motif') });
      output(io, args, p, `${p.prenom} ${p.nom} : présence partielle acceptée (${p.attended ? 'départ réalisé' : 'non comptée'}).`);
    },
  },
  {
    words: ['session', 'export'],
    usage: 'session export (--session ID | --convention ID) --pour of|anct [--format xlsx|csv] [--out FICHIER] [--json]',
    summary: 'Liste des participants pour l’organisme, ou des professionnels à former pour l’ANCT.',
    async run(ctx, args, io) {
      const audience = choice(args, 'pour', ['of', 'anct'] as const);
      const format = choice(args, 'format', ['xlsx', 'csv'] as const, { fallback: 'xlsx' });
      const f = await call(ctx, 'sessions.export', { audience, format, sessionId: optInt(args, 'session'), conventionId: optInt(args, 'convention') });
      const file = writeOutFile(args, f);
      output(io, args, { file, rows: f.rows }, `Écrit : ${file} (${f.rows} ligne(s)).`);
    },
  },
  {
    words: ['session', 'emargement'],
    usage: 'session emargement --session ID [--vierge] [--lignes N] [--convocations] [--out FICHIER.pdf] [--json]',
    summary: 'Feuille d’émargement pré-remplie (ou vierge), ou les convocations (PDF).',
    async run(ctx, args, io) {
      const document = flag(args, 'convocations') ? 'convocations' : flag(args, 'vierge') ? 'emargement_vierge' : 'emargement';
      const f = await call(ctx, 'sessions.pdf', { sessionId: reqInt(args, 'session'), document, blankLines: optInt(args, 'lignes') });
      const file = writeOutFile(args, f);
      output(io, args, { file }, `Écrit : ${file}`);
    },
  },
  {
    words: ['ac', 'list'],
    usage: 'ac list [--convention ID] [--statut STATUT] [--json]',
    summary: 'Suivi Aidants Connect des professionnels.',
    async run(ctx, args, io) {
      const status = optString(args, 'statut') as Parameters<typeof call<'sessions.ac.list'>>[2]['status'];
      const r = await call(ctx, 'sessions.ac.list', { conventionId: optInt(args, 'convention'), status });
      if (args.options.json) return printJson(io, r);
      for (const x of r.rows) io.out(`${x.personId}\t${x.prenom} ${x.nom}\t${x.statusLabel}\t${x.sessionTitle ?? ''}`);
    },
  },
  {
    words: ['ac', 'update'],
    usage: 'ac update --personnes 1,2,3 --statut demande|eligibilite_validee|inscrit|bac_a_sable|forme|pix|presence_transmise|habilite|refuse|annule [--date AAAA-MM-JJ] [--motif TEXTE] [--json]',
    summary: 'Met à jour le suivi Aidants Connect de plusieurs personnes.',
    async run(ctx, args, io) {
      const r = await call(ctx, 'sessions.ac.update', {
        personIds: parseIds(reqString(args, 'personnes'), 'personnes'),
        status: reqString(args, 'statut') as Parameters<typeof call<'sessions.ac.update'>>[2]['status'],
        date: optString(args, 'date'),
        reason: optString(args, 'motif') ?? null,
      });
      output(io, args, r, `${r.updated} suivi(s) mis à jour.`);
    },
  },
  {
    words: ['ac', 'import'],
    usage: 'ac import --fichier TABLEAU_SUIVI_ANCT.xlsx [--date AAAA-MM-JJ] [--appliquer] [--json]',
    summary: 'Relit le tableau de suivi FNE de l’ANCT (Eligibilite_validee, A_participe_a_la_session) ; sans --appliquer, montre seulement les changements.',
    async run(ctx, args, io) {
      const file = reqString(args, 'fichier');
      const plan = await call(ctx, 'sessions.ac.import', {
        fileName: path.basename(file),
        contentBase64: fs.readFileSync(file).toString('base64'),
        date: optString(args, 'date'),
        apply: flag(args, 'appliquer'),
      });
      if (args.options.json) return printJson(io, plan);
      io.out(`${plan.rows} ligne(s) lue(s) ; ${plan.changes.length} changement(s)${plan.applied ? ' appliqué(s)' : ' (rien n’est enregistré : ajoutez --appliquer)'} ; ${plan.unmatched.length} personne(s) non retrouvée(s).`);
      for (const c of plan.changes) io.out(`  ligne ${c.row} : ${c.label} → ${c.toLabel}`);
      for (const u of plan.unmatched) io.out(`  ligne ${u.row} : ${u.label} — introuvable`);
    },
  },
];
