// The convention's window: what counts happens between the signature and the end date, both
// stored per convention (never a constant).
import { describe, expect, it } from 'vitest';
import { daysUntil, expenseWindowWarning, sessionInWindow, sessionWindowWarning, windowPosition } from '../../electron/services/convention/window';

const w = { signatureDate: '2024-10-15', endDate: '2025-12-31' };

describe('the convention’s window', () => {
  it('a date is before the signature, inside, or after the end date (both days included)', () => {
    expect(windowPosition('2024-10-14', w)).toBe('avant_signature');
    expect(windowPosition('2024-10-15', w)).toBe('dans_la_fenetre');
    expect(windowPosition('2025-12-31', w)).toBe('dans_la_fenetre');
    expect(windowPosition('2026-01-01', w)).toBe('apres_fin');
    // No signature date yet: only the end date bounds.
    expect(windowPosition('2020-01-01', { signatureDate: null, endDate: '2025-12-31' })).toBe('dans_la_fenetre');
    // Another convention, another end date.
    expect(windowPosition('2026-02-10', { signatureDate: '2025-09-01', endDate: '2026-12-31' })).toBe('dans_la_fenetre');
  });
  it('a session is inside when all its half-days are; one ending after the end date is not', () => {
    expect(sessionInWindow('2025-12-30', '2025-12-31', w)).toBe(true);
    expect(sessionInWindow('2025-12-31', '2026-01-02', w)).toBe(false);
    expect(sessionInWindow(null, null, w)).toBe(true);
    expect(sessionWindowWarning('2026-02-10', '2026-02-10', w)).toMatch(/le 10\/02\/2026, après la fin de la convention \(31\/12\/2025\) : ses participants ne comptent pas/);
    expect(sessionWindowWarning('2024-09-01', '2024-09-01', w)).toMatch(/avant la signature de la convention \(15\/10\/2024\)/);
    expect(sessionWindowWarning('2025-06-01', '2025-06-02', w)).toBeNull();
  });
  it('an expense dated outside the window is warned, with both dates', () => {
    expect(expenseWindowWarning('Facture', '2026-01-15', w)).toMatch(/Facture daté\(e\) du 15\/01\/2026, après la fin de la convention \(31\/12\/2025\)/);
    expect(expenseWindowWarning('Facture', '2025-01-15', w)).toBeNull();
  });
  it('days left until the end date', () => {
    expect(daysUntil('2025-12-31', '2025-12-15')).toBe(16);
    expect(daysUntil('2025-12-31', '2025-12-31')).toBe(0);
    expect(daysUntil('2025-12-31', '2026-01-02')).toBe(-2);
  });
});
