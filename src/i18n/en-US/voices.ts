/** `/voices` and the reminder posted a day before MiniMax deletes an unused voice. */
export const voiceTexts = {
  voices: {
    title: "This server's cloned voices",
    empty: 'No voices yet. Clone one from an uploaded sample with `/clone`.',
    footer: (page: number, pages: number, total: number) =>
      `Page ${page} of ${pages} · ${total.toLocaleString('en-US')} voice${total === 1 ? '' : 's'}`,
    clonedBy: (name: string) => `cloned by ${name}`,
    fromSample: (fileId: string) => `from sample \`${fileId}\``,
    withPrompt: 'with a prompt clip',
    created: (when: string) => `created ${when}`,
    lastUsed: (when: string) => `last used ${when}`,
    neverUsed: 'never used',
    uses: (count: number) => `${count.toLocaleString('en-US')} use${count === 1 ? '' : 's'}`,
    private: 'private',
    statePending: (when: string) => `⏳ deleted by MiniMax ${when} unless used`,
    stateKept: '✅ kept (used for speech)',
    stateExpired: (when: string) => `🗑️ expired ${when}: MiniMax deleted it unused`,
    previous: 'Previous',
    next: 'Next',
    reminderTitle: 'A cloned voice will be deleted tomorrow',
    reminder: (voiceId: string, owner: string, when: string) =>
      `The voice \`${voiceId}\` cloned by ${owner} has never been used for speech, so MiniMax deletes it ${when}. ` +
      `To keep it, say something with it once: \`/say voice:${voiceId}\`. That first speech also bills the clone fee.`,
  },
};

export type VoiceTexts = typeof voiceTexts;
