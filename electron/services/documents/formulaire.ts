// The application-form workbook the officer sends to structures (xlsx, French, one convention):
// one table, one row per professional with the structure repeated on each row, headers the
// Recensement import recognises by itself, drop-down lists (Excel data validation) for every
// closed answer, answer cells formatted as text (SIRET, postcode and phone keep their leading
// zeros; a typed « =… » stays text), headers and notes protected (no password: it guards against
// slips, not against the structure), and a « Notes » sheet that explains who can be funded, with
// the reasons of eligibility.ts. Every text that comes from the database goes through the one
// formula-injection guard (spreadsheet-safety.ts).
//
// exceljs writes it: SheetJS community edition cannot write data validations, cell protection
// or styles.
import ExcelJS from 'exceljs';
import { frDate, isValidIsoDate } from '../common/dates';
import { neutraliseCell } from '../common/spreadsheet-safety';
import type { ServiceContext } from '../context';
import { getConvention } from '../convention/service';
import { AppError, notFound } from '../errors';
import { ineligibilityRules, trainingLabels, warningRules, type IneligibilityCode, type TrainingWish } from '../recensement/eligibility';
import { formColumns, type FormColumn } from './formulaire-columns';

export const FORM_SHEET = 'Candidatures';
export const NOTES_SHEET = 'Notes';
/** Row (1-based) of the column headers; the rows above hold the title and the instructions. */
export const FORM_HEADER_ROW = 4;
export const DEFAULT_FORM_ROWS = 100;

export interface FormulaireOptions {
  conventionId: number;
  /** Number of answer rows (unlocked, with drop-downs). */
  rows?: number;
  /** Date by which the structures answer. */
  deadline?: string | null;
  /** Who to send the filled copy to (e-mail, name). */
  returnTo?: string | null;
  /** Pre-fill the rows with the professionals already known for this structure (to confirm or complete). */
  structureId?: number | null;
}

interface PrefillRow {
  structure: Record<string, string | null>;
  person: Record<string, string | null>;
}

const colLetter = (i: number): string => {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
};

/** Inline list for a data validation: "a,b,c" (Excel's limit is 255 characters, no comma inside a value). */
export function inlineList(values: readonly string[]): string {
  for (const v of values) if (v.includes(',') || v.includes('"')) throw new Error(`Valeur de liste invalide : ${v}`);
  const s = values.join(',');
  if (s.length > 255) throw new Error('Liste déroulante trop longue pour Excel (255 caractères).');
  return `"${s}"`;
}

/** The eligibility notes, built from the rules themselves (eligibility.ts), not retyped. */
export function eligibilityNotes(): { title: string; lines: string[] }[] {
  const notFunded = (Object.keys(ineligibilityRules) as IneligibilityCode[]).filter((c) => c !== 'decision_agent');
  return [
    {
      title: 'Qui peut être formé ?',
      lines: [
        'Des professionnels qui accompagnent le public dans ses démarches numériques : en priorité les agents des collectivités territoriales et de l’État — agents France Services, agents de préfecture, secrétaires de mairie, travailleurs sociaux, agents d’accueil, médiateurs numériques.',
        'Une ligne par professionnel. Une personne qui suit les deux formations compte deux départs en formation.',
      ],
    },
    {
      title: 'Qui ne peut pas être financé par cette enveloppe, et pourquoi',
      lines: notFunded.map((c) => `• ${ineligibilityRules[c]}`),
    },
    {
      title: 'Adresse e-mail',
      lines: [warningRules.generic_email, 'Elle sert à l’inscription en formation et, pour Aidants Connect, à l’ouverture des accès par l’ANCT.'],
    },
    {
      title: 'Les formations',
      lines: [
        `• ${trainingLabels.AN} : enjeux de l’inclusion numérique, accueil, diagnostic des besoins, orientation, règles sur les données personnelles, posture de l’aidant (environ une journée).`,
        `• ${trainingLabels.AC} : utilisation du service Aidants Connect pour réaliser des démarches en ligne pour le compte d’un usager, sous mandat ; FranceConnect, données personnelles, cadre juridique (7 h ou 14 h), puis un test Pix d’environ 30 minutes et l’habilitation par l’ANCT. Elle s’adresse à des professionnels déjà sensibilisés à l’inclusion numérique, dont la structure est habilitée ou éligible à Aidants Connect.`,
        `• ${trainingLabels.AN_AC} : les deux parcours.`,
      ],
    },
    {
      title: 'Comment remplir',
      lines: [
        'Remplissez l’onglet « Candidatures » : une ligne par professionnel, en répétant la structure sur chaque ligne (copier-coller de la première ligne). Utilisez les listes déroulantes. Ne modifiez pas les en-têtes de colonnes : le fichier est relu automatiquement.',
        'Données personnelles : ces informations servent uniquement à organiser les formations ; elles sont transmises à l’organisme de formation et, pour Aidants Connect, à l’ANCT.',
      ],
    },
  ];
}

