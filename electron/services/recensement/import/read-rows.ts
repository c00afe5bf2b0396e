// Reading the rows of the located tables into our values: names (a « NOM Prénom » column split),
// e-mail, dates in the column's day/month order, yes/no answers, the structure's SIRET (repaired
// when harmless), postcode and département (20xxx: the file's column, else the convention's 2A/2B).
// The rows are consumed as they are read (each row's cells released at once).
import { breathe } from '../../jobs';
import type { Cell } from '../../common/tabular/read';
import { cellText, toBool, toIsoDate } from '../../common/tabular/values';
import { parseTrainingWish } from '../eligibility';
import { fieldLabels, type ImportField } from '../fields';
import { clean, departementFromPostcode, nameKey, normaliseEmail, normalisePostcode, parseDepartement } from '../normalise';
import { parseSiretCell } from '../siret';
import { splitFullName } from './full-name';
import type { Located } from './locate';
import { PLAN_BATCH, type AnctDecisions, type PersonValues, type PlanTools, type RowData, type RowStructure, type StructureValues } from './plan-types';
import type { RowIssues } from './row-issues';
import { throwIfCancelled } from './cancel';

const EMPTY_ROW: Cell[] = [];

const isTotalRow = (cells: Cell[]) => {
  for (const c of cells) {
    const t = cellText(c);
    if (t !== '') return /^(sous[- ])?total\b/i.test(t);
  }
  return false;
};

function isFilled(cells: Cell[]): boolean {
  for (const c of cells) if (c !== null && c !== '' && !(typeof c === 'string' && c.trim() === '')) return true;
  return false;
}

/** One file's reading context: where each field is, and what the file decided for all its rows. */
class RowReader {
  private col: Partial<Record<ImportField, number>> = {};

  constructor(
    readonly fi: number,
    readonly l: Located,
    private issues: RowIssues,
    /** The convention's département when it is Corsican (2A/2B), else null. */
    private corsica: string | null,
  ) {
    l.mapping.forEach((f, i) => {
      if (f !== null) this.col[f] = i;
    });
  }

  get(cells: Cell[], f: ImportField): Cell {
    const i = this.col[f];
    return i === undefined ? null : (cells[i] ?? null);
  }

  text(cells: Cell[], f: ImportField): string | null {
    return clean(cellText(this.get(cells, f)));
  }

  private bool(cells: Cell[], f: ImportField): number | null {
    const b = toBool(this.get(cells, f));
    return b === null ? null : b ? 1 : 0;
  }

  private date(cells: Cell[], row: number, f: 'date_demande' | 'date_formation'): string | null {
    const c = this.get(cells, f);
    if (c === null || cellText(c) === '') return null;
    const iso = toIsoDate(c, this.l.file.date1904, this.l.dateOrders[f] ?? 'jma');
    if (!iso) this.issues.warn(this.fi, row, 'date_illisible', `${fieldLabels[f]} illisible « ${cellText(c)} » : ignorée.`);
    return iso;
  }

  /** Family name and first name: their columns, or the « NOM Prénom » column split. */
  names(cells: Cell[], row: number): { nom: string | null; prenom: string | null } {
    if (this.col.nom_complet === undefined || (this.col.nom !== undefined && this.col.prenom !== undefined)) return { nom: this.text(cells, 'nom'), prenom: this.text(cells, 'prenom') };
    const full = this.text(cells, 'nom_complet');
    const split = full ? splitFullName(full, this.l.nameOrder) : null;
    if (split?.unsure && split.prenom) {
      this.issues.warn(this.fi, row, 'nom_prenom_incertain', `« ${full} » : nom « ${split.nom} » et prénom « ${split.prenom} » séparés selon l’ordre de la colonne (aucune majuscule ne le dit) : à vérifier.`);
    }
    return { nom: this.text(cells, 'nom') ?? clean(split?.nom), prenom: this.text(cells, 'prenom') ?? clean(split?.prenom) };
  }

