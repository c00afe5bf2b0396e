// The navigation: home, then the programme's five steps in order. Titles only; statuses come
// from the guide service.
export const NAV = [
  { path: '', label: 'Accueil — guide' },
  { path: 'convention', label: '1. Convention' },
  { path: 'recensement', label: '2. Recensement des besoins' },
  { path: 'marche', label: '3. Marché de formation' },
  { path: 'sessions', label: '4. Cohortes et sessions' },
  { path: 'justification', label: '5. Présence et justification' },
  { path: 'documents', label: 'Documents à envoyer' },
  { path: 'sauvegardes', label: 'Sauvegardes et historique' },
] as const;
