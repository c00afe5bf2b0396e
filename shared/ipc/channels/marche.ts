// Channels of the marche capability (filled by its issue).
export const marcheChannels = {} as const;