  /** The row's structure (null: neither name nor SIRET), or a rejection reason for its SIRET. */
  structure(cells: Cell[], row: number): { structure: RowStructure | null; problem: [string, string] | null } {
    const siretCell = parseSiretCell(this.get(cells, 'siret'));
    const sName = this.text(cells, 'structure_nom');
    if (siretCell.kind === 'invalid') return { structure: null, problem: ['siret_invalide', `SIRET invalide « ${siretCell.raw} » (${siretCell.reason})`] };
    if (!sName && siretCell.kind === 'empty') return { structure: null, problem: null };
    if (siretCell.kind === 'siret' && siretCell.repair) this.issues.repaired(this.fi, row, 'siret_corrige', 'SIRET', siretCell.repair);
    if (siretCell.kind === 'siren' && siretCell.repair) this.issues.repaired(this.fi, row, 'siret_corrige', 'SIREN', siretCell.repair);
    const fs = toBool(this.get(cells, 'france_services'));
    const se = normaliseEmail(this.text(cells, 'structure_email'));
    const values: Partial<StructureValues> = {
      type: this.text(cells, 'structure_type'),
      address: this.text(cells, 'adresse'),
      city: this.text(cells, 'commune'),
      email: se.valid ? se.email : null,
      datapass_id: this.text(cells, 'datapass_id'),
      habilitation_ac: this.text(cells, 'habilitation_ac'),
      france_services: fs === null ? null : fs ? 1 : 0,
      statut_employeur: this.text(cells, 'statut_employeur'),
      ...this.place(cells, row),
    };
    return {
      structure: {
        file: this.fi,
        row,
        siret: siretCell.kind === 'siret' ? siretCell.siret : null,
        siren: siretCell.kind === 'siret' ? siretCell.siret.slice(0, 9) : siretCell.kind === 'siren' ? siretCell.siren : null,
        name: sName,
        nameKey: sName ? nameKey(sName) : '',
        values,
      },
      problem: null,
    };
  }

  /** Postcode and département: the file's département column, else the postcode's; 20xxx takes the convention's 2A/2B. */
  private place(cells: Cell[], row: number): { postcode: string | null; departement: string | null } {
    const pcText = this.text(cells, 'code_postal');
    const pc = normalisePostcode(pcText);
    if (!pc.valid) this.issues.warn(this.fi, row, 'code_postal_invalide', `Code postal illisible « ${pcText} » : ignoré.`);
    const depText = this.text(cells, 'departement');
    let dep = parseDepartement(depText);
    if (!dep && depText) this.issues.warn(this.fi, row, 'departement_invalide', `Département inconnu « ${depText} » : ignoré.`);
    if (!dep && pc.postcode) {
      const d = departementFromPostcode(pc.postcode);
      if (d.corsica && this.corsica) dep = this.corsica;
      else if (d.corsica) {
        this.issues.warn(this.fi, row, 'departement_corse', `Code postal ${pc.postcode} : Corse-du-Sud (2A) ou Haute-Corse (2B) ? Le département ne peut pas être déduit ; précisez-le sur la fiche de la structure.`);
      } else dep = d.departement;
    }
    return { postcode: pc.postcode, departement: dep };
  }

  person(cells: Cell[], row: number, nom: string, prenom: string): PersonValues {
    const em = normaliseEmail(this.text(cells, 'email'));
    if (!em.valid) this.issues.warn(this.fi, row, 'email_invalide', `Adresse e-mail invalide « ${em.email} » : non enregistrée.`);
    const conum = toBool(this.get(cells, 'conseiller_numerique'));
    const unifRaw = this.text(cells, 'uniformation');
    let unif = toBool(this.get(cells, 'uniformation'));
    if (unif === null && unifRaw && /uniformation/i.test(unifRaw)) unif = true;
    const wishRaw = this.text(cells, 'formation_souhaitee');
    const wish = parseTrainingWish(wishRaw);
    if (wishRaw && !wish) this.issues.warn(this.fi, row, 'formation_inconnue', `Formation souhaitée non reconnue « ${wishRaw} » (attendu : Aidants Numériques, Aidants Connect ou les deux).`);
    const orgRaw = this.text(cells, 'organisme_formation');
    return {
      nom,
      prenom,
      email: em.valid ? em.email : null,
      phone: this.text(cells, 'telephone'),
      profession: this.text(cells, 'profession'),
      conseiller_numerique: conum === null ? null : conum ? 1 : 0,
      statut: this.text(cells, 'statut'),
      uniformation: unif === null ? null : unif ? 1 : 0,
      deja_sensibilise: this.bool(cells, 'deja_sensibilise'),
      training_wish: wish,
      training_date: this.date(cells, row, 'date_formation'),
      training_org: orgRaw && !/^(nc|n\/c|non communiqu)/i.test(orgRaw) ? orgRaw : null,
      request_date: this.date(cells, row, 'date_demande'),
      aidant_actif: this.bool(cells, 'aidant_actif'),
      referent: this.bool(cells, 'referent'),
      comment: this.text(cells, 'commentaire'),
    };
  }

