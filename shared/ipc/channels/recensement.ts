// Channels of the recensement capability (filled by its issue).
export const recensementChannels = {} as const;
