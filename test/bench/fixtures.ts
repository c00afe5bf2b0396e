// Synthetic ANCT-style lists for benchmarks (no real person), after the project's fixture
// generator: same columns and quirks (SIRET as SIREN, « .0 », lost zero, upper-case e-mails,
// postcode 0, missing département, one person in two structures).
import * as XLSX from 'xlsx';

export const ANCT_HEADERS = ['prénom', 'nom', 'adresse électronique', 'Téléphone', 'Type de Parcours', 'profession', 'Création FNE', 'ID FNE', 'Est référent', 'Aidant - Peut créer des mandats', "L'aidant est conseiller numérique", 'Carte TOTP active', 'App OTP', 'actif', 'Moyen de connexion choisi', 'Date de formation', 'Nom Organisme de formation', 'Organisation: Nom', 'Organisation: Datapass ID', 'Organisation: N° SIRET', 'Organisation: Adresse', 'Organisation: Code Postal', 'Organisation: Ville', 'Organisation: Code INSEE du département', 'Organisation type: Nom', 'Organisation: Labellisation France Services'];

export function anctRows(n: number, seed0 = 7): string[][] {
  let seed = seed0;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
  const prenoms = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Jade', 'Louise', 'Zoé', 'Nathalie', 'Isabelle', 'Sylvie', 'Françoise', 'Hélène', 'Émilie', 'Julien', 'Thomas', 'Nicolas', 'Jérôme', 'Stéphane', 'Éric', 'Loïc', 'Gaëlle', 'Anaïs', 'Benoît', 'Agnès'];
  const noms = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèbvre', 'Michel', 'Garcia', 'Le Gall', "N'Diaye", 'Da Silva', 'Saint-Jean', 'Chevalier'];
  const villes: [string, string][] = [['23000', 'Guéret'], ['23200', 'Aubusson'], ['23300', 'La Souterraine'], ['23400', 'Bourganeuf'], ['23500', 'Felletin'], ['23600', 'Boussac'], ['23110', 'Évaux-les-Bains']];
  const types: [string, string][] = [['CCAS', 'CCAS de '], ['Mairie', 'Mairie de '], ['France Services', 'France Services de '], ['Association', 'Association Numérique pour Tous '], ['Médiathèque', 'Médiathèque de ']];
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
  const siret = () => {
    for (;;) {
      let s = String(Math.floor(rnd() * 9) + 1);
      while (s.length < 13) s += Math.floor(rnd() * 10);
      for (let c = 0; c < 10; c++) if (luhn(s + c)) {
        if (!luhn(s.slice(0, 9))) break;
        return s + c;
      }
    }
  };
  const slug = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '');
  const nStruct = Math.max(8, Math.round(n / 5));
  const structs = Array.from({ length: nStruct }, (_, i) => {
    const [cp, ville] = pick(villes);
    const [type, prefix] = pick(types);
    return { name: `${prefix}${ville} ${i + 1}`, type, siret: siret(), cp, ville, dept: '23', addr: `${1 + Math.floor(rnd() * 40)} rue Victor Hugo`, datapass: String(10000 + i), fs: type === 'France Services', domain: slug(prefix + ville).slice(0, 14) + (i + 1) + '.fr' };
  });
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const s = pick(structs);
    const p = pick(prenoms);
    const nm = pick(noms);
    let email = `${slug(p)}.${slug(nm)}@${s.domain}`;
    let k = 2;
    while (seen.has(email)) email = `${slug(p)}.${slug(nm)}${k++}@${s.domain}`;
    seen.add(email);
    const prof = pick(['Agent France Services', 'Secrétaire de mairie', 'Travailleur social', "Agent d'accueil", 'Médiateur numérique', 'Conseiller numérique']);
    let sir = s.siret;
    if (i % 17 === 5) sir = sir.slice(0, 9);
    if (i % 23 === 7) sir = sir + '.0';
    const d = rnd() > 0.3 ? `${String(1 + Math.floor(rnd() * 27)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-2024` : '';
    const tf = (b: boolean) => (b ? 'True' : 'False');
    rows.push([p, nm, i % 29 === 11 ? email.toUpperCase() : email, '05 55 12 34 56', 'Formation classique', prof, 'False', 'None', tf(rnd() < 0.1), tf(rnd() > 0.2), tf(prof === 'Conseiller numérique'), 'True', 'False', tf(rnd() > 0.15), 'Carte physique', d, d ? 'Mednum' : 'NC', s.name, s.datapass, sir, s.addr, i % 31 === 3 ? '0' : s.cp, s.ville, i % 13 === 4 ? '' : s.dept, s.type, tf(s.fs)]);
  }
  return rows;
}

export function toCsv(headers: string[], rows: string[][]): Buffer {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
  return Buffer.from([headers, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'utf8');
}

export function toXlsx(headers: string[], rows: string[][]): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([headers, ...rows]), 'Aidants');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}
