// Defaults of the 2024 FNE convention model. Each convention stores its own values: later
// envelopes (other years, other amounts) override them, nothing below is used as a constant.
export const CONVENTION_DEFAULTS = {
  amountCents: 20_000_00,
  endDate: '2025-12-31',
  departureTarget: 60,
} as const;