async function prefillRows(ctx: ServiceContext, structureId: number): Promise<{ name: string; rows: PrefillRow[] }> {
  const s = await ctx.store.db.selectFrom('structures').selectAll().where('id', '=', structureId).executeTakeFirst();
  if (!s) throw notFound(`La structure n° ${structureId}`);
  const people = await ctx.store.db.selectFrom('people').selectAll().where('structure_id', '=', structureId).orderBy('nom').orderBy('prenom').execute();
  const yesNo = (v: number | null) => (v === null ? null : v === 1 ? 'Oui' : 'Non');
  const structure: Record<string, string | null> = {
    structure_nom: s.name,
    siret: s.siret,
    structure_type: s.type,
    adresse: s.address,
    code_postal: s.postcode,
    commune: s.city,
    statut_employeur: s.statut_employeur,
    france_services: yesNo(s.france_services),
  };
  return {
    name: s.name,
    rows: people.map((p) => ({
      structure: { ...structure, uniformation: yesNo(p.uniformation) },
      person: {
        nom: p.nom,
        prenom: p.prenom,
        profession: p.profession,
        email: p.email,
        telephone: p.phone,
        statut: p.statut,
        conseiller_numerique: yesNo(p.conseiller_numerique),
        deja_sensibilise: yesNo(p.deja_sensibilise),
        formation_souhaitee: p.training_wish ? trainingLabels[p.training_wish as TrainingWish] : null,
        commentaire: p.comment,
      },
    })),
  };
}

function headerNote(c: FormColumn): string {
  return c.list ? `${c.help}\nRéponses possibles : ${c.list.join(' / ')}.` : c.help;
}

