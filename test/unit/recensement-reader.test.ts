// The tabular reader and the SIRET repair: encodings, delimiters, quoted line breaks, header
// row, notes sheet, dates, and every SIRET quirk of the officer's files.
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { decodeText, detectDelimiter, parseDelimited } from '../../electron/services/common/tabular/csv';
import { detectHeaderRow, normaliseHeader, pickSheet } from '../../electron/services/common/tabular/header';
import { readTabular } from '../../electron/services/common/tabular/read';
import { toBool, toIsoDate } from '../../electron/services/common/tabular/values';
import { detectKind, recensementDictionary } from '../../electron/services/recensement/fields';
import { parseSiretCell } from '../../electron/services/recensement/siret';
import { AppError } from '../../electron/services/errors';

describe('CSV text', () => {
  it('decodes UTF-8 with BOM, UTF-8 without, and Windows-1252 (with its € and curly apostrophe)', () => {
    expect(decodeText(Buffer.from('\ufeffPrénom', 'utf8'))).toEqual({ text: 'Prénom', encoding: 'utf-8-bom' });
    expect(decodeText(Buffer.from('Prénom', 'utf8'))).toEqual({ text: 'Prénom', encoding: 'utf-8' });
    expect(decodeText(Buffer.from([0x50, 0x72, 0xe9, 0x6e, 0x6f, 0x6d, 0x20, 0x92, 0x80]))).toEqual({ text: 'Prénom ’€', encoding: 'windows-1252' });
  });

  it('detects « ; », « , » or tab, even under a title line', () => {
    expect(detectDelimiter('Liste des aidants, novembre\n\na;b;c\n1;2,5;3\n4;5;6\n')).toBe(';');
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
  });

  it('keeps quoted fields with delimiters, doubled quotes and line breaks', () => {
    expect(parseDelimited('nom;commentaire\r\nDurand;"Dispo le mardi ; ""merci""\r\nà bientôt"\r\nPetit;\r\n', ';')).toEqual([
      ['nom', 'commentaire'],
      ['Durand', 'Dispo le mardi ; "merci"\r\nà bientôt'],
      ['Petit', ''],
    ]);
  });
});

describe('workbooks', () => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['À lire'], ['Ce classeur recense…'], ['Nom', 'Prénom', 'Email']]), 'Notes');
  const data = XLSX.utils.aoa_to_sheet([['Recensement 2025 — Creuse'], [], ['NOM', 'Prénom', 'Mail', 'Structure', 'SIRET'], ['Durand', 'Léa', 'l@x.fr', 'Mairie', 21230096600018], ['Total', null, null, null, null]]);
  data['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 4 } }];
  XLSX.utils.book_append_sheet(wb, data, 'Données');
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;

  it('picks the data sheet, not the notes, and the header row under a merged title and a blank row', () => {
    const file = readTabular(bytes, 'liste.xlsx');
    const sheet = pickSheet(file, recensementDictionary);
    expect(sheet.name).toBe('Données');
    expect(detectHeaderRow(sheet, recensementDictionary).index).toBe(2);
    expect(sheet.rows[3]).toEqual(['Durand', 'Léa', 'l@x.fr', 'Mairie', 21230096600018]);
  });

  it('refuses a damaged workbook or a non-spreadsheet binary with a French message', () => {
    expect(() => readTabular(bytes.subarray(0, 200), 'liste.xlsx')).toThrow(AppError);
    expect(() => readTabular(bytes.subarray(0, 200), 'liste.xlsx')).toThrow(/endommagé ou incomplet/);
    expect(() => readTabular(Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 0, 1]), 'x.pdf')).toThrow(/ni un classeur/);
    expect(() => readTabular(Buffer.alloc(0), 'vide.csv')).toThrow(/vide/);
  });
});

describe('headers and kinds', () => {
  it('compares headers without accents, case, curly apostrophes or underscores', () => {
    expect(normaliseHeader('L’aidant est conseiller numérique')).toBe(normaliseHeader("L'aidant est CONSEILLER_NUMERIQUE"));
    expect(recensementDictionary.lookup(normaliseHeader('Organisation: N° SIRET'))).toBe('siret');
    expect(recensementDictionary.lookup(normaliseHeader('Adresse_e_mail'))).toBe('email');
    expect(recensementDictionary.lookup(normaliseHeader('Courriel'))).toBe('email');
    expect(recensementDictionary.lookup(normaliseHeader('CP'))).toBe('code_postal');
    expect(recensementDictionary.lookup(normaliseHeader('E_mail_de_contact'))).toBe('structure_email');
  });
  it('maps the labels officers type by hand, with « / », « (s) » or « (e) » and « … de la structure »', () => {
    const cases: [string, string][] = [
      ['Mail / Courriel', 'email'], ['Adresse mél', 'email'], ['Adresse électronique professionnelle', 'email'],
      ['Fonction / Poste', 'profession'], ['Structure / Employeur', 'structure_nom'], ["Nom d'usage", 'nom'],
      ['Prénom(s)', 'prenom'], ['Formation(s) souhaitée(s)', 'formation_souhaitee'], ['Numéro SIRET de la structure', 'siret'],
      ['Code postal de la structure', 'code_postal'], ['Nom de la commune', 'commune'], ['Commune de la structure', 'commune'],
      ['Code INSEE du département', 'departement'],
    ];
    for (const [h, f] of cases) expect(recensementDictionary.lookup(normaliseHeader(h)), h).toBe(f);
    // the marks are only dropped when nothing else matched: « E-mail » stays the person's e-mail
    expect(recensementDictionary.lookup(normaliseHeader('E-mail'))).toBe('email');
  });
  it('recognises the ANCT export, the FNE table and the form answers', () => {
    expect(detectKind(['prénom', 'nom', 'adresse électronique', 'Organisation: N° SIRET'])).toBe('anct');
    expect(detectKind(['Nom_du_professionnel', 'Prenom_du_professionnel', 'Numero_Siret'])).toBe('grist');
    expect(detectKind(['Horodateur', 'Nom', 'Prénom', 'Statut du professionnel'])).toBe('formulaire');
    expect(detectKind(['NOM', 'Prénom', 'Mail'])).toBe('other');
  });
});

