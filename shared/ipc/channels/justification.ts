// Channels of the justification capability (filled by its issue).
export const justificationChannels = {} as const;
