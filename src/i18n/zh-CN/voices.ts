import type { VoiceTexts } from '../en-US/voices.ts';

export const voiceTexts: VoiceTexts = {
  voices: {
    title: '本服务器复刻的音色',
    empty: '还没有音色。可以用 `/clone` 从已上传的样本复刻一个。',
    footer: (page: number, pages: number, total: number) =>
      `第 ${page} / ${pages} 页 · 共 ${total.toLocaleString('zh-CN')} 个音色`,
    clonedBy: (name: string) => `复刻者：${name}`,
    fromSample: (fileId: string) => `样本 \`${fileId}\``,
    withPrompt: '附带示例音频',
    created: (when: string) => `创建于 ${when}`,
    lastUsed: (when: string) => `上次使用 ${when}`,
    neverUsed: '从未使用',
    uses: (count: number) => `使用 ${count.toLocaleString('zh-CN')} 次`,
    private: '私密',
    statePending: (when: string) => `⏳ 若不使用，MiniMax 将于 ${when} 删除`,
    stateKept: '✅ 已保留（已用于合成语音）',
    stateExpired: (when: string) => `🗑️ 已于 ${when} 过期：MiniMax 已删除这个未使用的音色`,
    previous: '上一页',
    next: '下一页',
    reminderTitle: '一个复刻的音色明天将被删除',
    reminder: (voiceId: string, owner: string, when: string) =>
      `${owner} 复刻的音色 \`${voiceId}\` 从未用于合成语音，MiniMax 将于 ${when} 删除它。` +
      `要保留它，用它合成一次语音即可：\`/say voice:${voiceId}\`。第一次合成时也会收取复刻费用。`,
  },
};