export async function formulaireWorkbook(ctx: ServiceContext, opts: FormulaireOptions): Promise<{ fileName: string; bytes: Uint8Array }> {
  const conv = await getConvention(ctx, opts.conventionId);
  const deadline = opts.deadline ?? null;
  if (deadline !== null && !isValidIsoDate(deadline)) throw new AppError('validation', 'Date limite de réponse invalide.', { fields: { deadline: 'Date invalide.' } });
  const prefill = opts.structureId ? await prefillRows(ctx, opts.structureId) : null;
  const rowCount = Math.max(opts.rows ?? DEFAULT_FORM_ROWS, (prefill?.rows.length ?? 0) + 20);

  const wb = new ExcelJS.Workbook();
  wb.creator = 'FNE Formations';
  wb.created = ctx.now();
  wb.modified = ctx.now();
  wb.title = 'Formulaire de candidature — formations France Numérique Ensemble';

  // ---- Candidatures ----
  const ws = wb.addWorksheet(FORM_SHEET, { views: [{ state: 'frozen', ySplit: FORM_HEADER_ROW, activeCell: `A${FORM_HEADER_ROW + 1}` }] });
  ws.columns = formColumns.map((c) => ({ width: c.width }));
  const last = colLetter(formColumns.length - 1);
  const safe = (s: string) => neutraliseCell(s);
  ws.mergeCells(`A1:${last}1`);
  ws.getCell('A1').value = safe('Formulaire de candidature — formations Aidants Numériques et Aidants Connect');
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.mergeCells(`A2:${last}2`);
  const returnTo = opts.returnTo?.trim() || null;
  ws.getCell('A2').value = safe(
    `France Numérique Ensemble — ${conv.label} — ${conv.beneficiaireNom}` +
      (prefill ? ` — structure : ${prefill.name}` : '') +
      (deadline || returnTo ? `. À retourner${deadline ? ` avant le ${frDate(deadline)}` : ''}${returnTo ? ` à ${returnTo}` : ''}.` : '.'),
  );
  ws.mergeCells(`A3:${last}3`);
  ws.getCell('A3').value =
    'Une ligne par professionnel à former ; répétez la structure sur chaque ligne. Utilisez les listes déroulantes. Lisez l’onglet « Notes » : qui peut être financé et pourquoi.';
  ws.getCell('A3').alignment = { wrapText: true, vertical: 'top' };
  ws.getRow(3).height = 30;

  const header = ws.getRow(FORM_HEADER_ROW);
  formColumns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true, color: { argb: 'FF1F2937' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.group === 'structure' ? 'FFDCE8F5' : 'FFE4F1E1' } };
    cell.alignment = { wrapText: true, vertical: 'middle' };
    cell.border = { bottom: { style: 'thin' } };
    cell.note = headerNote(c);
  });
  header.height = 45;

  const first = FORM_HEADER_ROW + 1;
  for (let r = first; r < first + rowCount; r++) {
    const row = ws.getRow(r);
    const pre = prefill?.rows[r - first];
    formColumns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.protection = { locked: false };
      cell.numFmt = '@';
      if (pre && c.field) {
        const v = pre.structure[c.field] ?? pre.person[c.field] ?? null;
        if (v !== null && v !== '') cell.value = safe(v);
      }
    });
  }
  // One validation per column over the answer rows (a range: exceljs's per-cell merging writes
  // overlapping ranges, which Excel reports as a damaged file).
  formColumns.forEach((c, i) => {
    if (!c.list) return;
    const col = colLetter(i);
    // Not in exceljs's type definitions, but its documented API (worksheet.dataValidations).
    (ws as unknown as { dataValidations: { add(address: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${col}${first}:${col}${first + rowCount - 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [inlineList(c.list)],
      showErrorMessage: true,
      errorStyle: c.strict ? 'stop' : 'warning',
      errorTitle: 'Réponse hors liste',
      error: c.strict ? `Choisissez une réponse de la liste : ${c.list.join(' / ')}.` : 'Cette réponse n’est pas dans la liste : la garder quand même ?',
      showInputMessage: true,
      promptTitle: c.header.slice(0, 32),
      prompt: c.help.slice(0, 255),
    });
  });
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    sort: true,
    autoFilter: true,
  });

  // ---- Notes ----
  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [{ width: 110 }];
  let n = 1;
  notes.getCell(`A${n++}`).value = 'Notes — qui peut être formé sur l’enveloppe France Numérique Ensemble';
  notes.getCell('A1').font = { bold: true, size: 14 };
  notes.getCell(`A${n++}`).value = safe(`${conv.beneficiaireNom} — ${conv.label}${deadline ? ` — réponse attendue avant le ${frDate(deadline)}` : ''}`);
  for (const section of eligibilityNotes()) {
    n++;
    const t = notes.getCell(`A${n++}`);
    t.value = section.title;
    t.font = { bold: true, size: 12 };
    for (const line of section.lines) {
      const cell = notes.getCell(`A${n++}`);
      cell.value = line;
      cell.alignment = { wrapText: true, vertical: 'top' };
    }
  }
  await notes.protect('', { selectLockedCells: true, selectUnlockedCells: true });
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];

  const buf = await wb.xlsx.writeBuffer();
  const base = prefill ? `-${prefill.name}` : '';
  const slug = `formulaire-candidature-${conv.departement}${base}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 80);
  return { fileName: `${slug}.xlsx`, bytes: new Uint8Array(buf as ArrayBuffer) };
}