  /** ANCT's decisions (FNE table: Eligibilite_validee, Validation_du_financement, A_participe_a_la_session). */
  anct(cells: Cell[]): AnctDecisions | null {
    const a = { eligibilite: this.bool(cells, 'anct_eligibilite'), financement: this.bool(cells, 'anct_financement'), participation: this.bool(cells, 'anct_participation') };
    return a.eligibilite === null && a.financement === null && a.participation === null ? null : a;
  }

  /** One row → its data, or null (rejected: reported; blank or total rows: skipped before). */
  read(cells: Cell[], row: number): RowData | null {
    const { nom, prenom } = this.names(cells, row);
    const problems: [string, string][] = [];
    if (!nom) problems.push(['nom_manquant', 'nom manquant']);
    if (!prenom) problems.push(['prenom_manquant', 'prénom manquant']);
    const { structure, problem } = this.structure(cells, row);
    if (problem) problems.push(problem);
    if (problems.length) {
      // The structure of a rejected row is not created either: the row is set aside whole.
      this.issues.reject(this.fi, row, problems[0][0], `Ligne ${row} rejetée : ${problems.map((p) => p[1]).join(', ')}.`);
      return null;
    }
    if (!structure) this.issues.warn(this.fi, row, 'structure_manquante', 'Ni nom de structure ni SIRET : le professionnel est enregistré sans employeur.');
    return { file: this.fi, row, structure, person: this.person(cells, row, nom!, prenom!), personNameKey: nameKey(nom, prenom), anct: this.anct(cells) };
  }
}

export interface ReadRows {
  data: RowData[];
  rows: number;
  rowsPerFile: number[];
  totalRows: number;
}

/** Pass 1: every data row of every file, in order. */
export async function readRows(files: Located[], issues: RowIssues, corsica: string | null, tools: PlanTools): Promise<ReadRows> {
  const data: RowData[] = [];
  const rowsPerFile: number[] = [];
  let rows = 0;
  let totalRows = 0;
  for (const l of files) totalRows += Math.max(0, l.sheet.rows.length - l.headerIndex - 1);
  let scanned = 0;
  tools.progress?.(0, totalRows);
  for (let fi = 0; fi < files.length; fi++) {
    const l = files[fi];
    const reader = new RowReader(fi, l, issues, corsica);
    const sheet = l.sheet;
    const before = rows;
    for (let r = l.headerIndex + 1; r < sheet.rows.length; r++) {
      if (++scanned % PLAN_BATCH === 0) {
        tools.progress?.(scanned, totalRows);
        await breathe();
        throwIfCancelled(tools.signal);
      }
      const cells = sheet.rows[r] ?? EMPTY_ROW;
      // The row is read once: its cells are released now (the plan keeps only our values).
      sheet.rows[r] = EMPTY_ROW;
      if (!isFilled(cells) || isTotalRow(cells)) continue;
      rows++;
      const d = reader.read(cells, r + 1);
      if (d) data.push(d);
    }
    rowsPerFile.push(rows - before);
    sheet.rows = [];
  }
  return { data, rows, rowsPerFile, totalRows };
}
