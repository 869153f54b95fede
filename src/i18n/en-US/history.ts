/** `/uploads`: the history list and its paging. */
export const historyTexts = {
  history: {
    title: 'Uploaded voice samples',
    empty: 'No uploads match. Upload one with `/upload`.',
    footer: (page: number, pages: number, total: number) =>
      `Page ${page} of ${pages} · ${total.toLocaleString('en-US')} upload${total === 1 ? '' : 's'}`,
    by: (name: string) => `by ${name}`,
    jump: 'message',
    private: '🔒 Private (its uploader and server managers see it)',
    previous: 'Previous',
    next: 'Next',
    earlierMessage: 'Where it was posted',
  },
};

export type HistoryTexts = typeof historyTexts;
