// Attendance entry (per session, per half-day, per participant). It reads and writes the
// Sessions capability's attendance; until that capability provides its sessions, the screen
// says so instead of showing an empty grid.
import { Alert, Anchor, Stack, Title } from '@mantine/core';

function NotYet() {
  return (
    <Alert color="gray" title="Saisie des présences indisponible">
      Les présences se saisissent par session et par demi-journée : elles seront disponibles dès que les sessions (étape 4) pourront être programmées. En attendant, la{' '}
      <Anchor href="#/justification">liste de contrôle du dossier</Anchor> indique déjà ce qui manque pour la convention et les dépenses.
    </Alert>
  );
}

export function SessionsToRecord() {
  return (
    <Stack>
      <Title order={1}>Présences — sessions</Title>
      <NotYet />
    </Stack>
  );
}

export function AttendancePage({ sessionId }: { sessionId: number }) {
  return (
    <Stack>
      <Title order={1}>Présences — session n° {sessionId}</Title>
      <NotYet />
    </Stack>
  );
}
