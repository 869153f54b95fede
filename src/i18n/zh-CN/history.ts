import type { HistoryTexts } from '../en-US/history.ts';

export const historyTexts: HistoryTexts = {
  history: {
    title: '已上传的语音样本',
    empty: '没有符合条件的上传记录。可以用 `/upload` 上传。',
    footer: (page: number, pages: number, total: number) =>
      `第 ${page} / ${pages} 页 · 共 ${total.toLocaleString('zh-CN')} 条上传记录`,
    by: (name: string) => `上传者：${name}`,
    jump: '消息',
    private: '🔒 仅上传者可见（服务器管理员也可见）',
    previous: '上一页',
    next: '下一页',
    earlierMessage: '发布位置',
  },
};
