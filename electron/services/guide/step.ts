export type StepStatus = 'a_faire' | 'en_cours' | 'termine';
export interface StepProgress {
  status: StepStatus;
  summary: string;
}
export const statusLabels: Record<StepStatus, string> = {
  a_faire: 'À faire',
  en_cours: 'En cours',
  termine: 'Terminé',
};