describe('dates and yes/no', () => {
  it.each([
    [45689.375, '2025-02-01'],
    ['25-04-2024', '2024-04-25'],
    ['25/04/2024', '2024-04-25'],
    ['2024-04-25', '2024-04-25'],
    ['2024-04-25T23:30:00+02:00', '2024-04-25'],
    ['2024-04-25T08:00:00Z', '2024-04-25'],
    ['2024-04-25T23:30:00+02', '2024-04-25'],
    ['2024-04-25 23:30:00 +02:00', '2024-04-25'],
    ['2024-04-25 23:30:00,123+0200', '2024-04-25'],
    ['2024/04/25', '2024-04-25'],
    ['2024/04/25 10:00', '2024-04-25'],
    ['2024-04/25', null],
    ['31/02/2024', null],
    ['bientôt', null],
  ])('%s → %s', (c, iso) => {
    expect(toIsoDate(c as string | number)).toBe(iso);
  });
  it('reads True/False, 1/0, Oui/Non, OUI/NON and None', () => {
    expect(['True', 'False', '1', '0', 'Oui', 'NON', 'None', 'Je ne sais pas', ''].map((x) => toBool(x))).toEqual([true, false, true, false, true, false, false, null, null]);
  });
});

describe('SIRET cells', () => {
  it('a valid SIRET is kept as is', () => {
    expect(parseSiretCell('21230096600018')).toEqual({ kind: 'siret', siret: '21230096600018', repair: null });
  });
  it('repairs spaces, « .0 », scientific notation and a lost leading zero, saying so', () => {
    expect(parseSiretCell('212 300 966 00018')).toMatchObject({ kind: 'siret', siret: '21230096600018', repair: 'espaces retirés' });
    expect(parseSiretCell('21230096600018.0')).toMatchObject({ kind: 'siret', siret: '21230096600018', repair: '« .0 » final retiré' });
    expect(parseSiretCell('2,1230096600018E+13')).toMatchObject({ kind: 'siret', siret: '21230096600018' });
    expect(parseSiretCell(21230096600018)).toMatchObject({ kind: 'siret', siret: '21230096600018', repair: null });
  });
  it('restores the leading zero only when the result is valid', () => {
    const valid = findValidWithLeadingZero();
    expect(parseSiretCell(valid.slice(1))).toMatchObject({ kind: 'siret', siret: valid, repair: 'zéro initial rétabli' });
  });
  it('a 9-digit SIREN is flagged as such; La Poste SIRETs follow their own rule', () => {
    expect(parseSiretCell('212300966')).toEqual({ kind: 'siren', siren: '212300966', repair: null });
    expect(parseSiretCell('35600000000051')).toMatchObject({ kind: 'siret' }); // digit sum 20
    expect(parseSiretCell('35600000000048')).toMatchObject({ kind: 'invalid' }); // digit sum 26
  });
  it('refuses what cannot be repaired, with the reason', () => {
    expect(parseSiretCell('12345678901234')).toMatchObject({ kind: 'invalid', reason: 'la clé de contrôle est fausse' });
    expect(parseSiretCell('1,23457E+13')).toMatchObject({ kind: 'invalid' });
    expect(parseSiretCell('SIRET en cours')).toMatchObject({ kind: 'invalid' });
    expect(parseSiretCell('')).toEqual({ kind: 'empty' });
    expect(parseSiretCell('None')).toEqual({ kind: 'empty' });
  });
});

function findValidWithLeadingZero(): string {
  const luhn = (s: string) => {
    let t = 0;
    for (let i = 0; i < s.length; i++) {
      let d = +s[s.length - 1 - i];
      if (i % 2) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      t += d;
    }
    return t % 10 === 0;
  };
  for (let n = 12345678; ; n++) {
    const siren = '0' + String(n).padStart(8, '0');
    if (!luhn(siren)) continue;
    for (let c = 10; c < 100; c++) {
      const s = siren + '000' + String(c);
      if (luhn(s)) return s;
    }
  }
}
