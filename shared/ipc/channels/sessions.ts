// Channels of the sessions capability (filled by its issue).
export const sessionsChannels = {} as const;
